import type { Profile } from "./profile.js";

/**
 * The index of an event by name (default: the first), with a clear error naming the events. A
 * name without perf's modifiers finds the one event that has them (`cpu-clock` → `cpu-clock:ppp`).
 *
 * @example
 * eventIndex(profile, "D1mr"); // 4
 */
export function eventIndex(profile: Profile, event?: string): number {
  if (event === undefined) return 0;
  const e = profile.events.indexOf(event);
  if (e >= 0) return e;
  const modified = profile.events.flatMap((name, i) => (name.startsWith(`${event}:`) && /^[ukhIGHpPSDWeb]+$/.test(name.slice(event.length + 1)) ? [i] : []));
  if (modified.length === 1) return modified[0]!;
  throw new Error(`flamebook: no event '${event}' in this profile; it has: ${profile.events.join(", ") || "none"}.`);
}
