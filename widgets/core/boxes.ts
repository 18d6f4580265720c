// Boxes: what every view draws (the call tree, the two halves of a sandwich, the flame chart), as
// columns, with an index of each row's boxes in left-to-right order. Pure; no DOM.
import type { FlameTree } from "../../src/model/flame-tree.js";
import { leftEdges, maxOf, unionWidths } from "./layout.js";
import type { DiffMode } from "../../src/model/flame-tree.js";

/**
 * Rectangles in rows. `x0`/`x1` are in the view's own units (weight, or seconds for the chart);
 * `depth` is the row (0 = the base row); `parent` the enclosing box one row down, -1 at the base;
 * `frame` the tree's frame (name, colour, module); `node` the tree node the box stands for (a
 * representative one when the box merges several), -1 for none. Boxes of a row never overlap.
 */
export interface BoxSet {
  readonly count: number;
  readonly x0: Float64Array;
  readonly x1: Float64Array;
  readonly depth: Int32Array;
  readonly parent: Int32Array;
  readonly frame: Int32Array;
  readonly node: Int32Array;
  readonly maxDepth: number;
}

/** Each row's boxes, left to right: row `d` is `order[start[d]] … order[start[d + 1] - 1]`. */
export interface RowIndex {
  readonly start: Int32Array;
  readonly order: Int32Array;
}

/**
 * The boxes of a flame tree's call tree: one per node, widths from `total` (for diff trees the
 * larger of both sides, see {@link unionWidths}).
 *
 * @example
 * const boxes = treeBoxes(tree, "proportional");
 * boxes.x1[0] - boxes.x0[0]; // the root's width: tree.nodes.total[0] for a plain tree
 */
export function treeBoxes(tree: FlameTree, mode: DiffMode): BoxSet {
  const { parent, depth, frame, total } = tree.nodes;
  const width = tree.diff ? unionWidths(parent, total, tree.diff.total, mode) : total;
  const node = new Int32Array(parent.length);
  for (let i = 0; i < node.length; i++) node[i] = i;
  return preorderBoxes(parent, depth, frame, node, width);
}

/**
 * The boxes of any tree in pre-order, given each node's width: left edges from the parents
 * (O(n), see {@link leftEdges}).
 *
 * @example
 * preorderBoxes(Int32Array.of(-1, 0), Int32Array.of(0, 1), Int32Array.of(0, 1), Int32Array.of(0, 1), Float64Array.of(2, 1));
 */
export function preorderBoxes(parent: Int32Array, depth: Int32Array, frame: Int32Array, node: Int32Array, width: Float64Array): BoxSet {
  const x0 = leftEdges(parent, width);
  const x1 = new Float64Array(x0.length);
  for (let i = 0; i < x0.length; i++) x1[i] = x0[i]! + width[i]!;
  return { count: x0.length, x0, x1, depth, parent, frame, node, maxDepth: maxOf(depth) };
}

/**
 * The row index of boxes whose rows are already left to right in index order (true of a
 * pre-order tree and of the flame chart's boxes): a stable counting sort by depth, O(n).
 *
 * @example
 * const rows = rowIndex(boxes);
 * rows.start[1] - rows.start[0]; // how many boxes the base row has
 */
export function rowIndex(boxes: BoxSet): RowIndex {
  const rows = boxes.maxDepth + 1;
  const start = new Int32Array(rows + 1);
  for (let i = 0; i < boxes.count; i++) start[boxes.depth[i]! + 1]!++;
  for (let d = 0; d < rows; d++) start[d + 1]! += start[d]!;
  const fill = start.slice(0, rows);
  const order = new Int32Array(boxes.count);
  for (let i = 0; i < boxes.count; i++) order[fill[boxes.depth[i]!]!++] = i;
  return { start, order };
}

/**
 * The position in `rows.order` of the first box of row `depth` whose right edge is past `x`
 * (binary search); `rows.start[depth + 1]` when there is none.
 *
 * @example
 * const k = firstFrom(boxes, rows, 2, domain[0]); // first box of row 2 that reaches into the view
 */
export function firstFrom(boxes: BoxSet, rows: RowIndex, depth: number, x: number): number {
  if (depth < 0 || depth >= rows.start.length - 1) return 0;
  let lo = rows.start[depth]!;
  let hi = rows.start[depth + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boxes.x1[rows.order[mid]!]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first position in `rows.order[lo…hi)` (one row's slice, left to right) whose box's right
 * edge is past `x` (binary search); `hi` when there is none.
 *
 * @example
 * const k = nextPast(boxes, rows, k0 + 1, rows.start[d + 1], x); // skip what ends at or before x
 */
export function nextPast(boxes: BoxSet, rows: RowIndex, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boxes.x1[rows.order[mid]!]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Running counts of flagged boxes in row order: `out[k]` is how many of `rows.order[0…k)` have
 * `flags[box] === 1`, so a slice of a row holds a flagged box when `out[k1] - out[k0] > 0`.
 *
 * @example
 * const ranks = rowRanks(rows, match);
 * ranks[k1] - ranks[k0]; // matching boxes among positions k0…k1-1
 */
export function rowRanks(rows: RowIndex, flags: Uint8Array): Int32Array {
  const { order } = rows;
  const out = new Int32Array(order.length + 1);
  for (let k = 0; k < order.length; k++) out[k + 1] = out[k]! + (flags[order[k]!] === 1 ? 1 : 0);
  return out;
}

/**
 * The box of row `depth` that contains `x` (within `slack` units either side, for frames narrower
 * than the pointer), or -1.
 *
 * @example
 * boxAt(boxes, rows, 0, 5); // 0: the root covers everything
 */
export function boxAt(boxes: BoxSet, rows: RowIndex, depth: number, x: number, slack = 0): number {
  if (depth < 0 || depth >= rows.start.length - 1) return -1;
  const end = rows.start[depth + 1]!;
  let best = -1;
  let bestDist = Infinity;
  for (let k = firstFrom(boxes, rows, depth, x - slack); k < end; k++) {
    const b = rows.order[k]!;
    if (boxes.x0[b]! > x + slack) break;
    if (boxes.x1[b]! <= boxes.x0[b]!) continue;
    const dist = x < boxes.x0[b]! ? boxes.x0[b]! - x : x >= boxes.x1[b]! ? x - boxes.x1[b]! : 0;
    if (dist === 0) return b;
    if (dist < bestDist) {
      bestDist = dist;
      best = b;
    }
  }
  return best;
}

/**
 * The top of a pre-order tree's trunk: from the root, follow the child that carries at least
 * `share` of its parent's width for as long as there is one. In a Rust profile this skips the
 * runtime's start-up frames (`_start` … `lang_start` … `main`) to where the program branches.
 *
 * @example
 * trunkTop(treeBoxes(tree, "proportional")); // the node of wordfreq::main in clone-in-loop
 */
export function trunkTop(boxes: BoxSet, share = 0.97): number {
  let n = 0;
  for (;;) {
    const w = boxes.x1[n]! - boxes.x0[n]!;
    let next = -1;
    for (let i = n + 1; i < boxes.count && boxes.depth[i]! > boxes.depth[n]!; i++) {
      if (boxes.parent[i] === n && boxes.x1[i]! - boxes.x0[i]! >= share * w && w > 0) {
        next = i;
        break;
      }
    }
    if (next < 0) return n;
    n = next;
  }
}
