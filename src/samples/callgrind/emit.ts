// Format: the last step of turning valgrind's "Callgrind Format Specification" call graph
// (valgrind manual) into stacks: each function's self cost, split over its call-tree nodes.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import type { CallGraph } from "./graph.js";

/** The call tree built by the expansion, as columns; `nodeR` holds `events` shares per node. */
export interface CallTree {
  nodeFn: number[];
  nodeParent: number[];
  nodeStack: number[];
  nodeR: number[];
  nodeC: number[];
  nodesOfFn: Int32Array;
}

/**
 * Splits each function's self cost over its nodes by their shares, in whole numbers, and adds
 * the sample rows. Nodes are rounded in depth-first order by their running sum, so every
 * function's self cost is exact and, within any subtree, each function is off by less than 1.
 * When all of a function's shares for an event are 0, its call-count shares are used, then
 * equal shares.
 *
 * @example
 * emitSelfCosts(graph, builder, thread, eventIds, { nodeFn, nodeParent, nodeStack, nodeR, nodeC, nodesOfFn });
 */
export function emitSelfCosts(g: CallGraph, b: ProfileBuilder, thread: number, eventIds: ArrayLike<number>, t: CallTree): void {
  const E = g.events;
  const F = g.size;
  const order = preorder(t.nodeParent);
  // nodes grouped by function (counting sort), each group in depth-first order
  const start = new Int32Array(F + 1);
  for (let f = 0; f < F; f++) start[f + 1] = start[f]! + t.nodesOfFn[f]!;
  const byFn = new Int32Array(t.nodeFn.length);
  const at = start.slice(0, F);
  for (const n of order) byFn[at[t.nodeFn[n]!]!++] = n;

  const weights: number[] = [];
  for (let f = 0; f < F; f++) {
    const from = start[f]!;
    const to = start[f + 1]!;
    if (from === to) continue;
    for (let e = 0; e < E; e++) {
      const self = g.self[f * E + e]!;
      if (self <= 0) continue;
      const event = eventIds[e]!;
      if (to - from === 1) {
        b.sample(t.nodeStack[byFn[from]!]!, thread, event, NaN, self);
        continue;
      }
      weights.length = 0;
      let sum = 0;
      for (let k = from; k < to; k++) sum += weights[weights.push(t.nodeR[byFn[k]! * E + e]!) - 1]!;
      if (!(sum > 0)) {
        weights.length = 0;
        sum = 0;
        for (let k = from; k < to; k++) sum += weights[weights.push(t.nodeC[byFn[k]!]!) - 1]!;
      }
      if (!(sum > 0)) {
        weights.fill(1);
        sum = weights.length;
      }
      // running-sum rounding: part k = round(C_k) - round(C_k-1), the last C is exactly `self`
      let running = 0;
      let done = 0;
      for (let k = 0; k < weights.length; k++) {
        running += (self * weights[k]!) / sum;
        const upTo = k === weights.length - 1 ? self : Math.min(self, Number.isInteger(self) ? Math.round(running) : running);
        const part = upTo - done;
        done = upTo;
        if (part > 0) b.sample(t.nodeStack[byFn[from + k]!]!, thread, event, NaN, part);
      }
    }
  }
}

/** Node ids in depth-first preorder (roots in id order); parents have smaller ids than children. */
function preorder(parent: readonly number[]): Int32Array {
  const n = parent.length;
  const first = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) first[parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
  const kids = new Int32Array(Math.max(0, first[n]!));
  const fill = first.slice(0, n);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) kids[fill[parent[i]!]!++] = i;
  const out = new Int32Array(n);
  const stack: number[] = [];
  let k = 0;
  for (let r = n - 1; r >= 0; r--) if (parent[r]! < 0) stack.push(r);
  while (stack.length > 0) {
    const v = stack.pop()!;
    out[k++] = v;
    for (let j = first[v + 1]! - 1; j >= first[v]!; j--) stack.push(kids[j]!);
  }
  return out;
}
