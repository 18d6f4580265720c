// The arquero pieces flamebook uses, in one place (arquero is ESM-only; Node ≥ 20.19 can also
// require() it from the CJS build).
import { table, type ColumnTable } from "arquero";

export type { ColumnTable };

/** Column data arquero accepts: plain or typed arrays. */
export type Columns = Record<string, ArrayLike<unknown>>;

/**
 * An arquero table from named columns (typed arrays are kept as they are, not copied).
 *
 * @example
 * columns({ name: ["main"], self: new Float64Array([0]) }).numRows(); // 1
 */
export function columns(cols: Columns): ColumnTable {
  return table(cols as Record<string, unknown[]>);
}
