// Large flame trees for size and speed checks, built directly as a FlameTree (no profile in
// between, so 100k nodes take milliseconds): Rust-looking names from a pool, a deep and wide
// random shape, siblings with distinct frames sorted by name, optional two-thread timeline.
import type { FlameTree } from "../../../src/model/flame-tree.js";
import { mulberry32 } from "../../helpers/prng.js";


/**
 * A flame tree with exactly `n` nodes (node 0 the root "all"), deterministic for a seed. Weights
 * are nanoseconds; about a third as many distinct functions as nodes. With `timeline`, every leaf
 * becomes a time-ordered run on one of two threads.
 *
 * @example
 * const tree = syntheticTree(100_000);
 * tree.nodes.frame.length; // 100000
 */
export function syntheticTree(n: number, seed = 1, opts: { timeline?: boolean; maxDepth?: number } = {}): FlameTree {
  const rnd = mulberry32(seed);
  const maxDepth = opts.maxDepth ?? 60;
  const crates = ["wordfreq", "std", "core", "alloc", "hashbrown", "serde_json", "regex_automata", "tokio"];
  const types = ["Vec<u8>", "String", "HashMap<String, u64>", "Formatter", "RawVec<T,A>", "Parser<'a>", "Searcher"];
  const verbs = ["process", "fmt", "push_str", "grow_amortized", "insert", "find_at", "next", "parse_value", "write_str", "drop"];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const strings: string[] = ["all"];
  const fnCount = Math.max(8, Math.floor(n / 3));
  const kind: number[] = [0];
  for (let i = 0; i < fnCount; i++) {
    const c = pick(crates);
    const libc = rnd() < 0.08;
    strings.push(libc ? `__libc_func_${i}` : `<${c}::${pick(["de", "ser", "raw_vec", "map", "fmt", "io"])}::${pick(types)} as ${pick(crates)}::ops::Trait${i % 13}>::${pick(verbs)}_${i}${rnd() < 0.2 ? "::{{closure}}" : ""}`);
    kind.push(libc ? 2 : 1);
  }
  const moduleIdx = strings.push("/tmp/wordfreq") - 1;
  const frames = strings.length - 1; // frame f (f < moduleIdx) has name f
  // Shape: parents chosen among recent nodes (deep) or any node (wide).
  const parentOf = new Int32Array(n).fill(-1);
  const depthOf = new Int32Array(n);
  const frameOf = new Int32Array(n);
  const kids: number[][] = [[]];
  const used: Set<number>[] = [new Set()];
  for (let i = 1; i < n; i++) {
    let p: number;
    let f: number;
    for (;;) {
      p = rnd() < 0.7 ? Math.max(0, i - 1 - Math.floor(rnd() * Math.min(20, i))) : Math.floor(rnd() * i);
      if (depthOf[p]! >= maxDepth) continue;
      f = 1 + Math.floor(rnd() * (frames - 1));
      if (!used[p]!.has(f)) break;
    }
    parentOf[i] = p;
    depthOf[i] = depthOf[p]! + 1;
    frameOf[i] = f;
    used[p]!.add(f);
    kids.push([]);
    used.push(new Set());
    kids[p]!.push(i);
  }
  // Pre-order with siblings sorted by name.
  const order: number[] = [];
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop()!;
    order.push(i);
    const ks = kids[i]!.sort((a, b) => (strings[frameOf[a]!]! < strings[frameOf[b]!]! ? -1 : 1));
    for (let k = ks.length - 1; k >= 0; k--) stack.push(ks[k]!);
  }
  const pos = new Int32Array(n);
  order.forEach((i, k) => (pos[i] = k));
  const parent = Int32Array.from(order, (i) => (parentOf[i]! < 0 ? -1 : pos[parentOf[i]!]!));
  const depth = Int32Array.from(order, (i) => depthOf[i]!);
  const frame = Int32Array.from(order, (i) => frameOf[i]!);
  const self = Float64Array.from(order, (i) => (i === 0 ? 0 : 1003009 * (1 + Math.floor(rnd() ** 3 * 40))));
  const total = Float64Array.from(self);
  for (let k = n - 1; k > 0; k--) total[parent[k]!]! += total[k]!;
  const nf = moduleIdx;
  const tree: FlameTree = {
    version: 1,
    title: `synthetic ${n}`,
    event: "cpu-clock",
    unit: "nanoseconds",
    strings,
    frames: {
      name: Int32Array.from({ length: nf }, (_, f) => f),
      module: Int32Array.from({ length: nf }, (_, f) => (f === 0 ? -1 : moduleIdx)),
      file: new Int32Array(nf).fill(-1),
      line: new Int32Array(nf),
      kind: Uint8Array.from({ length: nf }, (_, f) => kind[f] ?? 0),
      inlined: new Uint8Array(nf),
    },
    nodes: { frame, parent, depth, self, total },
    notes: [],
  };
  if (!opts.timeline) return tree;
  const thread: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const node: number[] = [];
  const t = [0, 0];
  for (let k = 1; k < n; k++) {
    if (self[k]! <= 0) continue;
    const th = rnd() < 0.7 ? 0 : 1;
    const d = self[k]! / 1e9;
    thread.push(th);
    start.push(t[th]!);
    end.push(t[th]! + d);
    node.push(k);
    t[th]! += d;
  }
  // Runs are grouped by thread, each thread in time order (as buildTimeline writes them).
  const idx = thread.map((_, i) => i).sort((a, b) => thread[a]! - thread[b]! || start[a]! - start[b]!);
  return {
    ...tree,
    timeline: {
      threads: ["main 100", "worker 101"],
      thread: Int32Array.from(idx, (i) => thread[i]!),
      start: Float64Array.from(idx, (i) => start[i]!),
      end: Float64Array.from(idx, (i) => end[i]!),
      node: Int32Array.from(idx, (i) => node[i]!),
    },
  };
}
