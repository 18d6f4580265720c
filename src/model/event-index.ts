import type { Profile } from "./profile.js";

/**
 * The index of an event by name (default: the first), with a clear error naming the events.
 *
 * @example
 * eventIndex(profile, "D1mr"); // 4
 */
export function eventIndex(profile: Profile, event?: string): number {
  if (event === undefined) return 0;
  const e = profile.events.indexOf(event);
  if (e < 0) throw new Error(`flamebook: no event '${event}' in this profile; it has: ${profile.events.join(", ") || "none"}.`);
  return e;
}
