// A fuzz worker: builds one target from targets.ts, runs its share of the inputs, marks the
// index of the input it is on in shared memory (for the watchdog), and posts its counts.
import { parentPort, workerData } from "node:worker_threads";
import { runLoop } from "./harness.js";
import { seedOf } from "./run-target.js";
import { targets } from "./targets.js";

const { name, runs, k, at } = workerData as { name: string; runs: number; k: number; at: Int32Array };
const make = targets[name];
if (!make) throw new Error(`no fuzz target '${name}'; known: ${Object.keys(targets).join(", ")}`);
const target = await make();
const stats = await runLoop(name, target, runs, seedOf(target.seed, k), (i) => Atomics.store(at, 0, i));
parentPort!.postMessage({ type: "done", stats, minShare: target.minShare });
