// Tooltip content (pure) and the tooltip element (DOM, text only: names never become HTML).
import type { FlameTree } from "../../src/model/flame-tree.js";
import { CATEGORIES, KINDS, frameCategory } from "./colors.js";
import { baseName, formatChange, formatPercent, formatPoints, formatSeconds, formatWeight, printable } from "./format.js";
import { shortAndFull } from "./chrome-text.js";
import type { CallTree } from "./sandwich.js";
import type { Scene, Spot } from "./views.js";

/** One "label: value" line of a tooltip. */
export interface TipLine {
  readonly label: string;
  readonly value: string;
}

/** What a tooltip says: the frame's full name, labelled lines, and muted notes. */
export interface TipContent {
  readonly title: string;
  readonly lines: readonly TipLine[];
  readonly notes: readonly string[];
}

const SIG_WORDS: Readonly<Record<number, string>> = { 0: "within noise", 1: "significant" };

/** Module, inlining, kind of code and source location of a frame. */
function whereLines(tree: FlameTree, f: number): TipLine[] {
  const { module, file, line, inlined, kind, name } = tree.frames;
  const out: TipLine[] = [];
  if (f < 0 || f >= name.length) return out;
  const mod = module[f]! >= 0 ? printable(tree.strings[module[f]!] ?? "") : "";
  if (mod !== "" || inlined[f] === 1) out.push({ label: "module", value: `${mod ? baseName(mod) : "?"}${inlined[f] === 1 ? " (inlined)" : ""}` });
  if (mod !== "" && baseName(mod) !== mod) out.push({ label: "path", value: mod });
  const src = file[f]! >= 0 ? printable(tree.strings[file[f]!] ?? "") : "";
  if (src !== "" && src !== "??") out.push({ label: "source", value: `${src}${line[f]! > 0 ? `:${line[f]}` : ""}` });
  const cat = frameCategory(tree.strings[name[f]!] ?? "", KINDS[kind[f]!] ?? "unknown");
  out.push({ label: "kind", value: CATEGORIES.find(([c]) => c === cat)?.[1] ?? cat });
  return out;
}

/** The name of a frame, printable. */
function frameName(tree: FlameTree, f: number): string {
  return printable(tree.strings[tree.frames.name[f]!] ?? "?");
}

/** "before"/"after"/"change" lines of one box of a diff. */
function diffLines(tree: FlameTree, after: number, before: number, sig: number, rootAfter: number, rootBefore: number): TipLine[] {
  const d = tree.diff!;
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const sa = rootAfter > 0 ? after / rootAfter : 0;
  const sb = rootBefore > 0 ? before / rootBefore : 0;
  const rel = before > 0 ? ` (${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(1)}%)` : after > 0 ? " (new)" : "";
  return [
    { label: printable(d.baseLabel), value: `${fmt(before)} · ${formatPercent(sb)}` },
    { label: printable(d.label), value: `${fmt(after)} · ${formatPercent(sa)}` },
    { label: "change", value: `${formatChange(after - before, tree.unit, tree.event)}${rel} · ${formatPoints(sa - sb)}${sig === 255 ? "" : ` · ${SIG_WORDS[sig] ?? "not tested"}`}` },
  ];
}

/** Whether `node` is `ancestor` or below it. */
function isBelow(parent: Int32Array, node: number, ancestor: number): boolean {
  for (let n = node; n >= 0; n = parent[n]!) if (n === ancestor) return true;
  return false;
}

/**
 * The tooltip of a node of the call tree: total and self with their share of everything and,
 * when zoomed, of the zoomed frame; both sides and the change for diff trees; where the code is.
 *
 * @example
 * treeTip(tree, 44, 0).lines[0]; // { label: "total", value: "30.1 ms · 50.0% of all" }
 */
export function treeTip(tree: FlameTree, node: number, focus: number): TipContent {
  const { total, self, frame } = tree.nodes;
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const all = total[0]!;
  const zoomed = focus > 0 && focus !== node && total[focus]! > 0 && isBelow(tree.nodes.parent, node, focus) ? ` · ${formatPercent(total[node]! / total[focus]!)} of zoom` : "";
  const lines: TipLine[] = [
    { label: "total", value: `${fmt(total[node]!)} · ${formatPercent(all > 0 ? total[node]! / all : 0)} of all${zoomed}` },
    { label: "self", value: `${fmt(self[node]!)} · ${formatPercent(all > 0 ? self[node]! / all : 0)} of all` },
  ];
  if (tree.diff) lines.push(...diffLines(tree, total[node]!, tree.diff.total[node]!, tree.diff.sig[node]!, all, tree.diff.total[0]!));
  if (node > 0) lines.push(...whereLines(tree, frame[node]!));
  const title = node === 0 ? `${printable(tree.title || "all")} (all samples)` : frameName(tree, frame[node]!);
  return { title, lines, notes: ["click: zoom · s: sandwich · c: copy name"] };
}

/**
 * The tooltip of a box of a sandwich: for a caller, the weight of the function's calls through
 * that path; for a callee, its merged weight under the function.
 *
 * @example
 * sandwichTip(tree, "callers", sandwich.callers, 1, "to_string").notes[0]; // "calls to_string (…)"
 */
export function sandwichTip(tree: FlameTree, side: "callers" | "callees", ct: CallTree, b: number, fnName: string): TipContent {
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const all = tree.nodes.total[0]!;
  const fnTotal = ct.total[0]!;
  const share = (v: number) => `${formatPercent(all > 0 ? v / all : 0)} of all · ${formatPercent(fnTotal > 0 ? v / fnTotal : 0)} of ${b === 0 ? "it" : "the function"}`;
  const lines: TipLine[] = [];
  if (b === 0 || side === "callees") {
    lines.push({ label: "total", value: `${fmt(ct.total[b]!)} · ${share(ct.total[b]!)}` });
    lines.push({ label: "self", value: `${fmt(ct.self[b]!)} · ${formatPercent(all > 0 ? ct.self[b]! / all : 0)} of all` });
  } else {
    lines.push({ label: "via here", value: `${fmt(ct.total[b]!)} · ${share(ct.total[b]!)}` });
  }
  if (tree.diff && ct.baseTotal) lines.push(...diffLines(tree, ct.total[b]!, ct.baseTotal[b]!, 255, all, tree.diff.total[0]!));
  lines.push(...whereLines(tree, ct.frame[b]!));
  const notes =
    b === 0
      ? ["the function of the sandwich: callers above, callees below"]
      : side === "callers"
        ? [`calls ${fnName} (directly or through the frames below)`]
        : [`called by ${fnName}; merged over all its calls`];
  return { title: printable(tree.strings[ct.name[b]!] ?? "?"), lines, notes };
}

/**
 * The tooltip of a box of the flame chart: how long it ran and when, and its node in the tree.
 *
 * @example
 * chartTip(tree, chart, 0).lines[0]; // { label: "duration", value: "58.0 ms" }
 */
export function chartTip(tree: FlameTree, chart: { x0: Float64Array; x1: Float64Array; node: Int32Array; frame: Int32Array }, b: number): TipContent {
  const fmt = (v: number) => formatWeight(v, tree.unit, tree.event);
  const node = chart.node[b]!;
  const all = tree.nodes.total[0]!;
  const lines: TipLine[] = [
    { label: "duration", value: formatSeconds(chart.x1[b]! - chart.x0[b]!) },
    { label: "time", value: `${formatSeconds(chart.x0[b]!)} – ${formatSeconds(chart.x1[b]!)}` },
    { label: "call tree", value: `total ${fmt(tree.nodes.total[node]!)} (${formatPercent(all > 0 ? tree.nodes.total[node]! / all : 0)}), self ${fmt(tree.nodes.self[node]!)}` },
    ...whereLines(tree, chart.frame[b]!),
  ];
  return { title: frameName(tree, chart.frame[b]!), lines, notes: ["click: zoom to this time span"] };
}

/**
 * Fills the tooltip element with a content, as text nodes only.
 *
 * @example
 * renderTip(tipEl, treeTip(tree, 44, 0));
 */
export function renderTip(el: HTMLElement, tip: TipContent): void {
  const doc = el.ownerDocument;
  const title = doc.createElement("div");
  title.className = "fb-tip-title";
  title.textContent = tip.title;
  const table = doc.createElement("div");
  table.className = "fb-tip-lines";
  for (const l of tip.lines) {
    const k = doc.createElement("span");
    k.className = "fb-tip-k";
    k.textContent = l.label;
    const v = doc.createElement("span");
    v.className = "fb-tip-v";
    v.textContent = l.value;
    table.append(k, v);
  }
  const parts: HTMLElement[] = [title, table];
  for (const n of tip.notes) {
    const p = doc.createElement("div");
    p.className = "fb-tip-note";
    p.textContent = n;
    parts.push(p);
  }
  el.replaceChildren(...parts);
}

/**
 * The tooltip content of a box of the scene, whichever view it is in.
 *
 * @example
 * spotTip(tree, scene, { pane: 0, box: 44 }).title; // "<T as alloc::string::ToString>::to_string"
 */
export function spotTip(tree: FlameTree, scene: Scene, s: Spot): TipContent {
  const pane = scene.panes[s.pane]!;
  if (pane.kind === "tree") return treeTip(tree, s.box, pane.focus);
  if (pane.kind === "chart") return chartTip(tree, pane.boxes, s.box);
  return sandwichTip(tree, pane.kind, pane.callTree!, s.box, shortAndFull(tree, scene.sandwich!.name)[0]);
}

/**
 * Shows the tooltip element near canvas point (x, y), flipped to stay inside `root`.
 *
 * @example
 * placeTip(tipEl, rootEl, canvas, 120, 40);
 */
export function placeTip(tip: HTMLElement, root: HTMLElement, canvas: HTMLElement, x: number, y: number): void {
  tip.hidden = false;
  const r = root.getBoundingClientRect();
  const c = canvas.getBoundingClientRect();
  const px = c.left - r.left + x;
  const py = c.top - r.top + y;
  const [tw, th] = [tip.offsetWidth, tip.offsetHeight];
  let left = px + 14;
  if (left + tw > r.width - 4) left = Math.max(4, px - tw - 14);
  let top = py + 18;
  if (top + th > r.height - 4) top = Math.max(4, py - th - 10);
  tip.style.left = `${left}px`;
  tip.style.top = `${top}px`;
}
