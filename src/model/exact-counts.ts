import type { Profile } from "./profile.js";

/** Formats whose weights are exact counts whatever their unit: DHAT's allocation counts. */
const EXACT_FORMATS: ReadonlySet<string> = new Set(["dhat"]);

/**
 * Whether a profile's weights are exact counts rather than samples: callgrind's instructions
 * (unit "instructions") and DHAT's allocations (format "dhat"). The same program, input and
 * environment give the same weights on every run, so a diff needs no statistics: every change
 * is real.
 *
 * @example
 * hasExactCounts(dhatProfile);  // true
 * hasExactCounts(perfProfile);  // false
 */
export function hasExactCounts(profile: Pick<Profile, "unit" | "format">): boolean {
  return profile.unit === "instructions" || EXACT_FORMATS.has(profile.format);
}
