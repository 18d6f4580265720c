import { toRegExp } from "../fold/pattern.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "./arquero.js";
import { eventIndex } from "../model/event-index.js";

/**
 * Who calls `fn` (`direction: "callers"`) or what `fn` calls (`"callees"`), with the weight of
 * samples through each edge (once per sample) and its share of `fn`'s total: the two halves of
 * a sandwich view. `fn` is an exact function name, or a RegExp. Rows: `name`, `weight`, `share`
 * (a fraction, 0–1, of the weight through `fn`).
 * "(root)" stands for "no caller" and "(self)" for time spent in `fn` itself.
 *
 * @example
 * neighboursTable(profile, "<T as alloc::string::ToString>::to_string", "callees");
 */
export function neighboursTable(profile: Profile, fn: string | RegExp, direction: "callers" | "callees", opts: { event?: string } = {}): ColumnTable {
  const { stacks, frames, samples } = profile;
  const e = eventIndex(profile, opts.event);
  const re = typeof fn === "string" ? null : toRegExp(fn);
  const target = frames.name.map((n) => (re ? re.test(n) : n === fn));
  if (!target.includes(true)) throw new Error(`flamebook: no function ${typeof fn === "string" ? `named '${fn}'` : `matching ${fn}`} in this profile.`);

  const perStack = new Float64Array(stacks.frame.length);
  for (let i = 0; i < samples.stack.length; i++) if (samples.event[i] === e && samples.stack[i]! >= 0) perStack[samples.stack[i]!]! += samples.weight[i]!;

  const weightOf = new Map<string, number>();
  const stamp = new Map<string, number>();
  let through = 0;
  const add = (name: string, s: number, w: number) => {
    if (stamp.get(name) === s) return; // an edge counts once per sample
    stamp.set(name, s);
    weightOf.set(name, (weightOf.get(name) ?? 0) + w);
  };
  for (let s = 0; s < perStack.length; s++) {
    const w = perStack[s]!;
    if (w === 0) continue;
    let hit = false;
    let child = -1; // the stack above t on this path
    for (let t = s; t >= 0; child = t, t = stacks.parent[t]!) {
      if (!target[stacks.frame[t]!]) continue;
      hit = true;
      if (direction === "callers") {
        const p = stacks.parent[t]!;
        add(p < 0 ? "(root)" : frames.name[stacks.frame[p]!]!, s, w);
      } else {
        add(child < 0 ? "(self)" : frames.name[stacks.frame[child]!]!, s, w);
      }
    }
    if (hit) through += w;
  }
  const rows = [...weightOf].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return columns({
    name: rows.map((r) => r[0]),
    weight: Float64Array.from(rows, (r) => r[1]),
    share: Float64Array.from(rows, (r) => (through > 0 ? r[1] / through : 0)),
  });
}
