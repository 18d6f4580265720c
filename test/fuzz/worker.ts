// A pooled fuzz worker: for each job ({ name, runs, k }) it builds the target from targets.ts,
// runs its share of the inputs with seed seedOf(target.seed, k), marks the index of the input it
// is on in shared memory (for the watchdog), and posts its counts.
import { parentPort, workerData } from "node:worker_threads";
import { runLoop } from "./harness.js";
import { seedOf } from "./run-target.js";
import { targets } from "./targets.js";

const { at } = workerData as { at: Int32Array };
parentPort!.on("message", (job: { name: string; runs: number; k: number }) => {
  void (async () => {
    const make = targets[job.name];
    if (!make) throw new Error(`no fuzz target '${job.name}'; known: ${Object.keys(targets).join(", ")}`);
    const target = await make();
    const stats = await runLoop(job.name, target, job.runs, seedOf(target.seed, job.k), (i) => Atomics.store(at, 0, i));
    parentPort!.postMessage({ stats, minShare: target.minShare });
  })();
});
