// Number and name formatting for labels, tooltips and the toolbar. Pure; no DOM.
import { formatWeight } from "../../src/model/format-weight.js";
import type { WeightUnit } from "../../src/model/profile.js";

export { formatWeight, groupDigits } from "../../src/model/format-weight.js";

/**
 * A signed change in the tree's unit (see {@link formatWeight}).
 *
 * @example
 * formatChange(-2006018, "nanoseconds", "cpu-clock"); // "-2.01 ms"
 * formatChange(5, "samples", "cpu-clock");            // "+5 samples"
 */
export function formatChange(v: number, unit: WeightUnit, event: string): string {
  return (v > 0 ? "+" : "") + formatWeight(v, unit, event);
}

/**
 * A share (0–1) as a percentage: one decimal from 10%, two below, "<0.01%" for tiny non-zero shares.
 *
 * @example
 * formatPercent(0.3121);   // "31.2%"
 * formatPercent(0.01234);  // "1.23%"
 * formatPercent(0.00001);  // "<0.01%"
 */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return "–";
  const p = share * 100;
  if (p !== 0 && Math.abs(p) < 0.01) return p > 0 ? "<0.01%" : ">-0.01%";
  return `${Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2)}%`;
}

/**
 * A change of share in percentage points, signed.
 *
 * @example
 * formatPoints(-0.283); // "-28.30 pp"
 */
export function formatPoints(shareChange: number): string {
  const p = shareChange * 100;
  return `${p > 0 ? "+" : ""}${p.toFixed(2)} pp`;
}

/**
 * A duration or instant in seconds, three significant digits (s, ms, µs, ns).
 *
 * @example
 * formatSeconds(0.0123); // "12.3 ms"
 * formatSeconds(2);      // "2.00 s"
 */
export function formatSeconds(s: number): string {
  const a = Math.abs(s);
  if (a === 0) return "0 s";
  if (a >= 1) return `${s.toPrecision(3)} s`;
  if (a >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  if (a >= 1e-6) return `${(s * 1e6).toPrecision(3)} µs`;
  return `${(s * 1e9).toPrecision(3)} ns`;
}

/** Characters of one name shown at most (labels, tooltips, crumbs); copying ("c") gives the whole name. */
export const MAX_SHOWN_CHARS = 1000;

/**
 * Makes a name safe to show: removes control characters, lone surrogates and U+FFFE/U+FFFF;
 * shows bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) as visible
 * "[U+202E]" markers, so a name cannot reorder the text around it (in a tooltip, the crumbs);
 * cuts names longer than {@link MAX_SHOWN_CHARS} with a note of their length.
 *
 * @example
 * printable("a\u0000b\u001b[31mc"); // "ab[31mc"
 * printable("evil\u202Etxt.exe");    // "evil[U+202E]txt.exe"
 */
export function printable(s: string): string {
  const cut = s.length > MAX_SHOWN_CHARS ? `${s.slice(0, MAX_SHOWN_CHARS)}… (${s.length} characters)` : s;
  return cut
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
}

// One path segment: an identifier, or a closure/shim marker like `{closure#0}` or `{{closure}}`.
const SEGMENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\{\{?[A-Za-z_ ]+(?:#\d+)?\}?\})`;
const PATH = new RegExp(String.raw`(?:${SEGMENT}::)+${SEGMENT}`, "g");

/**
 * Shorter forms of a (Rust or C++) symbol name for labels, longest first, the full name first:
 * paths cut to their last segment (the function's own path keeps two, `Type::method`), then
 * generic arguments dropped. A label shows the first form that fits its frame.
 *
 * @example
 * labelForms("core::ptr::drop_in_place<alloc::vec::Vec<alloc::string::String>>");
 * // ["core::ptr::drop_in_place<alloc::vec::Vec<alloc::string::String>>",
 * //  "ptr::drop_in_place<Vec<String>>", "ptr::drop_in_place"]
 */
export function labelForms(name: string): string[] {
  const out = [name];
  if (name.length > 10_000) return out;
  const matches = [...name.matchAll(PATH)];
  let short = name;
  if (matches.length > 0) {
    // The function's own path is the last one outside any <...> (none for `<A as B>::f`).
    let own = -1;
    for (let k = matches.length - 1; k >= 0; k--) {
      const at = matches[k]!.index ?? 0;
      if (depthAt(name, at) === 0) {
        own = at;
        break;
      }
    }
    short = name.replace(PATH, (path, offset: number) => {
      const segs = path.split("::");
      return segs.slice(offset === own ? -2 : -1).join("::");
    });
  }
  if (short !== name) out.push(short);
  const bare = dropGenerics(short);
  if (bare !== short && bare !== "") out.push(bare);
  return out;
}

/** How many `<` are open before `index` (ignoring `->`). */
function depthAt(s: string, index: number): number {
  let d = 0;
  for (let i = 0; i < index; i++) {
    const c = s.charCodeAt(i);
    if (c === 60) d++;
    else if (c === 62 && s.charCodeAt(i - 1) !== 45) d = Math.max(0, d - 1);
  }
  return d;
}

/** Removes generic argument lists `<…>` that follow an identifier or `::` (balanced, innermost first). */
function dropGenerics(s: string): string {
  let prev = "";
  let cur = s;
  for (let k = 0; k < 20 && cur !== prev; k++) {
    prev = cur;
    cur = cur.replace(/([A-Za-z0-9_\]])(?:::)?<[^<>]*>/g, "$1");
  }
  return cur;
}

/**
 * The last part of a file or module path.
 *
 * @example
 * baseName("/usr/lib/x86_64-linux-gnu/libc.so.6"); // "libc.so.6"
 */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
