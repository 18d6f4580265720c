import type { Profile } from "../model/profile.js";
import type { ExperimentData } from "./result.js";

/** The kinds of runs that yield a profile. */
export type ProfiledKind = "perf" | "callgrind" | "dhat";

/** What an experiment measured, as it is filled in run by run. */
export interface ExperimentProfiles extends ExperimentData {
  perf: Map<string, Profile[]>;
  callgrind: Map<string, Profile[]>;
  dhat: Map<string, Profile[]>;
}

/**
 * Empty per-variant profile lists (perf, callgrind, DHAT), for {@link addProfile}.
 *
 * @example
 * const data = experimentProfiles(); addProfile(data, "perf", "after", profile);
 */
export function experimentProfiles(): ExperimentProfiles {
  return { perf: new Map(), callgrind: new Map(), dhat: new Map() };
}

/**
 * Adds the profile of one measured run of `variant`, after the variant's earlier ones.
 *
 * @example
 * addProfile(data, run.kind, run.variant, profile);
 */
export function addProfile(data: ExperimentProfiles, kind: ProfiledKind, variant: string, profile: Profile): void {
  const side = data[kind];
  side.set(variant, [...(side.get(variant) ?? []), profile]);
}
