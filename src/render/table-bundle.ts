import type { ColumnTable } from "arquero";

/** A Jupyter mimebundle: mime type → data (text, or JSON for `application/…+json` types). */
export type MimeBundle = Record<string, string | Record<string, unknown>>;

/**
 * How a table shows as a notebook cell's last expression: an HTML table (arquero escapes every
 * cell) with a row limit and a caption that says how many rows there are, plus aligned text for
 * `text/plain`. Long cells are cut in the text form only.
 *
 * @example
 * tableBundle(p.functions(), { limit: 10 }); // { "text/html": "<table>…", "text/plain": "name  self …" }
 */
export function tableBundle(table: ColumnTable, opts: { limit?: number; maxCell?: number } = {}): { "text/html": string; "text/plain": string } {
  const limit = opts.limit ?? 20;
  const rows = table.numRows();
  const cols = table.columnNames();
  const shown = Math.min(rows, limit);
  const more = rows > shown ? `, showing the first ${shown}` : "";
  const caption = `${rows} row${rows === 1 ? "" : "s"} × ${cols.length} column${cols.length === 1 ? "" : "s"}${more}`;
  const html = `<div class="flamebook-table"><div style="font-size: 0.85em; opacity: 0.7">${caption}</div>${table.toHTML({ limit })}</div>`;
  return { "text/html": html, "text/plain": textTable(table, shown, opts.maxCell ?? 60) + `\n(${caption})` };
}

function textTable(table: ColumnTable, n: number, maxCell: number): string {
  const cols = table.columnNames();
  const cell = (v: unknown): string => {
    const s = typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v === null || v === undefined ? "" : String(v);
    const flat = s.replace(/[\r\n\t]+/g, " ");
    return flat.length > maxCell ? flat.slice(0, maxCell - 1) + "…" : flat;
  };
  const body = table.objects({ limit: n }).map((r) => cols.map((c) => cell((r as Record<string, unknown>)[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)));
  const numeric = cols.map((c) => body.length > 0 && body.every((r) => /^-?[\d.]+(e[+-]?\d+)?$|^$|^NaN$/.test(r[cols.indexOf(c)]!)));
  const line = (r: string[]) => r.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(cols), ...body.map(line)].join("\n");
}
