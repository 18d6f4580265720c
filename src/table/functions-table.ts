import { functionStats } from "../fold/function-stats.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "./arquero.js";
import { eventIndex } from "../model/event-index.js";

/**
 * One row per function: `name`, `module`, `self`, `total`, `selfShare`, `totalShare` (fractions,
 * 0–1, of all weight of the event; `totalShare` is what `share()` gives for the function), sorted
 * by total. A function that appears several times in one stack (recursion) counts once in `total`. With several events (callgrind's Ir, D1mr, …), `self`
 * and `total` are for `event` (default the first) and every event also gets `self_<E>` and
 * `total_<E>` columns.
 *
 * @example
 * functionsTable(profile).orderby(aq.desc("self")).objects({ limit: 10 });
 */
export function functionsTable(profile: Profile, opts: { event?: string; by?: "name" | "name+module" } = {}): ColumnTable {
  const st = functionStats(profile, { by: opts.by });
  const e = eventIndex(profile, opts.event);
  const all = st.all[e] ?? 0;
  const order = st.name.map((_, i) => i).filter((i) => st.total.some((t) => t[i]! > 0));
  const total = st.total[e]!;
  const self = st.self[e]!;
  order.sort((a, b) => total[b]! - total[a]! || self[b]! - self[a]! || (st.name[a]! < st.name[b]! ? -1 : 1));
  const pick = (col: Float64Array) => Float64Array.from(order, (i) => col[i]!);
  const share = (col: Float64Array) => Float64Array.from(order, (i) => (all > 0 ? col[i]! / all : 0));
  const cols: Record<string, ArrayLike<unknown>> = {
    name: order.map((i) => st.name[i]!),
    module: order.map((i) => st.module[i]!),
    self: pick(self),
    total: pick(total),
    selfShare: share(self),
    totalShare: share(total),
  };
  if (profile.events.length > 1) {
    profile.events.forEach((name, k) => {
      cols[`self_${name}`] = pick(st.self[k]!);
      cols[`total_${name}`] = pick(st.total[k]!);
    });
  }
  return columns(cols);
}
