// Runs a fuzz target in worker threads: the inputs are split between FUZZ_WORKERS workers (default:
// 2, or 1 on a one-core machine), each with its own seed. A watchdog ends a worker that makes
// no progress for HANG_MS (a parser stuck in a loop cannot be stopped from inside its own
// thread) and reports the input it was on, by seed and index, for inputAt() to replay.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { BUDGET_MS, FUZZ_RUNS, report, type FuzzStats } from "./harness.js";

/** Workers per target: FUZZ_WORKERS, default min(2, cores). */
export const WORKERS = Number(process.env.FUZZ_WORKERS ?? Math.min(2, availableParallelism()));
/** A worker silent this long is stuck: 10 × the per-input budget, at least 10 s. */
const HANG_MS = Math.max(10_000, 10 * BUDGET_MS);

/** The seed of worker `k` of a target; FUZZ_SEED shifts every target to other inputs. */
export const seedOf = (targetSeed: number, k: number): number => (Number(process.env.FUZZ_SEED ?? 0) + targetSeed) * 100 + k;

interface Done {
  type: "done";
  stats: FuzzStats;
  minShare?: number;
}

function runWorker(name: string, runs: number, k: number): Promise<Done> {
  const at = new Int32Array(new SharedArrayBuffer(4));
  const entry = new URL("./worker.ts", import.meta.url).href;
  const api = import.meta.resolve("tsx/esm/api");
  // An eval'd entry registers tsx first: a .ts worker entry is not loaded through --import hooks.
  const worker = new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`, {
    eval: true,
    workerData: { name, runs, k, at },
  });
  return new Promise((resolve, reject) => {
    let last = Date.now();
    let lastAt = -1;
    const timer = setInterval(() => {
      const now = Atomics.load(at, 0);
      if (now !== lastAt) {
        lastAt = now;
        last = Date.now();
      } else if (Date.now() - last > HANG_MS) {
        clearInterval(timer);
        void worker.terminate();
        const stats: FuzzStats = { name, runs: now, valid: 0, errors: 0, failures: [{ input: `input ${now} of worker ${k} (seed seedOf(target.seed, ${k}); replay with inputAt)`, problem: `no progress for ${HANG_MS} ms: a hang` }], seconds: 0, slowestMs: HANG_MS };
        resolve({ type: "done", stats });
      }
    }, 500);
    worker.on("message", (m: Done) => {
      clearInterval(timer);
      resolve(m);
      void worker.terminate();
    });
    worker.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
  });
}

/**
 * Runs FUZZ_RUNS inputs (default 100k) of the target named `name` (see targets.ts) in
 * {@link WORKERS} workers, prints its line and fails on any failure or hang.
 *
 * @example
 * test("fuzz folded", () => fuzzTarget("folded"));
 */
export async function fuzzTarget(name: string): Promise<FuzzStats> {
  const t0 = Date.now();
  const shares = Array.from({ length: WORKERS }, (_, k) => Math.floor(FUZZ_RUNS / WORKERS) + (k < FUZZ_RUNS % WORKERS ? 1 : 0));
  const done = await Promise.all(shares.map((runs, k) => runWorker(name, runs, k)));
  const all: FuzzStats = { name, runs: 0, valid: 0, errors: 0, failures: [], seconds: (Date.now() - t0) / 1000, slowestMs: 0 };
  for (const { stats } of done) {
    all.runs += stats.runs;
    all.valid += stats.valid;
    all.errors += stats.errors;
    all.failures.push(...stats.failures);
    all.slowestMs = Math.max(all.slowestMs, stats.slowestMs);
  }
  report(all, { minShare: done[0]?.minShare, workers: WORKERS });
  return all;
}
