/**
 * The display protocol: how a value becomes a Jupyter mimebundle.
 * A value may offer `[Symbol.for("jupyter.mimebundle")]()` or `_repr_mimebundle_()`; otherwise it
 * is shown as `text/plain` through `util.inspect`.
 */
import { inspect } from "node:util";

/** A mimebundle: MIME type to data (strings, or JSON for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** The symbol a value implements to display itself. */
export const MIMEBUNDLE = Symbol.for("jupyter.mimebundle");

function isBundle(v: unknown): v is MimeBundle {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0;
}

/**
 * The mimebundle of a value; `text/plain` is always present.
 *
 * @example
 * toMimeBundle({ _repr_mimebundle_: () => ({ "text/html": "<b>x</b>" }) })
 * // { "text/html": "<b>x</b>", "text/plain": "{ _repr_mimebundle_: [Function] }" }
 */
export function toMimeBundle(value: unknown): MimeBundle {
  const plain = (): string => (typeof value === "string" ? inspect(value) : inspect(value, { depth: 4, colors: false }));
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const o = value as Record<string | symbol, unknown>;
    for (const key of [MIMEBUNDLE, "_repr_mimebundle_"] as const) {
      const f = o[key];
      if (typeof f === "function") {
        const b: unknown = f.call(value);
        if (isBundle(b)) return "text/plain" in b ? { ...b } : { ...b, "text/plain": plain() };
      }
    }
  }
  return { "text/plain": plain() };
}
