import { firstTime } from "../fold/first-time.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "./arquero.js";

/**
 * One row per sample: `row` (its index, used by `where` to go back to a profile), `time`
 * (seconds from the recording's first sample; NaN without times), `clock` (the timestamp as the
 * format recorded it, in seconds: perf's raw clock), `thread` (the thread's id, which joins
 * `threads()`), `comm` (the thread's name), `pid`, `tid`, `event`, `stack` (stack id), `weight`,
 * `leaf` (the leaf function's name) and `module` (the leaf's binary).
 *
 * @example
 * samplesTable(profile).filter((d) => op.match(d.leaf, /malloc/)).rollup({ w: op.sum("weight") });
 */
export function samplesTable(profile: Profile): ColumnTable {
  const { samples, stacks, frames, threads, events } = profile;
  const n = samples.stack.length;
  const row = new Int32Array(n);
  const comm = new Array<string>(n);
  const pid = new Int32Array(n);
  const tid = new Int32Array(n);
  const event = new Array<string>(n);
  const leaf = new Array<string>(n);
  const module = new Array<string>(n);
  const t0 = firstTime(profile);
  const time = Float64Array.from(samples.time, (t) => t - t0);
  for (let i = 0; i < n; i++) {
    row[i] = i;
    const t = threads[samples.thread[i]!]!;
    comm[i] = t.comm;
    pid[i] = t.pid;
    tid[i] = t.tid;
    event[i] = events[samples.event[i]!] ?? "";
    const s = samples.stack[i]!;
    const f = s >= 0 ? stacks.frame[s]! : -1;
    leaf[i] = f >= 0 ? frames.name[f]! : "";
    module[i] = f >= 0 ? frames.module[f]! : "";
  }
  return columns({ row, time, clock: samples.time, thread: samples.thread, comm, pid, tid, event, stack: samples.stack, weight: samples.weight, leaf, module });
}
