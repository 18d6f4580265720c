/**
 * How a cell's value becomes a Jupyter mimebundle: flamebook's display protocol
 * (`mimeBundleOf` in src/display: `[Symbol.for("jupyter.mimebundle")]()`, arquero tables), with
 * a `text/plain` always present, REPL-style (strings quoted).
 */
import { inspect } from "node:util";
import { MIMEBUNDLE, mimeBundleOf } from "../src/display/mime.js";

export { MIMEBUNDLE };

/** A mimebundle: MIME type to data (strings, or JSON for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/**
 * The mimebundle of a value; `text/plain` is always present.
 *
 * @example
 * toMimeBundle({ [MIMEBUNDLE]: () => ({ "text/html": "<b>x</b>" }) })
 * // { "text/html": "<b>x</b>", "text/plain": "{ [Symbol(jupyter.mimebundle)]: [Function] }" }
 */
export function toMimeBundle(value: unknown): MimeBundle {
  const plain = (): string => inspect(value, { depth: 4, colors: false });
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return { "text/plain": plain() };
  let b: unknown;
  try {
    b = mimeBundleOf(value);
  } catch (e) {
    return { "text/plain": `${plain()}\n(its display method failed: ${e instanceof Error ? e.message : String(e)})` };
  }
  if (b === null || typeof b !== "object" || Array.isArray(b) || Object.keys(b).length === 0) return { "text/plain": plain() };
  return "text/plain" in b ? { ...(b as MimeBundle) } : { ...(b as MimeBundle), "text/plain": plain() };
}
