import { functionStats } from "../fold/function-stats.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "../table/arquero.js";

/**
 * The per-function cache table of a cachegrind profile: `name`, `file`, one column per event
 * (Ir, I1mr, ILmr, Dr, D1mr, DLmr, Dw, D1mw, DLmw: self counts, which for cachegrind are all
 * there is), and the miss rates as fractions (0–1): `D1missRate` = (D1mr + D1mw) / (Dr + Dw),
 * `LLmissRate` = (DLmr + DLmw) / (Dr + Dw), `I1missRate` = I1mr / Ir (NaN when the events are
 * missing or zero).
 * Rows are sorted by Ir.
 *
 * @example
 * cacheTable(rec.profile).orderby(aq.desc("D1mr")).objects({ limit: 10 });
 */
export function cacheTable(profile: Profile): ColumnTable {
  const st = functionStats(profile);
  const ev = (name: string) => profile.events.indexOf(name);
  const files = new Map<string, string | null>();
  profile.frames.name.forEach((n, f) => {
    if (!files.has(n) || files.get(n) === null) files.set(n, profile.frames.file[f]!);
  });
  const order = st.name.map((_, i) => i).filter((i) => st.self.some((c) => c[i]! > 0));
  const ir = ev("Ir");
  if (ir >= 0) order.sort((a, b) => st.self[ir]![b]! - st.self[ir]![a]!);
  const col = (e: number) => Float64Array.from(order, (i) => (e >= 0 ? st.self[e]![i]! : NaN));
  const cols: Record<string, ArrayLike<unknown>> = {
    name: order.map((i) => st.name[i]!),
    file: order.map((i) => files.get(st.name[i]!) ?? null),
  };
  profile.events.forEach((name, e) => (cols[name] = col(e)));
  const rate = (num: number[], den: number[]) =>
    Float64Array.from(order, (i) => {
      const n = num.reduce((s, e) => s + (e >= 0 ? st.self[e]![i]! : NaN), 0);
      const d = den.reduce((s, e) => s + (e >= 0 ? st.self[e]![i]! : NaN), 0);
      return d > 0 ? n / d : NaN;
    });
  cols["D1missRate"] = rate([ev("D1mr"), ev("D1mw")], [ev("Dr"), ev("Dw")]);
  cols["LLmissRate"] = rate([ev("DLmr"), ev("DLmw")], [ev("Dr"), ev("Dw")]);
  cols["I1missRate"] = rate([ev("I1mr")], [ir]);
  return columns(cols);
}
