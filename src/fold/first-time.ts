import type { Profile } from "../model/profile.js";

/**
 * The time base of every table and of the flame chart: the raw timestamp of the profile's first
 * sample (any event, any thread), in seconds; NaN when samples have no times.
 *
 * @example
 * firstTime(profile); // 2734.79 (perf's clock); samples().time and threads().start count from it
 */
export function firstTime(profile: Profile): number {
  let t0 = Infinity;
  for (const t of profile.samples.time) if (t < t0) t0 = t;
  return t0 === Infinity ? NaN : t0;
}
