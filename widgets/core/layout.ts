// Horizontal layout of a pre-order tree, in O(n): a node's left edge is its parent's left edge
// plus the widths of its earlier siblings. Pure; no DOM.
import type { DiffMode } from "../../src/model/flame-tree.js";

/**
 * Each node's left edge in weight units, from parents and widths of a tree in pre-order
 * (node 0 the root, children after their parent, siblings left to right).
 *
 * @example
 * // root(10) -> a(6), b(4)
 * leftEdges(Int32Array.of(-1, 0, 0), Float64Array.of(10, 6, 4)); // Float64Array [0, 0, 6]
 */
export function leftEdges(parent: Int32Array, width: Float64Array): Float64Array {
  const n = parent.length;
  const x = new Float64Array(n);
  const cursor = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const p = parent[i]!;
    x[i] = cursor[p]!;
    cursor[p]! += width[i]!;
    cursor[i] = x[i]!;
  }
  return x;
}

/**
 * The index one past the last descendant of each node of a pre-order tree: the subtree of `i`
 * is `i … end[i] - 1`.
 *
 * @example
 * subtreeEnds(Int32Array.of(0, 1, 2, 1, 1)); // Int32Array [5, 3, 3, 4, 5]
 */
export function subtreeEnds(depth: Int32Array): Int32Array {
  const n = depth.length;
  const end = new Int32Array(n);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    while (stack.length > 0 && depth[stack[stack.length - 1]!]! >= depth[i]!) end[stack.pop()!] = i;
    stack.push(i);
  }
  for (const i of stack) end[i] = n;
  return end;
}

/**
 * The frame widths of a diff tree: the larger of both sides (and of its children's widths), so
 * frames that vanished or appeared both show; in proportional mode each side is first divided by
 * its root total, so the two sides are compared at the same scale.
 *
 * @example
 * // before: root 10 -> a 10; after: root 10 -> b 10
 * unionWidths(Int32Array.of(-1, 0, 0), Float64Array.of(10, 0, 10), Float64Array.of(10, 10, 0), "absolute");
 * // Float64Array [20, 10, 10]
 */
export function unionWidths(parent: Int32Array, after: Float64Array, before: Float64Array, mode: DiffMode): Float64Array {
  const n = parent.length;
  const ra = mode === "proportional" && after[0]! > 0 ? 1 / after[0]! : 1;
  const rb = mode === "proportional" && before[0]! > 0 ? 1 / before[0]! : 1;
  const w = new Float64Array(n);
  const children = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    w[i] = Math.max(after[i]! * ra, before[i]! * rb, children[i]!);
    const p = parent[i]!;
    if (p >= 0) children[p]! += w[i]!;
  }
  return w;
}

/**
 * The deepest depth of a depth column (0 when empty).
 *
 * @example
 * maxOf(Int32Array.of(0, 1, 2, 1)); // 2
 */
export function maxOf(values: Int32Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}
