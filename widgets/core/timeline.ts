// The time-ordered flame chart (the Firefox Profiler's "stack chart"): x is time, each run's stack
// is rebuilt from its leaf node's parents, and a frame stays one box for as long as consecutive
// runs keep the same call path down to it. Pure; no DOM.
import type { FlameTree } from "../../src/model/flame-tree.js";
import type { BoxSet } from "./boxes.js";

/** The chart of one thread: boxes (x in seconds from the first sample) and the time span. */
export interface ChartBoxes extends BoxSet {
  readonly thread: number;
  readonly t0: number;
  readonly t1: number;
  /** How many time-ordered runs of the thread went in. */
  readonly runs: number;
}

/** Two instants this close (seconds) are the same: consecutive runs touch. */
const TOUCH = 1e-9;

/**
 * The flame chart boxes of one thread of a tree's timeline (thread -1 or out of range: thread 0,
 * the one with most samples). Rows start at the tree's depth 1 (the root "all" is not drawn).
 * Runs that touch and share a call path prefix extend the same boxes, so a function called once
 * for 2 s is one 2 s box however many samples it has. O(runs + changed stack depth).
 *
 * @example
 * const chart = chartBoxes(tree, 0);
 * chart.t1 - chart.t0;       // the thread's time span in seconds
 * chart.x1[0] - chart.x0[0]; // how long the first outermost frame ran
 */
export function chartBoxes(tree: FlameTree, thread: number): ChartBoxes {
  const tl = tree.timeline;
  const th = tl && thread >= 0 && thread < tl.threads.length ? thread : 0;
  const x0: number[] = [];
  const x1: number[] = [];
  const depth: number[] = [];
  const parent: number[] = [];
  const node: number[] = [];
  const openBox: number[] = []; // open box per row
  const openNode: number[] = []; // tree node of each open box
  let lastEnd = -Infinity;
  let t0 = Infinity;
  let t1 = -Infinity;
  let runs = 0;
  const { parent: up, depth: treeDepth } = tree.nodes;
  const path: number[] = [];
  if (tl) {
    for (let r = 0; r < tl.thread.length; r++) {
      if (tl.thread[r] !== th) continue;
      runs++;
      const s = tl.start[r]!;
      const e = tl.end[r]!;
      const leaf = tl.node[r]!;
      t0 = Math.min(t0, s);
      t1 = Math.max(t1, e);
      const touches = Math.abs(s - lastEnd) <= TOUCH;
      // Walk up from the leaf until a node that is already open at its row (and still touching).
      path.length = 0;
      let keep = 0; // rows kept open
      for (let p = leaf; p > 0; p = up[p]!) {
        const row = treeDepth[p]! - 1;
        if (touches && openNode.length > row && openNode[row] === p) {
          keep = row + 1;
          break;
        }
        path.push(p);
      }
      for (let row = keep; row < openBox.length; row++) x1[openBox[row]!] = lastEnd;
      openBox.length = keep;
      openNode.length = keep;
      for (let k = path.length - 1; k >= 0; k--) {
        const p = path[k]!;
        const row = openBox.length;
        const id = x0.push(s) - 1;
        x1.push(s);
        depth.push(row);
        parent.push(row > 0 ? openBox[row - 1]! : -1);
        node.push(p);
        openBox.push(id);
        openNode.push(p);
      }
      lastEnd = e;
    }
  }
  for (const id of openBox) x1[id] = lastEnd;
  let maxDepth = 0;
  for (const d of depth) if (d > maxDepth) maxDepth = d;
  const frame = Int32Array.from(node, (n) => tree.nodes.frame[n]!);
  if (!(t1 > t0)) {
    t0 = 0;
    t1 = 1;
  }
  return {
    count: x0.length,
    x0: Float64Array.from(x0),
    x1: Float64Array.from(x1),
    depth: Int32Array.from(depth),
    parent: Int32Array.from(parent),
    frame,
    node: Int32Array.from(node),
    maxDepth,
    thread: th,
    t0,
    t1,
    runs,
  };
}
