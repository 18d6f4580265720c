// The sandwich of one function, like speedscope's: its callers as an inverted tree (the function
// at the base, callers growing away from it) and its callees as the merged subtrees of all its
// calls. Recursion is counted once: only outermost calls (no caller of the same name above them)
// count, and inner calls appear inside the callees tree. Pure; no DOM.
import type { FlameTree } from "../../src/model/flame-tree.js";
import { subtreeEnds } from "./layout.js";

/**
 * A derived call tree in pre-order (node 0 the root, siblings sorted by name). `name` is a string
 * index, `frame` and `node` a representative frame and node of the original tree (the first
 * merged in). For diff trees `baseSelf`/`baseTotal` hold the "before" side.
 */
export interface CallTree {
  readonly name: Int32Array;
  readonly frame: Int32Array;
  readonly node: Int32Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly self: Float64Array;
  readonly total: Float64Array;
  readonly baseSelf?: Float64Array;
  readonly baseTotal?: Float64Array;
}

/** The sandwich of one function: how many outermost calls it has, its callers and its callees. */
export interface Sandwich {
  /** String index of the function's name. */
  readonly name: number;
  /** Outermost calls (tree nodes with that name and no ancestor of that name). */
  readonly calls: number;
  readonly callers: CallTree;
  readonly callees: CallTree;
}

/** A trie under construction, keyed by (parent, name). */
class Trie {
  readonly name: number[] = [];
  readonly frame: number[] = [];
  readonly node: number[] = [];
  readonly parent: number[] = [];
  readonly self: number[] = [];
  readonly total: number[] = [];
  readonly baseSelf: number[] = [];
  readonly baseTotal: number[] = [];
  private readonly index = new Map<number, number>();

  constructor(
    private readonly names: number,
    name: number,
    frame: number,
    node: number,
  ) {
    this.add(-1, name, frame, node);
  }

  private add(parent: number, name: number, frame: number, node: number): number {
    const id = this.name.push(name) - 1;
    this.frame.push(frame);
    this.node.push(node);
    this.parent.push(parent);
    this.self.push(0);
    this.total.push(0);
    this.baseSelf.push(0);
    this.baseTotal.push(0);
    return id;
  }

  child(parent: number, name: number, frame: number, node: number): number {
    const key = parent * this.names + name;
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.add(parent, name, frame, node);
      this.index.set(key, id);
    }
    return id;
  }

  /** The trie in pre-order, children sorted by name. */
  finish(strings: readonly string[], diff: boolean): CallTree {
    const n = this.name.length;
    const kids: number[][] = Array.from({ length: n }, () => []);
    for (let i = 1; i < n; i++) kids[this.parent[i]!]!.push(i);
    const byName = (a: number, b: number) => {
      const sa = strings[this.name[a]!] ?? "";
      const sb = strings[this.name[b]!] ?? "";
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    };
    const order: number[] = [];
    const depthOf: number[] = [];
    const stack: [number, number][] = [[0, 0]];
    while (stack.length > 0) {
      const [id, d] = stack.pop()!;
      order.push(id);
      depthOf.push(d);
      const ks = kids[id]!.sort(byName);
      for (let k = ks.length - 1; k >= 0; k--) stack.push([ks[k]!, d + 1]);
    }
    const pos = new Int32Array(n);
    order.forEach((id, k) => (pos[id] = k));
    const pick = (col: number[]) => Float64Array.from(order, (id) => col[id]!);
    return {
      name: Int32Array.from(order, (id) => this.name[id]!),
      frame: Int32Array.from(order, (id) => this.frame[id]!),
      node: Int32Array.from(order, (id) => this.node[id]!),
      parent: Int32Array.from(order, (id) => (this.parent[id]! < 0 ? -1 : pos[this.parent[id]!]!)),
      depth: Int32Array.from(depthOf),
      self: pick(this.self),
      total: pick(this.total),
      ...(diff ? { baseSelf: pick(this.baseSelf), baseTotal: pick(this.baseTotal) } : {}),
    };
  }
}

/**
 * The outermost calls of the function named `name` (a string index): nodes with that name and no
 * ancestor with it, in pre-order.
 *
 * @example
 * outermostCalls(tree, nameIndex("<T as alloc::string::ToString>::to_string")); // [44]
 */
export function outermostCalls(tree: FlameTree, name: number): number[] {
  const { frame, depth } = tree.nodes;
  const names = tree.frames.name;
  const out: number[] = [];
  let inside = Infinity;
  for (let i = 1; i < frame.length; i++) {
    const d = depth[i]!;
    if (d <= inside) inside = Infinity;
    if (inside === Infinity && names[frame[i]!] === name) {
      out.push(i);
      inside = d;
    }
  }
  return out;
}

/**
 * The sandwich of a function (by the string index of its name). Callers: the function is the
 * root, its callers its children, their callers theirs…; a caller path's weight is the weight of
 * the function's calls through it. Callees: the subtrees of all its outermost calls merged by name.
 * Both roots weigh the function's total, each sample counted once. O(n).
 *
 * @example
 * const s = buildSandwich(tree, tree.strings.indexOf("<T as alloc::string::ToString>::to_string"));
 * tree.strings[s.callers.name[1]]; // "wordfreq::process::process"
 */
export function buildSandwich(tree: FlameTree, name: number): Sandwich {
  const { frame, parent, self, total } = tree.nodes;
  const names = tree.frames.name;
  const diff = tree.diff;
  const calls = outermostCalls(tree, name);
  const first = calls[0] ?? -1;
  const rootFrame = first >= 0 ? frame[first]! : -1;
  const S = Math.max(1, tree.strings.length);
  const up = new Trie(S, name, rootFrame, first);
  const down = new Trie(S, name, rootFrame, first);
  const ends = subtreeEnds(tree.nodes.depth);
  const map = new Int32Array(frame.length);
  for (const o of calls) {
    const w = total[o]!;
    const bw = diff ? diff.total[o]! : 0;
    // Callers: walk up to (not including) the tree's root.
    let cur = 0;
    up.total[0]! += w;
    up.baseTotal[0]! += bw;
    for (let p = parent[o]!; p > 0; p = parent[p]!) {
      cur = up.child(cur, names[frame[p]!]!, frame[p]!, p);
      up.total[cur]! += w;
      up.baseTotal[cur]! += bw;
    }
    up.self[cur]! += w;
    up.baseSelf[cur]! += bw;
    // Callees: merge the subtree of the call.
    map[o] = 0;
    down.self[0]! += self[o]!;
    down.total[0]! += w;
    if (diff) {
      down.baseSelf[0]! += diff.self[o]!;
      down.baseTotal[0]! += bw;
    }
    for (let i = o + 1; i < ends[o]!; i++) {
      const c = down.child(map[parent[i]!]!, names[frame[i]!]!, frame[i]!, i);
      map[i] = c;
      down.self[c]! += self[i]!;
      down.total[c]! += total[i]!;
      if (diff) {
        down.baseSelf[c]! += diff.self[i]!;
        down.baseTotal[c]! += diff.total[i]!;
      }
    }
  }
  return { name, calls: calls.length, callers: up.finish(tree.strings, !!diff), callees: down.finish(tree.strings, !!diff) };
}

/**
 * The function whose name has the largest self weight summed over its nodes: the sandwich shown
 * when none was chosen. -1 for an empty tree.
 *
 * @example
 * tree.strings[heaviestSelf(tree)]; // e.g. "_int_malloc"
 */
export function heaviestSelf(tree: FlameTree): number {
  const sums = new Float64Array(tree.strings.length);
  const { frame, self } = tree.nodes;
  for (let i = 1; i < frame.length; i++) sums[tree.frames.name[frame[i]!]!]! += self[i]!;
  let best = -1;
  for (let s = 0; s < sums.length; s++) if (sums[s]! > 0 && (best < 0 || sums[s]! > sums[best]!)) best = s;
  return best;
}
