import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "./arquero.js";
import { firstTime } from "../fold/first-time.js";

/**
 * One row per thread: `thread` (its id, the `thread` column of `samples()`), `comm` (its name),
 * `pid`, `tid`, `samples` (rows), `weight` (all events), `start` and `end` (first and last sample,
 * in seconds from the recording's first sample like `samples().time`; NaN without times).
 *
 * @example
 * threadsTable(profile).orderby(aq.desc("weight")).objects();
 */
export function threadsTable(profile: Profile): ColumnTable {
  const { threads, samples } = profile;
  const n = threads.length;
  const count = new Int32Array(n);
  const weight = new Float64Array(n);
  const start = new Float64Array(n).fill(NaN);
  const end = new Float64Array(n).fill(NaN);
  const t0 = firstTime(profile);
  for (let i = 0; i < samples.stack.length; i++) {
    const t = samples.thread[i]!;
    count[t]!++;
    weight[t]! += samples.weight[i]!;
    const time = samples.time[i]! - t0;
    if (Number.isNaN(time)) continue;
    if (!(start[t]! <= time)) start[t] = time; // also replaces the initial NaN
    if (!(end[t]! >= time)) end[t] = time;
  }
  return columns({
    thread: Int32Array.from({ length: n }, (_, i) => i),
    comm: threads.map((t) => t.comm),
    pid: Int32Array.from(threads, (t) => t.pid),
    tid: Int32Array.from(threads, (t) => t.tid),
    samples: count,
    weight,
    start,
    end,
  });
}
