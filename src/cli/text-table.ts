import type { FunctionTotal } from "../fold/function-totals.js";

/**
 * A plain-text table of the top functions, with percentages of `all` (the total weight). With
 * `skipBase`, functions on (nearly) every stack with no self time are left out of a "total"
 * table and counted in a note: start-up and main are always wide but never the bottleneck.
 *
 * @example
 * console.log(functionTable(rec.functions(), "total", 10, rec.summary().samples, { skipBase: 0.9 }));
 */
export function functionTable(rows: readonly FunctionTotal[], by: "self" | "total", n: number, all: number, opts: { skipBase?: number } = {}): string {
  const base = opts.skipBase;
  const isBase = (r: FunctionTotal) => base !== undefined && r.self === 0 && r.total >= base * all;
  const skipped = rows.filter(isBase).length;
  const top = [...rows].filter((r) => !isBase(r)).sort((a, b) => b[by] - a[by]).slice(0, n).filter((r) => r[by] > 0);
  const pct = (v: number) => (all > 0 ? `${((100 * v) / all).toFixed(1)}%` : "-");
  const note = skipped > 0 ? `; ${skipped} start-up frames on ≥${Math.round(100 * base!)}% of stacks with no self time left out` : "";
  const lines = [`  ${"self".padStart(7)} ${"total".padStart(7)}  function (top ${n} by ${by}${note})`];
  for (const r of top) {
    const name = r.name.length > 110 ? r.name.slice(0, 109) + "…" : r.name;
    lines.push(`  ${pct(r.self).padStart(7)} ${pct(r.total).padStart(7)}  ${name}`);
  }
  return lines.join("\n");
}
