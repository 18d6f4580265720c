// Format: turns the call graph of valgrind's "Callgrind Format Specification" (valgrind manual)
// into stacks, since flamebook's Profile has stacks and no call graph.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import type { CallGraph } from "./graph.js";
import { emitSelfCosts } from "./emit.js";
import { MaxHeap } from "./heap.js";

/** Limits of {@link expandCallGraph}. Every option documents its default. */
export interface ExpandOptions {
  /** The deepest stack built; deeper calls are not expanded. Default: 256. */
  maxDepth?: number;
  /** The most call-tree nodes (stacks) built; the heaviest are built first. Default: 100000. */
  maxNodes?: number;
}

/** What {@link expandCallGraph} had to approximate. */
export interface ExpandReport {
  /** Call-tree nodes built. */
  nodes: number;
  /** Calls not expanded because the callee was already on the stack (recursion, including self-calls). */
  cycles: number;
  /** Calls not expanded because of `maxDepth`. */
  depthCuts: number;
  /** Calls not expanded because of `maxNodes`. */
  budgetCuts: number;
  /** Functions with cost the expansion missed, attached once under their heaviest placed caller. */
  attached: number;
  /** Functions with cost in a call cycle no root reaches, made roots of their own. */
  extraRoots: number;
}

/**
 * Expands a callgrind call graph into a call tree and adds one sample row per (stack, event).
 *
 * The approximation: callgrind records, per caller→callee pair, the inclusive cost of the
 * calls, not whole stacks. The tree starts at the roots (functions nobody calls, like `_start`
 * or `(below main)`). A callee reached through a call site represents the share r of all its
 * work equal to that site's inclusive cost over the callee's inclusive cost from all sites,
 * per event (when that is 0 for an event, the share of call counts). Its own calls are
 * expanded with their costs scaled by r, heaviest first. A call to a function already on the
 * stack (recursion) is not expanded, nor are calls past `maxDepth` or `maxNodes`, nor call
 * paths worth less than 1/20 of a unit of every event; a function with cost that the expansion
 * misses that way is attached once under the heaviest node of its heaviest placed caller, and
 * the heaviest function of a call cycle that no root reaches becomes a root. Finally each
 * function's self cost is split over its tree nodes in proportion to their shares and rounded
 * to whole numbers (by running sum, in depth-first order), so:
 * - the self cost of every function, and the total of every event, is exact;
 * - without recursion or cuts, the inclusive cost of every function (summed over its stacks)
 *   equals callgrind's up to rounding and the dropped tiny paths (a few units in a million on
 *   our fixtures), as long as callgrind's costs are consistent (a function's self plus calls
 *   equal its callers' inclusive costs, which callgrind's output satisfies but for calls that
 *   never return, like `_Exit`);
 * - what is approximate is the split of a shared callee over its call paths (by the shares
 *   above: callgrind does not record paths longer than one call), and, under recursion or
 *   limits, the inclusive costs of the functions involved (their self cost moves to their
 *   other stacks); the importer then warns.
 *
 * @example
 * const report = expandCallGraph(graph, builder, frames, builder.thread("app", 1, -1), eventIds);
 * if (report.cycles > 0) builder.warn("recursion was folded");
 */
export function expandCallGraph(
  g: CallGraph,
  b: ProfileBuilder,
  frames: ArrayLike<number>,
  thread: number,
  eventIds: ArrayLike<number>,
  opts: ExpandOptions = {},
): ExpandReport {
  const maxDepth = limit(opts.maxDepth, 256);
  const maxNodes = limit(opts.maxNodes, 100_000);
  const E = g.events;
  const F = g.size;
  const report: ExpandReport = { nodes: 0, cycles: 0, depthCuts: 0, budgetCuts: 0, attached: 0, extraRoots: 0 };

  // Per event grand totals (the sum of self costs) and which functions carry any cost.
  const total = new Float64Array(E);
  const hasSelf = new Uint8Array(F);
  for (let f = 0; f < F; f++) {
    for (let e = 0; e < E; e++) {
      const s = g.self[f * E + e]!;
      total[e]! += s;
      if (s > 0) hasSelf[f] = 1;
    }
  }

  // Inbound sums per callee (self-calls left out: they are recursion inside one node), and
  // outbound edges per caller, heaviest first.
  const inCost = new Float64Array(F * E);
  const inCount = new Float64Array(F);
  const inDeg = new Int32Array(F);
  const outDeg = new Int32Array(F + 1);
  const edgeWeight = new Float64Array(g.edgeFrom.length);
  for (let i = 0; i < g.edgeFrom.length; i++) {
    const from = g.edgeFrom[i]!;
    const to = g.edgeTo[i]!;
    if (from === to) {
      report.cycles++;
      continue;
    }
    for (let e = 0; e < E; e++) {
      const c = g.edgeCost[i * E + e]!;
      inCost[to * E + e]! += c;
      if (total[e]! > 0) edgeWeight[i] = Math.max(edgeWeight[i]!, c / total[e]!);
    }
    inCount[to]! += g.edgeCount[i]!;
    inDeg[to]!++;
    outDeg[from + 1]!++;
  }
  for (let f = 0; f < F; f++) outDeg[f + 1]! += outDeg[f]!;
  const outEdges = new Int32Array(outDeg[F]!);
  const fill = outDeg.slice(0, F);
  for (let i = 0; i < g.edgeFrom.length; i++) if (g.edgeFrom[i] !== g.edgeTo[i]) outEdges[fill[g.edgeFrom[i]!]!++] = i;
  for (let f = 0; f < F; f++) {
    const list = Array.from(outEdges.subarray(outDeg[f]!, outDeg[f + 1]!)).sort((x, y) => edgeWeight[y]! - edgeWeight[x]! || x - y);
    outEdges.set(list, outDeg[f]!);
  }
  const inStart = new Int32Array(F + 1);
  for (let i = 0; i < g.edgeFrom.length; i++) if (g.edgeFrom[i] !== g.edgeTo[i]) inStart[g.edgeTo[i]! + 1]!++;
  for (let f = 0; f < F; f++) inStart[f + 1]! += inStart[f]!;
  const inEdges = new Int32Array(inStart[F]!);
  const inFill = inStart.slice(0, F);
  for (let i = 0; i < g.edgeFrom.length; i++) if (g.edgeFrom[i] !== g.edgeTo[i]) inEdges[inFill[g.edgeTo[i]!]!++] = i;
  // A function worth a node: it has self cost or makes calls (callee cost is inside it).
  const content = (f: number): boolean => hasSelf[f] === 1 || outDeg[f + 1]! > outDeg[f]!;
  // How heavy a function is as a root: the larger of its self and its calls, relative.
  const rootWeight = (f: number): number => {
    let w = 0;
    for (let e = 0; e < E; e++) if (total[e]! > 0) w = Math.max(w, g.self[f * E + e]! / total[e]!);
    for (let k = outDeg[f]!; k < outDeg[f + 1]!; k++) w = Math.max(w, edgeWeight[outEdges[k]!]!);
    return w;
  };

  // The call tree: per node its function, parent, depth, stack id, per-event share r and call-count share c.
  const nodeFn: number[] = [];
  const nodeParent: number[] = [];
  const nodeDepth: number[] = [];
  const nodeStack: number[] = [];
  const nodeR: number[] = [];
  const nodeC: number[] = [];
  const nodesOfFn = new Int32Array(F);
  const heap = new MaxHeap();
  const pushed = new Float64Array(E);

  // per function, its heaviest node (where callees missed by the expansion are attached)
  const bestNode = new Int32Array(F).fill(-1);
  const bestWeight = new Float64Array(F);
  const attachQueue: number[] = [];
  const addNode = (f: number, parent: number, share: ArrayLike<number> | null, c: number, weight: number, expand: boolean): number => {
    const id = nodeFn.length;
    if (nodesOfFn[f] === 0) {
      // first node of f: its callees with cost can now be attached under it if the expansion misses them
      for (let k = outDeg[f]!; k < outDeg[f + 1]!; k++) if (hasSelf[g.edgeTo[outEdges[k]!]!]) attachQueue.push(g.edgeTo[outEdges[k]!]!);
    }
    if (bestNode[f] < 0 || weight > bestWeight[f]!) {
      bestNode[f] = id;
      bestWeight[f] = weight;
    }
    nodeFn.push(f);
    nodeParent.push(parent);
    nodeDepth.push(parent < 0 ? 1 : nodeDepth[parent]! + 1);
    nodeStack.push(b.stack(parent < 0 ? -1 : nodeStack[parent]!, frames[f]!));
    for (let e = 0; e < E; e++) nodeR.push(share === null ? 1 : share[e]!);
    nodeC.push(c);
    nodesOfFn[f]!++;
    if (expand) heap.push(id, weight);
    return id;
  };
  const onPath = (node: number, f: number): boolean => {
    for (let p = node; p >= 0; p = nodeParent[p]!) if (nodeFn[p] === f) return true;
    return false;
  };
  const share = new Float64Array(E);
  const expandNode = (n: number): void => {
    const f = nodeFn[n]!;
    for (let k = outDeg[f]!; k < outDeg[f + 1]!; k++) {
      const edge = outEdges[k]!;
      const to = g.edgeTo[edge]!;
      if (!content(to)) continue;
      let weight = 0;
      let most = 0;
      for (let e = 0; e < E; e++) {
        pushed[e] = g.edgeCost[edge * E + e]! * nodeR[n * E + e]!;
        most = Math.max(most, pushed[e]!);
        if (total[e]! > 0) weight = Math.max(weight, pushed[e]! / total[e]!);
      }
      // A call path worth less than 1/20 of a unit of every event: its share goes to the callee's other nodes.
      if (!(most >= 0.05)) continue;
      if (onPath(n, to)) {
        report.cycles++;
        continue;
      }
      if (nodeDepth[n]! >= maxDepth) {
        report.depthCuts++;
        continue;
      }
      if (nodeFn.length >= maxNodes) {
        report.budgetCuts++;
        continue;
      }
      const c = inCount[to]! > 0 ? (nodeC[n]! * g.edgeCount[edge]!) / inCount[to]! : nodeC[n]! / Math.max(1, inDeg[to]!);
      for (let e = 0; e < E; e++) {
        const all = inCost[to * E + e]!;
        share[e] = all > 0 ? pushed[e]! / all : c;
      }
      addNode(to, n, share, c, weight, true);
    }
  };
  const drain = (): void => {
    for (let n = heap.pop(); n >= 0; n = heap.pop()) expandNode(n);
  };

  // 1. The roots: functions nobody calls, heaviest first.
  const byWeight = (list: number[]): number[] => {
    const w = new Map(list.map((f) => [f, rootWeight(f)]));
    return list.sort((x, y) => w.get(y)! - w.get(x)! || x - y);
  };
  const roots: number[] = [];
  for (let f = 0; f < F; f++) if (inDeg[f] === 0 && content(f)) roots.push(f);
  for (const f of byWeight(roots)) {
    if (nodeFn.length < maxNodes) addNode(f, -1, null, 1, rootWeight(f), true);
  }
  drain();
  // 2. Functions with self cost that the expansion missed (calls too small per path, cuts):
  // attached once under the heaviest node of their heaviest placed caller. Call cycles
  // without an entry: their heaviest function becomes a root.
  const attach = (f: number): void => {
    let best = -1;
    for (let k = inStart[f]!; k < inStart[f + 1]!; k++) {
      const edge = inEdges[k]!;
      if (nodesOfFn[g.edgeFrom[edge]!]! > 0 && (best < 0 || edgeWeight[edge]! > edgeWeight[best]!)) best = edge;
    }
    if (best < 0) return;
    let parent = bestNode[g.edgeFrom[best]!]!;
    while (nodeDepth[parent]! >= maxDepth) parent = nodeParent[parent]!;
    let weight = 0;
    for (let e = 0; e < E; e++) {
      const push = g.edgeCost[best * E + e]! * nodeR[parent * E + e]!;
      const all = inCost[f * E + e]!;
      share[e] = all > 0 ? push / all : 1;
      if (total[e]! > 0) weight = Math.max(weight, push / total[e]!);
    }
    addNode(f, parent, share, 1, weight, nodeFn.length < maxNodes);
    report.attached++;
    drain();
  };
  const unreached: number[] = [];
  for (let f = 0; f < F; f++) if (hasSelf[f] && nodesOfFn[f] === 0) unreached.push(f);
  const order = byWeight(unreached);
  for (let next = 0; ; ) {
    for (let f = attachQueue.pop(); f !== undefined; f = attachQueue.pop()) if (nodesOfFn[f] === 0) attach(f);
    while (next < order.length && nodesOfFn[order[next]!] !== 0) next++;
    if (next >= order.length) break;
    const f = order[next]!;
    if (inDeg[f] !== 0) report.extraRoots++;
    addNode(f, -1, null, 1, rootWeight(f), nodeFn.length < maxNodes);
    drain();
  }
  report.nodes = nodeFn.length;

  emitSelfCosts(g, b, thread, eventIds, { nodeFn, nodeParent, nodeStack, nodeR, nodeC, nodesOfFn });
  return report;
}

/** A whole-number limit of at least 1, or the default when unset or not a number. */
function limit(value: number | undefined, fallback: number): number {
  return value === undefined || Number.isNaN(value) ? fallback : Math.max(1, Math.floor(value));
}
