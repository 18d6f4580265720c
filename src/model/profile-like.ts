import type { Profile } from "./profile.js";

/** What the exporters take: a `Profile`, or anything that holds one (a `ProfileData`, a recording). */
export type ProfileLike = Profile | { readonly profile: Profile };

/**
 * The profile of a {@link ProfileLike}.
 *
 * @example
 * profileOf(rec) === rec.profile; // true
 */
export function profileOf(p: ProfileLike): Profile {
  return "profile" in p ? p.profile : p;
}
