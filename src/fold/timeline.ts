import type { FlameTimeline } from "../model/flame-tree.js";
import type { Profile } from "../model/profile.js";
import { firstTime } from "./first-time.js";

/**
 * The time-ordered runs of a profile's samples (one event) for the flame chart: per thread,
 * consecutive samples that end in the same node merge into one run. A sample lasts until the
 * thread's next sample, but at most twice the thread's median sampling interval, so idle gaps stay
 * empty. Returns a note instead when samples have no timestamps or there are more than `maxRuns`.
 *
 * @example
 * const t = buildTimeline(profile, 0, (stack) => nodeOfStack(stack), 200_000);
 * typeof t === "string" ? console.log(t) : t.start.length; // number of runs
 */
export function buildTimeline(profile: Profile, event: number, nodeOf: (stack: number) => number, maxRuns: number): FlameTimeline | string {
  const { samples } = profile;
  const idx: number[] = [];
  for (let i = 0; i < samples.stack.length; i++) {
    if (profile.events.length > 1 && samples.event[i] !== event) continue;
    if (Number.isNaN(samples.time[i]!)) return "no flame chart: the samples have no timestamps";
    idx.push(i);
  }
  if (idx.length === 0) return "no flame chart: no samples";
  idx.sort((a, b) => samples.time[a]! - samples.time[b]! || a - b);
  // One time base for every table and chart: the recording's first sample (of any event).
  const t0 = firstTime(profile);
  const byThread = new Map<number, number[]>();
  for (const i of idx) {
    const t = samples.thread[i]!;
    let list = byThread.get(t);
    if (!list) byThread.set(t, (list = []));
    list.push(i);
  }
  const threads: string[] = [];
  const threadIds: number[] = [];
  const thread: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const node: number[] = [];
  for (const [t, list] of [...byThread].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])) {
    const th = profile.threads[t];
    const ti = threads.push(th ? (th.tid >= 0 ? `${th.comm} ${th.tid}` : th.comm) : `thread ${t}`) - 1;
    threadIds.push(t);
    const gap = typicalGap(list.map((i) => samples.time[i]!));
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const s = samples.time[i]! - t0;
      const next = k + 1 < list.length ? samples.time[list[k + 1]!]! - t0 : s + gap;
      const e = Math.min(next, s + 2 * gap);
      const n = nodeOf(samples.stack[i]!);
      const last = start.length - 1;
      if (last >= 0 && thread[last] === ti && node[last] === n && Math.abs(end[last]! - s) < 1e-12) {
        end[last] = e;
      } else {
        if (start.length >= maxRuns) return `no flame chart: more than ${maxRuns} time-ordered runs (raise maxTimelineRuns to include it)`;
        thread.push(ti);
        start.push(s);
        end.push(e);
        node.push(n);
      }
    }
  }
  return {
    threads,
    threadIds: Int32Array.from(threadIds),
    thread: Int32Array.from(thread),
    start: Float64Array.from(start),
    end: Float64Array.from(end),
    node: Int32Array.from(node),
  };
}

/** The median gap between consecutive timestamps (1 ms when there is only one). */
function typicalGap(times: number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) if (times[i]! > times[i - 1]!) gaps.push(times[i]! - times[i - 1]!);
  if (gaps.length === 0) return 0.001;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1]!;
}
