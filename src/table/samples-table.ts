import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "./arquero.js";

/**
 * One row per sample: `row` (its index, used by `where` to go back to a profile), `time` (s
 * since the first sample, whatever clock the format used; NaN without times),
 * `thread` (comm), `pid`, `tid`, `event`, `stack` (stack id), `weight`, `leaf` (the leaf
 * function's name) and `module` (the leaf's binary).
 *
 * @example
 * samplesTable(profile).filter((d) => op.match(d.leaf, /malloc/)).rollup({ w: op.sum("weight") });
 */
export function samplesTable(profile: Profile): ColumnTable {
  const { samples, stacks, frames, threads, events } = profile;
  const n = samples.stack.length;
  const row = new Int32Array(n);
  const thread = new Array<string>(n);
  const pid = new Int32Array(n);
  const tid = new Int32Array(n);
  const event = new Array<string>(n);
  const leaf = new Array<string>(n);
  const module = new Array<string>(n);
  let t0 = Infinity;
  for (let i = 0; i < n; i++) if (samples.time[i]! < t0) t0 = samples.time[i]!;
  const time = Float64Array.from(samples.time, (t) => t - t0);
  for (let i = 0; i < n; i++) {
    row[i] = i;
    const t = threads[samples.thread[i]!]!;
    thread[i] = t.comm;
    pid[i] = t.pid;
    tid[i] = t.tid;
    event[i] = events[samples.event[i]!] ?? "";
    const s = samples.stack[i]!;
    const f = s >= 0 ? stacks.frame[s]! : -1;
    leaf[i] = f >= 0 ? frames.name[f]! : "";
    module[i] = f >= 0 ? frames.module[f]! : "";
  }
  return columns({ row, time, thread, pid, tid, event, stack: samples.stack, weight: samples.weight, leaf, module });
}
