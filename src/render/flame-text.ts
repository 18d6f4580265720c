import { DEFAULT_FLAME_OPTIONS, type DiffMode, type FlameTree } from "../model/flame-tree.js";
import type { WeightUnit } from "../model/profile.js";
import { formatWeight as formatModelWeight, groupDigits } from "../model/format-weight.js";

export { groupDigits } from "../model/format-weight.js";

/** Options of {@link flameText}. */
export interface FlameTextOptions {
  /** How many functions each list shows (default 10). */
  top?: number;
  /** Longest function name shown; longer names are cut with "…" (default 100). */
  width?: number;
  /**
   * Diff trees: rank changes by share of each side's total ("proportional") or by weight
   * ("absolute") (default {@link DEFAULT_FLAME_OPTIONS}.diffMode, "proportional").
   */
  diffMode?: DiffMode;
}

/**
 * The weights of one function (every node with that name) in a flame tree. `total` counts a
 * recursive function once per stack. For diff trees `self`/`total` are the "after" side and
 * `baseSelf`/`baseTotal` the "before" side; `sig` is 1 when any of its nodes changed
 * significantly, 0 when all are within noise, 255 when untested (always 255 for plain trees).
 */
export interface FunctionWeight {
  readonly name: string;
  readonly self: number;
  readonly total: number;
  readonly baseSelf: number;
  readonly baseTotal: number;
  readonly sig: number;
}

/** Characters of one name shown at most (a tooltip, a title line); longer names are cut with a note. */
export const MAX_SHOWN_CHARS = 1000;

/**
 * Makes a name safe to show: removes what must not reach a terminal or an XML document (C0/C1
 * control characters, lone surrogates, U+FFFE/U+FFFF), shows bidi controls (U+202A–U+202E,
 * U+2066–U+2069, U+200E/U+200F, U+061C) as visible "[U+202E]" markers so they cannot reorder the
 * text around them, and cuts names longer than {@link MAX_SHOWN_CHARS}.
 *
 * @example
 * printable("a\u0000b\u001b[31mc"); // "ab[31mc"
 * printable("evil\u202Etxt.exe");    // "evil[U+202E]txt.exe"
 */
export function printable(s: string): string {
  const cut = s.length > MAX_SHOWN_CHARS ? `${s.slice(0, MAX_SHOWN_CHARS)}… (${s.length} characters)` : s;
  return cut
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udfff]/gu, "")
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
}

/**
 * Cuts a string to at most `width` characters (code points), ending a cut one with "…".
 *
 * @example
 * shorten("wordfreq::process::process", 12); // "wordfreq::p…"
 */
export function shorten(s: string, width: number): string {
  const chars = Array.from(s);
  if (chars.length <= width) return s;
  return chars.slice(0, Math.max(0, width - 1)).join("") + "…";
}

/**
 * A weight in the tree's unit (the model's `formatWeight`), samples as a bare count: the text
 * summary's columns say "samples" once.
 *
 * @example
 * formatWeight(60180540, "nanoseconds", "cpu-clock"); // "60.2 ms"
 * formatWeight(1234, "samples", "cpu-clock");         // "1,234"
 */
export function formatWeight(v: number, unit: WeightUnit, event: string): string {
  return formatModelWeight(v, unit, event, { samplesWord: false });
}

/**
 * A signed change in the tree's unit: "+1.00 ms", "-3", "0 ms"… (see {@link formatWeight}).
 *
 * @example
 * formatChange(-2006018, "nanoseconds", "cpu-clock"); // "-2.01 ms"
 */
export function formatChange(v: number, unit: WeightUnit, event: string): string {
  return (v > 0 ? "+" : "") + formatWeight(v, unit, event);
}

/**
 * A share as a percentage with two decimals.
 *
 * @example
 * formatPercent(0.5); // "50.00%"
 */
export function formatPercent(share: number): string {
  return `${(Number.isFinite(share) ? share * 100 : 0).toFixed(2)}%`;
}

/** Per-name sums over the tree's nodes, one side; `total` skips nodes with the same name above them. */
function sumByName(tree: FlameTree, self: Float64Array, total: Float64Array): { self: Float64Array; total: Float64Array } {
  const { nodes, frames } = tree;
  const outSelf = new Float64Array(tree.strings.length);
  const outTotal = new Float64Array(tree.strings.length);
  const onPath = new Int32Array(tree.strings.length);
  const path: number[] = [];
  for (let i = 1; i < nodes.frame.length; i++) {
    while (path.length >= nodes.depth[i]!) onPath[path.pop()!]!--;
    const name = frames.name[nodes.frame[i]!]!;
    outSelf[name]! += self[i]!;
    if (onPath[name] === 0) outTotal[name]! += total[i]!;
    onPath[name]!++;
    path.push(name);
  }
  return { self: outSelf, total: outTotal };
}

/** Per-name significance: 1 if any node is significant, else 0 if any was tested, else 255. */
function sigByName(tree: FlameTree): Uint8Array {
  const out = new Uint8Array(tree.strings.length).fill(255);
  const sig = tree.diff?.sig;
  if (!sig) return out;
  for (let i = 1; i < sig.length; i++) {
    const name = tree.frames.name[tree.nodes.frame[i]!]!;
    const s = sig[i]!;
    if (s === 1 || (s === 0 && out[name] === 255)) out[name] = s;
  }
  return out;
}

/**
 * Self and total weight per function name across a flame tree (the root excluded), heaviest
 * total first; for diff trees with the "before" side too. A recursive function's total counts
 * each stack once, as in {@link functionTotals}.
 *
 * @example
 * functionWeights(flameTree(profile))[0]; // { name: "_start", self: 0, total: 60180540, … }
 */
export function functionWeights(tree: FlameTree): FunctionWeight[] {
  const after = sumByName(tree, tree.nodes.self, tree.nodes.total);
  const before = tree.diff ? sumByName(tree, tree.diff.self, tree.diff.total) : undefined;
  const sig = sigByName(tree);
  const seen = new Set<number>();
  const out: FunctionWeight[] = [];
  for (let i = 1; i < tree.nodes.frame.length; i++) {
    const n = tree.frames.name[tree.nodes.frame[i]!]!;
    if (seen.has(n)) continue;
    seen.add(n);
    out.push({ name: tree.strings[n]!, self: after.self[n]!, total: after.total[n]!, baseSelf: before?.self[n] ?? 0, baseTotal: before?.total[n] ?? 0, sig: sig[n]! });
  }
  return out
    .filter((f) => f.total > 0 || f.baseTotal > 0)
    .sort((a, b) => b.total - a.total || b.self - a.self || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Lays out rows of cells: every column but the last right-aligned to its widest cell. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => Array.from(r[c]!).length)));
  const pad = (s: string, w: number) => " ".repeat(Math.max(0, w - Array.from(s).length)) + s;
  return rows.map((r) => "  " + r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c]!))).join("  ").trimEnd());
}

/** The first line: title, event, total and size. */
function headline(tree: FlameTree): string {
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const samples = tree.unit === "samples" ? " samples" : "";
  const nodes = `${groupDigits(tree.nodes.frame.length)} nodes`;
  if (!tree.diff) return `${printable(tree.title)}: ${printable(tree.event)}, total ${fmt(tree.nodes.total[0]!)}${samples}, ${nodes}`;
  const [b, a] = [tree.diff.total[0]!, tree.nodes.total[0]!];
  const pct = b > 0 ? ` (${a >= b ? "+" : ""}${(((a - b) / b) * 100).toFixed(2)}%)` : "";
  const sig = tree.diff.sig.reduce((n, s) => n + (s === 1 ? 1 : 0), 0);
  const labels = [printable(tree.diff.baseLabel), printable(tree.diff.label)];
  return `${printable(tree.title)}: ${printable(tree.event)}, ${labels[0]} ${fmt(b)}${samples} → ${labels[1]} ${fmt(a)}${samples}${pct}, ${nodes}, ${sig} with a significant change`;
}

/** The top functions by self weight, as table lines. */
function topSelf(tree: FlameTree, fns: FunctionWeight[], top: number, width: number): string[] {
  const all = tree.nodes.total[0]!;
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const rows = [...fns]
    .filter((f) => f.self > 0)
    .sort((a, b) => b.self - a.self || b.total - a.total || (a.name < b.name ? -1 : 1))
    .slice(0, top)
    .map((f) => [formatPercent(f.self / all), formatPercent(f.total / all), fmt(f.self), fmt(f.total), shorten(printable(f.name), width)]);
  if (rows.length === 0) return ["  (no self weight)"];
  return columns([["self%", "total%", "self", "total", "function"], ...rows]);
}

const MARK: Readonly<Record<number, string>> = { 0: "~", 1: "*", 255: "?" };

/** The change of a function in the chosen mode: weight, or share of its side's total. */
function changeOf(f: FunctionWeight, mode: DiffMode, before: number, after: number): number {
  if (mode === "absolute") return f.total - f.baseTotal;
  return (after > 0 ? f.total / after : 0) - (before > 0 ? f.baseTotal / before : 0);
}

/** The top grown or shrunk functions of a diff tree, as table lines. */
function topChanged(tree: FlameTree, fns: FunctionWeight[], grown: boolean, o: Required<FlameTextOptions>): string[] {
  const [before, after] = [tree.diff!.total[0]!, tree.nodes.total[0]!];
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const share = (f: FunctionWeight) => (after > 0 ? f.total / after : 0) - (before > 0 ? f.baseTotal / before : 0);
  const rows = fns
    .map((f) => ({ f, c: changeOf(f, o.diffMode, before, after) }))
    .filter(({ c }) => (grown ? c > 0 : c < 0))
    .sort((x, y) => (grown ? y.c - x.c : x.c - y.c) || (x.f.name < y.f.name ? -1 : 1))
    .slice(0, o.top)
    .map(({ f }) => {
      const pp = share(f) * 100;
      return [formatChange(f.total - f.baseTotal, tree.unit, tree.event), `${pp > 0 ? "+" : ""}${pp.toFixed(2)}pp`, fmt(f.baseTotal), fmt(f.total), MARK[f.sig] ?? "?", shorten(printable(f.name), o.width)];
    });
  if (rows.length === 0) return ["  (none)"];
  const labels = [printable(tree.diff!.baseLabel), printable(tree.diff!.label)];
  return columns([["change", "share", labels[0]!, labels[1]!, "sig", "function"], ...rows]);
}

/** The notes block, or nothing. */
function notesBlock(tree: FlameTree): string[] {
  if (tree.notes.length === 0) return [];
  return ["notes:", ...tree.notes.map((n) => `  - ${printable(n)}`)];
}

/**
 * The `text/plain` form of a flamegraph: title, event, total and node count, the top functions
 * by self weight (self%, total%, aggregated by name, recursion counted once), and the tree's
 * notes. For a diff tree: both totals and the top grown and shrunk functions with their change,
 * change in share (percentage points) and a significance mark (* significant, ~ within noise,
 * ? untested; a function is significant when any of its call paths is).
 *
 * @example
 * console.log(flameText(flameTree(profile), { top: 5 }));
 * // clone-in-loop.before.perf.txt: cpu-clock, total 60.2 ms, 149 nodes
 * // top 5 functions by self weight:
 * //    self%  total%     self     total  function
 * //   13.33%  23.33%  8.02 ms  14.0 ms  <u64>::_fmt_inner  …
 */
export function flameText(tree: FlameTree, opts: FlameTextOptions = {}): string {
  const o: Required<FlameTextOptions> = { top: opts.top ?? 10, width: opts.width ?? 100, diffMode: opts.diffMode ?? DEFAULT_FLAME_OPTIONS.diffMode };
  const fns = functionWeights(tree);
  const lines = [headline(tree)];
  if (tree.diff) {
    const by = o.diffMode === "absolute" ? "by change in weight" : "by change in share of each side's total";
    lines.push(`top ${o.top} grown functions (${by}; * significant, ~ within noise, ? untested):`, ...topChanged(tree, fns, true, o));
    lines.push(`top ${o.top} shrunk functions:`, ...topChanged(tree, fns, false, o));
  } else {
    lines.push(`top ${o.top} functions by self weight:`, ...topSelf(tree, fns, o.top, o.width));
  }
  return [...lines, ...notesBlock(tree)].join("\n") + "\n";
}
