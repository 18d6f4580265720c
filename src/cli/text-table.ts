import type { FunctionTotal } from "../fold/function-totals.js";

/**
 * A plain-text table of the top functions, with percentages of `all` samples.
 *
 * @example
 * console.log(functionTable(rec.functions(), "self", 10, rec.summary().samples));
 */
export function functionTable(rows: readonly FunctionTotal[], by: "self" | "total", n: number, all: number): string {
  const top = [...rows].sort((a, b) => b[by] - a[by]).slice(0, n).filter((r) => r[by] > 0);
  const pct = (v: number) => (all > 0 ? `${((100 * v) / all).toFixed(1)}%` : "-");
  const lines = [`  ${"self".padStart(7)} ${"total".padStart(7)}  function (top ${n} by ${by})`];
  for (const r of top) {
    const name = r.name.length > 110 ? r.name.slice(0, 109) + "…" : r.name;
    lines.push(`  ${pct(r.self).padStart(7)} ${pct(r.total).padStart(7)}  ${name}`);
  }
  return lines.join("\n");
}
