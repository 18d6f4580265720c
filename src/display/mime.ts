import { inspect } from "node:util";
import { tableBundle, type MimeBundle } from "../render/table-bundle.js";
import type { ColumnTable } from "../table/arquero.js";

/**
 * The display protocol, flamebook's one way for a value to show itself in a notebook: an object
 * with a `[MIMEBUNDLE]()` method (`Symbol.for("jupyter.mimebundle")`) shows as the bundle it
 * returns. Profiles, recordings, flamegraphs, experiments and verdicts implement it; so can any
 * object of yours.
 *
 * @example
 * const card = { [MIMEBUNDLE]: () => ({ "text/html": "<b>hot</b>", "text/plain": "hot" }) };
 * card; // as a cell's last expression: the bold HTML
 */
export const MIMEBUNDLE: unique symbol = Symbol.for("jupyter.mimebundle") as never;

/** Something that knows how to show itself in a notebook. */
export interface Displayable {
  [MIMEBUNDLE](): MimeBundle;
}

/**
 * The mimebundle a notebook shows for a value: its own (display protocol), an arquero table as an
 * HTML table with a row limit, otherwise `util.inspect` text.
 *
 * @example
 * mimeBundleOf(rec.flamegraph()); // { "text/html": …, "image/svg+xml": …, "text/plain": … }
 * mimeBundleOf(42);               // { "text/plain": "42" }
 */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const v = value as Record<string | symbol, unknown>;
    if (typeof v[MIMEBUNDLE] === "function") return (v[MIMEBUNDLE] as () => MimeBundle).call(value);
    if (isTable(value)) return tableBundle(value);
  }
  return { "text/plain": typeof value === "string" ? value : inspect(value, { depth: 4, colors: false, maxArrayLength: 50 }) };
}

function isTable(v: object): v is ColumnTable {
  const t = v as Partial<ColumnTable>;
  return typeof t.numRows === "function" && typeof t.columnNames === "function" && typeof t.toHTML === "function";
}
