// The three views as panes of boxes with their vertical geometry: the call tree (one pane), the
// sandwich (callers growing up from the function, callees growing down from it) and the flame
// chart (one pane, x = time). Pure; no DOM.
import type { DiffMode, FlameLayout, FlameTree } from "../../src/model/flame-tree.js";
import { preorderBoxes, rowIndex, treeBoxes, type BoxSet, type RowIndex } from "./boxes.js";
import { unionWidths } from "./layout.js";
import { categoryColorIds, diffChanges, diffColorIds, fixedColors, type BoxColors, type FrameColorIds } from "./palette.js";
import type { CallTree, Sandwich } from "./sandwich.js";
import type { ChartBoxes } from "./timeline.js";
import type { Domain } from "./zoom.js";

/** Row pitch, padding above/below a pane, and the band between the sandwich's halves (CSS px). */
export const ROW = 18;
export const PAD = 6;
export const BAND = 26;

/** What a pane shows. */
export type PaneKind = "tree" | "callers" | "callees" | "chart";

/** A pane: boxes, colours, which way it grows, where it sits in the content, and its zoom. */
export interface Pane {
  readonly kind: PaneKind;
  readonly boxes: BoxSet;
  readonly rows: RowIndex;
  readonly color: BoxColors;
  readonly grow: "up" | "down";
  /** Content y of the pane's top edge, and its height (CSS px). */
  readonly top: number;
  readonly height: number;
  /** The whole x range; the range in view; the box zoomed to (-1: none). */
  readonly full: Domain;
  domain: Domain;
  focus: number;
  /** For sandwich panes, the call tree the boxes come from. */
  readonly callTree?: CallTree;
}

/**
 * Content y of the top of row `depth` of a pane.
 *
 * @example
 * rowTop({ top: 0, height: 100, grow: "up" }, 0); // 100 - PAD - ROW
 */
export function rowTop(p: Pick<Pane, "top" | "height" | "grow">, depth: number): number {
  return p.grow === "down" ? p.top + PAD + depth * ROW : p.top + p.height - PAD - (depth + 1) * ROW;
}

/**
 * The row of a pane at content y, or -1 outside its rows.
 *
 * @example
 * rowAt(pane, rowTop(pane, 3) + 5); // 3
 */
export function rowAt(p: Pick<Pane, "top" | "height" | "grow">, y: number): number {
  const r = p.grow === "down" ? Math.floor((y - p.top - PAD) / ROW) : Math.floor((p.top + p.height - PAD - y) / ROW);
  return r >= 0 ? r : -1;
}

/** Height of a pane of boxes with both paddings. */
const paneHeight = (b: BoxSet) => (b.maxDepth + 1) * ROW + 2 * PAD;

/** A box of a pane: the unit of hovering and selection. */
export interface Spot {
  readonly pane: number;
  readonly box: number;
}

/** Everything the current view draws. */
export interface Scene {
  readonly panes: readonly Pane[];
  readonly contentHeight: number;
  readonly sandwich?: Sandwich;
  readonly chart?: ChartBoxes;
}

/** Colour ids of tree boxes for the current colouring. */
function treeColors(tree: FlameTree, boxes: BoxSet, byFrame: FrameColorIds, mode: DiffMode): BoxColors {
  if (!tree.diff) return categoryColorIds(boxes, byFrame, 0);
  return fixedColors(diffColorIds(diffChanges({ after: tree.nodes.total, before: tree.diff.total }, mode), tree.diff.sig));
}

/** The boxes of a call tree, their rows and colours: what a tree scene is made of, whatever its height and layout. */
export interface TreeParts {
  readonly boxes: BoxSet;
  readonly rows: RowIndex;
  readonly color: BoxColors;
}

/**
 * The boxes, rows and colours of the call tree for a diff mode (keep them: a new height or layout
 * reuses them).
 *
 * @example
 * const parts = treeParts(tree, new FrameColorIds(tree), "proportional");
 * treeScene(tree, byFrame, { layout: "icicle", diffMode: "proportional", focus: 0 }, 420, parts);
 */
export function treeParts(tree: FlameTree, byFrame: FrameColorIds, mode: DiffMode): TreeParts {
  const boxes = treeBoxes(tree, mode);
  return { boxes, rows: rowIndex(boxes), color: treeColors(tree, boxes, byFrame, mode) };
}

/**
 * The call tree view: one pane; flame sits at the bottom of the viewport, icicle at the top.
 *
 * @example
 * const scene = treeScene(tree, new FrameColorIds(tree), { layout: "flame", diffMode: "proportional", focus: 0 }, 420);
 */
export function treeScene(tree: FlameTree, byFrame: FrameColorIds, o: { layout: FlameLayout; diffMode: DiffMode; focus: number }, viewport: number, built?: TreeParts): Scene {
  const { boxes, rows, color } = built ?? treeParts(tree, byFrame, o.diffMode);
  const h = paneHeight(boxes);
  const content = Math.max(h, viewport);
  const full: Domain = [boxes.x0[0]!, boxes.x1[0]!];
  const focus = o.focus > 0 && o.focus < boxes.count && boxes.x1[o.focus]! > boxes.x0[o.focus]! ? o.focus : 0;
  const pane: Pane = {
    kind: "tree",
    boxes,
    rows,
    color,
    grow: o.layout === "flame" ? "up" : "down",
    top: o.layout === "flame" ? content - h : 0,
    height: h,
    full,
    domain: focus > 0 ? [boxes.x0[focus]!, boxes.x1[focus]!] : full,
    focus,
  };
  return { panes: [pane], contentHeight: content };
}

/** Boxes and colours of one half of a sandwich. */
function callTreePane(kind: "callers" | "callees", tree: FlameTree, ct: CallTree, byFrame: FrameColorIds, mode: DiffMode, top: number): Pane {
  // Diffs: the larger side sets the width; proportional mode first divides each side by its
  // whole-profile total (not the function's), as the tree view does.
  let w = ct.total;
  if (ct.baseTotal && tree.diff) {
    const prop = mode === "proportional";
    const ra = prop && tree.nodes.total[0]! > 0 ? 1 / tree.nodes.total[0]! : 1;
    const rb = prop && tree.diff.total[0]! > 0 ? 1 / tree.diff.total[0]! : 1;
    w = unionWidths(ct.parent, ct.total.map((v) => v * ra), ct.baseTotal.map((v) => v * rb), "absolute");
  }
  const boxes = preorderBoxes(ct.parent, ct.depth, ct.frame, ct.node, w);
  const color =
    tree.diff && ct.baseTotal
      ? fixedColors(diffColorIds(diffChanges({ after: ct.total, before: ct.baseTotal }, mode, tree.nodes.total[0]!, tree.diff.total[0]!), undefined))
      : categoryColorIds(boxes, byFrame, -1);
  const full: Domain = [boxes.x0[0] ?? 0, boxes.x1[0] ?? 1];
  const h = (boxes.maxDepth + 1) * ROW + PAD;
  return {
    kind,
    boxes,
    rows: rowIndex(boxes),
    color,
    grow: kind === "callers" ? "up" : "down",
    top,
    height: kind === "callers" ? h + PAD : h,
    full,
    domain: full,
    focus: -1,
    callTree: ct,
  };
}

/**
 * The sandwich view of the function named by string index `name`: callers above (growing up from
 * the function), a band for the titles, callees below.
 *
 * @example
 * const scene = sandwichScene(tree, new FrameColorIds(tree), buildSandwich(tree, fn), "proportional", 420);
 */
export function sandwichScene(tree: FlameTree, byFrame: FrameColorIds, s: Sandwich, mode: DiffMode, viewport: number): Scene {
  const up = callTreePane("callers", tree, s.callers, byFrame, mode, 0);
  const down = callTreePane("callees", tree, s.callees, byFrame, mode, up.height + BAND);
  const content = Math.max(viewport, down.top + down.height + PAD);
  return { panes: [up, down], contentHeight: content, sandwich: s };
}

/**
 * The flame chart of one thread: one pane with x in seconds.
 *
 * @example
 * const scene = chartScene(new FrameColorIds(tree), chartBoxes(tree, 0), "flame", 420);
 */
export function chartScene(byFrame: FrameColorIds, chart: ChartBoxes, layout: FlameLayout, viewport: number): Scene {
  const h = paneHeight(chart);
  const content = Math.max(h, viewport);
  const full: Domain = [chart.t0, chart.t1];
  const pane: Pane = {
    kind: "chart",
    boxes: chart,
    rows: rowIndex(chart),
    color: categoryColorIds(chart, byFrame, -1),
    grow: layout === "flame" ? "up" : "down",
    top: layout === "flame" ? content - h : 0,
    height: h,
    full,
    domain: full,
    focus: -1,
  };
  return { panes: [pane], contentHeight: content, chart };
}

