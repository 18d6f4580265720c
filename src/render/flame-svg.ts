import { DEFAULT_FLAME_OPTIONS, FLAME_KINDS, type DiffMode, type FlameLayout, type FlameTree } from "../model/flame-tree.js";
import { CATEGORY_LABELS, THEME_COLORS, categoryFill, diffFill, frameCategory, nameHash, type FlameThemeColors, type FrameCategory } from "./flame-palette.js";
import { formatChange, formatPercent, formatWeight, printable, shorten } from "./flame-text.js";

/** Which weights set the frame widths of a diff tree. */
export type DiffWidth = "union" | "after" | "before";

/** Options of {@link flameSvg}; every one has a default. */
export interface FlameSvgOptions {
  /** Width of the image in pixels (default 1200). */
  width?: number;
  /** Height of one row of frames in pixels, including a 1px gap (default 16). */
  frameHeight?: number;
  /** Font size of frame labels and the legend in pixels (default 12); the title is 5px larger. */
  fontSize?: number;
  /**
   * Frames narrower than this fraction of the root are not drawn, nor anything above them
   * (default 0.001, i.e. 0.1%; flamegraph.pl's --minwidth, as a fraction instead of pixels).
   * Titles of the frames that are drawn keep their full totals; a footer says how many were left out.
   */
  minWidth?: number;
  /**
   * At most this many frames are drawn (default 450, about 100 KB of SVG with long Rust names): when more are wider
   * than `minWidth`, the width threshold rises until they fit (the footer gives the one used).
   */
  maxFrames?: number;
  /** "flame" puts the root at the bottom, "icicle" at the top (default "flame"). */
  layout?: FlameLayout;
  /** The heading (default the tree's title). */
  title?: string;
  /**
   * Diff trees: colour by the change in share of each side's root total ("proportional") or by
   * the change in weight ("absolute") (default {@link DEFAULT_FLAME_OPTIONS}.diffMode, "proportional").
   */
  diffMode?: DiffMode;
  /**
   * Diff trees: frame widths from the larger of both sides ("union", so frames that vanished or
   * appeared both show; in proportional mode the sides are first scaled to the same total), or
   * from one side to scale like flamegraph.pl's difffolded graphs ("after" / "before")
   * (default "union").
   */
  diffWidth?: DiffWidth;
  /** "light" (default) or "dark" background; frame fills are the same in both. */
  theme?: "light" | "dark";
}

/** The options with every default applied and checked. */
interface Resolved {
  readonly width: number;
  readonly frameHeight: number;
  readonly fontSize: number;
  readonly minWidth: number;
  readonly maxFrames: number;
  readonly layout: FlameLayout;
  readonly title: string;
  readonly diffMode: DiffMode;
  readonly diffWidth: DiffWidth;
  readonly theme: "light" | "dark";
  readonly colors: FlameThemeColors;
}

/** Side padding in pixels. */
const PAD = 10;
/** Estimated advance of one monospace character, as a fraction of the font size. */
const CHAR_WIDTH = 0.6;
/** How many of the tree's notes the footer shows. */
const MAX_NOTES = 3;

/** Checks a numeric option: finite and within [min, max]. */
function checked(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  const x = v ?? dflt;
  if (!Number.isFinite(x) || x < min || x > max) throw new Error(`flamebook: flameSvg option ${name} must be a number from ${min} to ${max}, got ${String(v)}.`);
  return x;
}

/** Checks a choice option. */
function oneOf<T extends string>(name: string, v: T | undefined, choices: readonly T[]): T {
  const x = v ?? choices[0]!;
  if (!choices.includes(x)) throw new Error(`flamebook: flameSvg option ${name} must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, got ${JSON.stringify(v)}.`);
  return x;
}

/** Applies the defaults in one place. */
function resolve(tree: FlameTree, opts: FlameSvgOptions): Resolved {
  const theme = oneOf("theme", opts.theme, ["light", "dark"] as const);
  return {
    width: checked("width", opts.width, 1200, 100, 100_000),
    frameHeight: checked("frameHeight", opts.frameHeight, 16, 4, 200),
    fontSize: checked("fontSize", opts.fontSize, 12, 4, 100),
    minWidth: checked("minWidth", opts.minWidth, 0.001, 0, 1),
    maxFrames: checked("maxFrames", opts.maxFrames, 450, 1, 10_000_000),
    layout: oneOf("layout", opts.layout, ["flame", "icicle"] as const),
    title: opts.title ?? tree.title,
    diffMode: oneOf("diffMode", opts.diffMode ?? DEFAULT_FLAME_OPTIONS.diffMode, ["proportional", "absolute"] as const),
    diffWidth: oneOf("diffWidth", opts.diffWidth, ["union", "after", "before"] as const),
    theme,
    colors: THEME_COLORS[theme],
  };
}

/**
 * Escapes text for XML content and attribute values, after dropping control characters (all but
 * the newline, which separates tooltip lines) and characters XML cannot hold.
 *
 * @example
 * escapeXml(`<img src="x">&'\u0000`); // "&lt;img src=&quot;x&quot;&gt;&amp;&apos;"
 */
export function escapeXml(s: string): string {
  return s
    .split("\n")
    .map(printable)
    .join("\n")
    .replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]!};`);
}

/** A coordinate rounded to 0.1px, without a trailing ".0". */
function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Each node's weight for one diff side, divided by that side's root total in proportional mode. */
function sideWeights(total: Float64Array, mode: DiffMode): Float64Array {
  const root = total[0]!;
  return mode === "proportional" && root > 0 ? total.map((v) => v / root) : total;
}

/** The weight that sets each node's width (see {@link FlameSvgOptions.diffWidth}). */
function widthWeights(tree: FlameTree, o: Resolved): Float64Array {
  if (!tree.diff) return tree.nodes.total;
  const after = sideWeights(tree.nodes.total, o.diffMode);
  const before = sideWeights(tree.diff.total, o.diffMode);
  if (o.diffWidth === "after") return after;
  if (o.diffWidth === "before") return before;
  const w = new Float64Array(after.length);
  const children = new Float64Array(after.length);
  for (let i = w.length - 1; i >= 0; i--) {
    w[i] = Math.max(after[i]!, before[i]!, children[i]!);
    const p = tree.nodes.parent[i]!;
    if (p >= 0) children[p]! += w[i]!;
  }
  return w;
}

/** Each node's left edge in weight units: its parent's edge plus its earlier siblings' widths. */
function leftEdges(parent: Int32Array, w: Float64Array): Float64Array {
  const x = new Float64Array(w.length);
  const cursor = new Float64Array(w.length);
  for (let i = 1; i < w.length; i++) {
    const p = parent[i]!;
    x[i] = cursor[p]!;
    cursor[p]! += w[i]!;
    cursor[i] = x[i]!;
  }
  return x;
}

/**
 * The width fraction below which frames are left out: `minWidth`, raised when more than
 * `maxFrames` nodes would be drawn. A node is never wider than its parent, so a threshold keeps
 * a connected tree.
 */
function threshold(w: Float64Array, minWidth: number, maxFrames: number): number {
  const root = w[0]!;
  if (!(root > 0) || w.length <= maxFrames) return minWidth;
  const sorted = Float64Array.from(w).sort().reverse();
  const nth = sorted[maxFrames]!;
  return nth >= root * minWidth ? Math.min(1, (nth * (1 + 1e-12)) / root + Number.EPSILON) : minWidth;
}

/** Which nodes are drawn: wide enough, and with a drawn parent. */
function drawnNodes(parent: Int32Array, w: Float64Array, minWidth: number): Uint8Array {
  const drawn = new Uint8Array(w.length);
  const root = w[0]!;
  drawn[0] = root > 0 ? 1 : 0;
  for (let i = 1; i < w.length; i++) drawn[i] = drawn[parent[i]!] === 1 && w[i]! > 0 && w[i]! >= root * minWidth ? 1 : 0;
  return drawn;
}

/** Each node's change: after minus before, in weight or in share of each side's total. */
function changes(tree: FlameTree, mode: DiffMode): Float64Array {
  const after = sideWeights(tree.nodes.total, mode);
  const before = sideWeights(tree.diff!.total, mode);
  return after.map((a, i) => a - before[i]!);
}

/** The category of each frame. */
function categories(tree: FlameTree): FrameCategory[] {
  const { name, kind, module } = tree.frames;
  return Array.from(name, (n, f) => frameCategory(tree.strings[n]!, FLAME_KINDS[kind[f]!] ?? "unknown", module[f]! >= 0 ? tree.strings[module[f]!]! : ""));
}

/** The fill of every node. */
function fills(tree: FlameTree, o: Resolved): string[] {
  const n = tree.nodes.frame.length;
  if (tree.diff) {
    const c = changes(tree, o.diffMode);
    let max = 0;
    for (let i = 1; i < n; i++) max = Math.max(max, Math.abs(c[i]!));
    return Array.from(c, (v, i) => diffFill(v, max, tree.diff!.sig[i]!, o.theme));
  }
  const cat = categories(tree);
  const byFrame = cat.map((c, f) => categoryFill(c, tree.strings[tree.frames.name[f]!]!));
  return Array.from(tree.nodes.frame, (f) => byFrame[f]!);
}

/** Module, inlined flag and source line of a node's frame, one per line, when known. */
function location(tree: FlameTree, i: number): string {
  const f = tree.nodes.frame[i]!;
  const { module, file, line, inlined } = tree.frames;
  const out: string[] = [];
  const mod = module[f]! >= 0 ? printable(tree.strings[module[f]!]!) : "";
  if (mod !== "" || inlined[f] === 1) out.push(`${mod}${inlined[f] === 1 ? (mod ? " (inlined)" : "(inlined)") : ""}`);
  if (file[f]! >= 0) out.push(`${printable(tree.strings[file[f]!]!)}${line[f]! > 0 ? `:${line[f]}` : ""}`);
  return out.map((s) => `\n${s}`).join("");
}

/** The tooltip of a node of a plain tree. */
function plainTooltip(tree: FlameTree, i: number, name: string): string {
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const { self, total } = tree.nodes;
  return `${name} (self ${fmt(self[i]!)}, total ${fmt(total[i]!)}, ${formatPercent(total[i]! / total[0]!)})`;
}

const SIG_WORDS: Readonly<Record<number, string>> = { 0: "within noise", 1: "significant" };

/** The tooltip of a node of a diff tree: both sides and the change. */
function diffTooltip(tree: FlameTree, i: number, name: string): string {
  const d = tree.diff!;
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const share = (t: Float64Array) => (t[0]! > 0 ? t[i]! / t[0]! : 0);
  const side = (label: string, t: Float64Array, s: Float64Array) => `${label}: total ${fmt(t[i]!)} (${formatPercent(share(t))}), self ${fmt(s[i]!)}`;
  const pp = (share(tree.nodes.total) - share(d.total)) * 100;
  const change = `change: ${formatChange(tree.nodes.total[i]! - d.total[i]!, tree.unit, tree.event)}, ${pp > 0 ? "+" : ""}${pp.toFixed(2)}pp of the total, ${SIG_WORDS[d.sig[i]!] ?? "not tested"}`;
  return [name, side(printable(d.baseLabel), d.total, d.self), side(printable(d.label), tree.nodes.total, tree.nodes.self), change].join("\n");
}

/** A frame's label cut to fit `room` pixels ("" when fewer than 3 characters fit), like flamegraph.pl. */
function fitLabel(name: string, room: number, fontSize: number): string {
  const fits = Math.floor((room - 6) / (fontSize * CHAR_WIDTH));
  if (fits < 3) return "";
  const chars = Array.from(name);
  return chars.length <= fits ? name : chars.slice(0, fits - 2).join("") + "..";
}

/** Geometry of the frame area. */
interface Frame {
  readonly top: number;
  readonly rows: number;
  readonly scale: number;
}

/** One frame: a group with its tooltip, rectangle and label. */
function frameElement(tree: FlameTree, i: number, geo: Frame, x: number, w: number, fill: string, o: Resolved): string {
  const name = printable(tree.strings[tree.frames.name[tree.nodes.frame[i]!]!]!);
  const depth = tree.nodes.depth[i]!;
  const row = o.layout === "flame" ? geo.rows - 1 - depth : depth;
  const y = geo.top + row * o.frameHeight;
  const width = w * geo.scale;
  const tip = (tree.diff ? diffTooltip(tree, i, name) : plainTooltip(tree, i, name)) + location(tree, i);
  const label = fitLabel(name, width, o.fontSize);
  const rect = `<rect x="${px(PAD + x * geo.scale)}" y="${px(y)}" width="${px(width)}" height="${o.frameHeight - 1}" fill="${fill}"/>`;
  const baseline = y + (o.frameHeight - 1) / 2 + o.fontSize * 0.35;
  const text = label ? `<text x="${px(PAD + x * geo.scale + 3)}" y="${px(baseline)}">${escapeXml(label)}</text>` : "";
  return `<g><title>${escapeXml(tip)}</title>${rect}${text}</g>`;
}

/** The scoped stylesheet: every selector starts with a class derived from the rules, so several SVGs inlined in one page do not restyle each other. */
function stylesheet(o: Resolved): { scope: string; css: string } {
  const c = o.colors;
  const rules = (s: string) =>
    `${s} text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:${o.fontSize}px;fill:${c.text}}` +
    `${s} .t{font-size:${o.fontSize + 5}px;text-anchor:middle}${s} .s{fill:${c.muted};text-anchor:middle}${s} .m{fill:${c.muted}}` +
    `${s} .f text{fill:${c.label}}${s} .f g:hover rect{stroke:${c.hover};stroke-width:1}`;
  const scope = `fb${nameHash(rules(".fb")).toString(36)}`;
  return { scope, css: rules(`.${scope}`) };
}

/** The second heading line: event and totals. */
function subtitle(tree: FlameTree, o: Resolved): string {
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event) + (tree.unit === "samples" ? " samples" : "");
  if (!tree.diff) return `${tree.event}, total ${fmt(tree.nodes.total[0]!)}`;
  const [b, a] = [tree.diff.total[0]!, tree.nodes.total[0]!];
  const pct = b > 0 ? ` (${a >= b ? "+" : ""}${(((a - b) / b) * 100).toFixed(2)}%)` : "";
  const widths = { union: "the larger of both sides", after: tree.diff.label, before: tree.diff.baseLabel }[o.diffWidth];
  return `${tree.event}: ${tree.diff.baseLabel} ${fmt(b)} → ${tree.diff.label} ${fmt(a)}${pct}; widths: ${widths}`;
}

/** Legend entries (fill, or "" for text alone; label) for the tree. */
function legendEntries(tree: FlameTree, o: Resolved, drawn: Uint8Array): [string, string][] {
  if (tree.diff) {
    const what = o.diffMode === "proportional" ? "share of each side's total" : tree.event;
    return [
      [diffFill(1, 1, 1, o.theme), "grew"],
      [diffFill(-1, 1, 1, o.theme), "shrank"],
      [o.colors.same, "within noise"],
      ["", `deeper = larger change in ${what} (${o.diffMode})`],
    ];
  }
  const cat = categories(tree);
  const present = new Set<FrameCategory>();
  for (let i = 1; i < drawn.length; i++) if (drawn[i]) present.add(cat[tree.nodes.frame[i]!]!);
  const order = Object.keys(CATEGORY_LABELS) as FrameCategory[];
  return order.filter((c) => present.has(c)).map((c) => [categoryFill(c, CATEGORY_LABELS[c]), CATEGORY_LABELS[c]]);
}

/** The legend row: a swatch and a label per entry, left to right. */
function legend(entries: [string, string][], y: number, o: Resolved): string {
  let x = PAD;
  const s = o.fontSize;
  const parts = entries.map(([fill, label]) => {
    const swatch = fill ? `<rect x="${px(x)}" y="${px(y - s + 2)}" width="${s}" height="${s}" fill="${fill}"/>` : "";
    const tx = fill ? x + s + 4 : x;
    x = tx + Array.from(label).length * s * CHAR_WIDTH + 14;
    return `${swatch}<text x="${px(tx)}" y="${px(y)}">${escapeXml(label)}</text>`;
  });
  return `<g>${parts.join("")}</g>`;
}

/** Footer lines: what was not drawn, and the tree's notes (the first few). */
function footerLines(tree: FlameTree, drawn: Uint8Array, minWidth: number, o: Resolved): string[] {
  const lines: string[] = [];
  const pruned = drawn.reduce((n, d) => n + (d ? 0 : 1), 0);
  if (pruned > 0) lines.push(`${pruned} frame${pruned === 1 ? "" : "s"} narrower than ${+(minWidth * 100).toPrecision(3)}% of the total not drawn`);
  for (const n of tree.notes.slice(0, MAX_NOTES)) lines.push(`note: ${n}`);
  if (tree.notes.length > MAX_NOTES) lines.push(`…and ${tree.notes.length - MAX_NOTES} more notes`);
  const fit = Math.floor((o.width - 2 * PAD) / (o.fontSize * CHAR_WIDTH));
  return lines.map((l) => shorten(printable(l), fit));
}

/** The frames of the tree, in pre-order, and the depth of the deepest one drawn. */
function frameElements(tree: FlameTree, o: Resolved, top: number): { svg: string; rows: number; drawn: Uint8Array; minWidth: number } {
  const w = widthWeights(tree, o);
  const minWidth = threshold(w, o.minWidth, o.maxFrames);
  const drawn = drawnNodes(tree.nodes.parent, w, minWidth);
  let rows = 0;
  for (let i = 0; i < drawn.length; i++) if (drawn[i]) rows = Math.max(rows, tree.nodes.depth[i]! + 1);
  const x = leftEdges(tree.nodes.parent, w);
  const fill = fills(tree, o);
  const geo: Frame = { top, rows, scale: w[0]! > 0 ? (o.width - 2 * PAD) / w[0]! : 0 };
  const out: string[] = [];
  for (let i = 0; i < drawn.length; i++) if (drawn[i]) out.push(frameElement(tree, i, geo, x[i]!, w[i]!, fill[i]!, o));
  return { svg: `<g class="f">\n${out.join("\n")}\n</g>`, rows, drawn, minWidth };
}

/**
 * A static SVG flamegraph of a {@link FlameTree}, for the `image/svg+xml` part of a notebook
 * output (what GitHub, nbviewer and VS Code show when the widget cannot run). Each frame is a
 * `<g>` with a `<title>` tooltip (name, self, total, share, module and source line; for diff
 * trees both sides and the change), a rectangle and a label cut to fit with "..". Plain trees
 * are coloured by kind of code (your crates, std, the Rust toolchain, C/C++, kernel, unknown); diff trees red where a
 * frame grew, blue where it shrank, grey where the change is within noise. No script, no
 * external resources; every name is XML-escaped; the output is deterministic.
 *
 * @example
 * const svg = flameSvg(flameTree(profile), { width: 900, layout: "icicle" });
 * display({ "image/svg+xml": svg, "text/plain": flameText(tree) });
 * flameSvg(diffFlameTree(before, after), { diffMode: "absolute", theme: "dark" });
 */
export function flameSvg(tree: FlameTree, opts: FlameSvgOptions = {}): string {
  const o = resolve(tree, opts);
  const top = 2 * o.fontSize + 30;
  const frames = frameElements(tree, o, top);
  const legendY = top + frames.rows * o.frameHeight + o.fontSize + 10;
  const footer = footerLines(tree, frames.drawn, frames.minWidth, o);
  const height = Math.ceil(legendY + footer.length * (o.fontSize + 4) + 10);
  const { scope, css } = stylesheet(o);
  const footerSvg = footer.map((l, k) => `<text class="m" x="${PAD}" y="${px(legendY + (k + 1) * (o.fontSize + 4))}">${escapeXml(l)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${scope}" width="${o.width}" height="${height}" viewBox="0 0 ${o.width} ${height}">`,
    `<style>${css}</style>`,
    `<rect width="100%" height="100%" fill="${o.colors.background}"/>`,
    `<text class="t" x="${px(o.width / 2)}" y="${o.fontSize + 12}">${escapeXml(o.title)}</text>`,
    `<text class="s" x="${px(o.width / 2)}" y="${2 * o.fontSize + 18}">${escapeXml(subtitle(tree, o))}</text>`,
    frames.svg,
    legend(legendEntries(tree, o, frames.drawn), legendY, o),
    ...footerSvg,
    `</svg>`,
    ``,
  ].join("\n");
}
