// Runs fuzz targets in a pool of worker threads: a target's inputs are split between FUZZ_WORKERS
// workers (default: 2, or 1 on a one-core machine), each with its own seed; the workers are kept
// for the next target of the same test file (starting one costs about a second). A watchdog
// ends a worker that makes no progress for HANG_MS (a parser stuck in a loop cannot be stopped
// from inside its own thread) and reports the input it was on, by seed and index (see inputAt).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { BUDGET_MS, FUZZ_RUNS, report, type FuzzStats } from "./harness.js";

/** Workers per target: FUZZ_WORKERS, default min(2, cores). */
export const WORKERS = Number(process.env.FUZZ_WORKERS ?? Math.min(2, availableParallelism()));
/** A worker silent this long is stuck: 10 × the per-input budget, at least 10 s. */
const HANG_MS = Math.max(10_000, 10 * BUDGET_MS);

/**
 * The seed of worker `k` of a target; FUZZ_SEED shifts every target to other inputs.
 *
 * @example
 * inputAt(target.inputs, seedOf(target.seed, 1), 4711); // replay a reported input
 */
export const seedOf = (targetSeed: number, k: number): number => (Number(process.env.FUZZ_SEED ?? 0) + targetSeed) * 100 + k;

interface Done {
  stats: FuzzStats;
  minShare?: number;
}

/** One pooled worker: runs one job at a time; `at[0]` is the index of the input it is on. */
interface PoolWorker {
  worker: Worker;
  at: Int32Array;
}

const pool: (PoolWorker | undefined)[] = [];

function spawn(): PoolWorker {
  const at = new Int32Array(new SharedArrayBuffer(4));
  const entry = new URL("./worker.ts", import.meta.url).href;
  const api = import.meta.resolve("tsx/esm/api");
  // An eval'd entry registers tsx first: a .ts worker entry is not loaded through --import hooks.
  const worker = new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`, {
    eval: true,
    workerData: { at },
  });
  worker.unref(); // the pool never keeps the test process alive
  return { worker, at };
}

function runJob(slot: number, name: string, runs: number): Promise<Done> {
  const w = (pool[slot] ??= spawn());
  Atomics.store(w.at, 0, -1);
  w.worker.postMessage({ name, runs, k: slot });
  return new Promise((resolve, reject) => {
    let last = Date.now();
    let lastAt = -2;
    const cleanup = () => {
      clearInterval(timer);
      w.worker.off("message", onMessage);
      w.worker.off("error", onError);
    };
    const timer = setInterval(() => {
      const now = Atomics.load(w.at, 0);
      // -1 until the first input: starting a worker and building a target (tens of ms to seconds on a busy machine) is not a hang
      if (now !== lastAt || now < 0) {
        lastAt = now;
        last = Date.now();
      } else if (Date.now() - last > HANG_MS) {
        cleanup();
        void w.worker.terminate();
        pool[slot] = undefined;
        const where = `input ${now} of seed ${"seedOf(target.seed, " + slot + ")"}`;
        resolve({ stats: { name, runs: Math.max(now, 0), valid: 0, errors: 0, failures: [{ input: `${where} (replay with inputAt)`, problem: `no progress for ${HANG_MS} ms: a hang` }], seconds: 0, slowestMs: HANG_MS } });
      }
    }, 250);
    const onMessage = (m: Done) => {
      cleanup();
      resolve(m);
    };
    const onError = (e: Error) => {
      cleanup();
      pool[slot] = undefined;
      reject(e);
    };
    w.worker.on("message", onMessage);
    w.worker.on("error", onError);
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
  const done = await Promise.all(shares.map((runs, k) => runJob(k, name, runs)));
  const all: FuzzStats = { name, runs: 0, valid: 0, errors: 0, failures: [], seconds: (Date.now() - t0) / 1000, slowestMs: 0 };
  for (const { stats } of done) {
    all.runs += stats.runs;
    all.valid += stats.valid;
    all.errors += stats.errors;
    all.failures.push(...stats.failures);
    if (stats.slowestMs > all.slowestMs) {
      all.slowestMs = stats.slowestMs;
      all.slowestInput = stats.slowestInput;
    }
  }
  report(all, { minShare: done[0]?.minShare, workers: WORKERS });
  return all;
}
