import type { Profile } from "../model/profile.js";
import { functionStats } from "./function-stats.js";

/** Self and total weight of one function (all frames with that name, inlined or not). */
export interface FunctionTotal {
  name: string;
  /** Weight of samples whose leaf frame is this function. */
  self: number;
  /** Weight of samples with this function anywhere on the stack (recursion counted once). */
  total: number;
}

/**
 * Self and total weight per function name for one event (default the first), heaviest total
 * first: the plain-array form of {@link functionStats}.
 *
 * @example
 * functionTotals(profile).slice(0, 3); // [{ name: "main", self: 0, total: 2558 }, …]
 */
export function functionTotals(profile: Profile, opts: { event?: number } = {}): FunctionTotal[] {
  const st = functionStats(profile);
  const e = opts.event ?? 0;
  const self = st.self[e]!;
  const total = st.total[e]!;
  return st.name
    .map((name, i) => ({ name, self: self[i]!, total: total[i]! }))
    .filter((f) => f.total > 0)
    .sort((a, b) => b.total - a.total || b.self - a.self || (a.name < b.name ? -1 : 1));
}

/**
 * The summed sample weight per stack id (samples of one event, default all).
 *
 * @example
 * const w = stackWeights(profile); w[profile.samples.stack[0]] > 0; // true
 */
export function stackWeights(profile: Profile, event?: number): Float64Array {
  const { samples } = profile;
  const out = new Float64Array(profile.stacks.frame.length);
  for (let i = 0; i < samples.stack.length; i++) {
    if (event !== undefined && samples.event[i] !== event) continue;
    const s = samples.stack[i]!;
    if (s >= 0) out[s]! += samples.weight[i]!;
  }
  return out;
}

/**
 * The share (0–1) of sample weight whose stack contains a frame matching `pattern`.
 *
 * @example
 * stackShare(profile, /to_string/); // 0.42: 42% of samples are under a to_string frame
 */
export function stackShare(profile: Profile, pattern: RegExp, opts: { event?: number } = {}): number {
  const { stacks, frames } = profile;
  const matches = frames.name.map((n) => pattern.test(n));
  const perStack = stackWeights(profile, opts.event);
  // a stack matches if its frame matches or its parent's stack does (parents come first)
  const hit = new Uint8Array(perStack.length);
  let all = 0;
  let under = 0;
  for (let s = 0; s < perStack.length; s++) {
    const p = stacks.parent[s]!;
    hit[s] = matches[stacks.frame[s]!] || (p >= 0 && hit[p] === 1) ? 1 : 0;
    all += perStack[s]!;
    if (hit[s]) under += perStack[s]!;
  }
  let empty = 0;
  for (let i = 0; i < profile.samples.stack.length; i++) {
    if (profile.samples.stack[i]! < 0 && (opts.event === undefined || profile.samples.event[i] === opts.event)) empty += profile.samples.weight[i]!;
  }
  all += empty;
  return all > 0 ? under / all : 0;
}

/**
 * The summed weight of all samples (of one event, default all): the 100% that self/total
 * figures are shares of. With perf periods this is CPU time in ns, not a sample count.
 *
 * @example
 * const all = totalWeight(profile); functionTotals(profile)[0].total / all; // 0.99
 */
export function totalWeight(profile: Profile, event?: number): number {
  const { samples } = profile;
  let sum = 0;
  for (let i = 0; i < samples.weight.length; i++) if (event === undefined || samples.event[i] === event) sum += samples.weight[i]!;
  return sum;
}
