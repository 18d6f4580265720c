import type { FlameFrames, FlameNodes } from "../model/flame-tree.js";
import { FLAME_KINDS } from "../model/flame-tree.js";
import type { Profile } from "../model/profile.js";

/**
 * How frames of the profiles are matched: "identity" keeps name, module and the inlined flag
 * apart (one profile); "name" matches by name and inlined flag only, so that the same function in
 * two builds of a binary (different paths) is one frame (diffs).
 */
export type FrameMatch = "identity" | "name";

/** One side's weights per node, in pre-order. */
export interface SideWeights {
  readonly self: Float64Array;
  readonly total: Float64Array;
  /** Number of samples whose stack ends at the node / passes through it. */
  readonly selfCount: Float64Array;
  readonly totalCount: Float64Array;
}

/** The finished call tree: frames, pre-order nodes, and each side's weights. */
export interface BuiltCallTree {
  readonly strings: string[];
  readonly frames: FlameFrames;
  readonly nodes: FlameNodes;
  readonly sides: SideWeights[];
}

/**
 * Merges the stacks of one or two profiles into one call tree keyed by call path: the common
 * core of {@link flameTree} and {@link diffFlameTree}. Node ids it hands out while adding are
 * internal; `finish()` renumbers them in depth-first pre-order with siblings sorted by name.
 *
 * @example
 * const b = new CallTreeBuilder(1, "identity");
 * const leaf = b.addProfile(profile, 0, 0);
 * const { tree, nodeOf } = b.finish();
 * nodeOf(leaf[profile.samples.stack[0]]); // the sample's node in tree.nodes
 */
export class CallTreeBuilder {
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly frameIds = new Map<string, number>();
  private readonly fName: number[] = [];
  private readonly fModule: number[] = [];
  private readonly fFile: number[] = [];
  private readonly fLine: number[] = [];
  private readonly fKind: number[] = [];
  private readonly fInlined: number[] = [];
  private readonly parent: number[] = [-1];
  private readonly frame: number[];
  private readonly childIds = new Map<string, number>();
  private readonly self: number[][];
  private readonly count: number[][];

  constructor(
    private readonly sideCount: 1 | 2,
    private readonly match: FrameMatch,
  ) {
    this.frame = [this.frameId("all", "", null, null, 0, false)];
    this.frameIds.clear(); // the root's frame is not a real "all" function
    this.self = Array.from({ length: sideCount }, () => [0]);
    this.count = Array.from({ length: sideCount }, () => [0]);
  }

  /**
   * Adds the samples of one event of a profile to a side; returns the internal node of each stack
   * id (use `nodeOf` after `finish()` to get the final id). Samples without a stack count at the root.
   */
  addProfile(profile: Profile, event: number, side: number): Int32Array {
    const { stacks, frames, samples } = profile;
    const frameMap = new Int32Array(frames.name.length).fill(-1);
    const nodeOfStack = new Int32Array(stacks.frame.length);
    for (let s = 0; s < stacks.frame.length; s++) {
      const f = stacks.frame[s]!;
      if (frameMap[f] === -1) {
        const kind = Math.max(0, FLAME_KINDS.indexOf(frames.kind[f]!));
        frameMap[f] = this.frameId(frames.name[f]!, frames.module[f]!, frames.file[f] ?? null, frames.line[f] ?? null, kind, frames.inlined[f]!);
      }
      const p = stacks.parent[s]!;
      nodeOfStack[s] = this.child(p < 0 ? 0 : nodeOfStack[p]!, frameMap[f]!);
    }
    const self = this.self[side]!;
    const count = this.count[side]!;
    const multiEvent = profile.events.length > 1;
    for (let i = 0; i < samples.stack.length; i++) {
      if (multiEvent && samples.event[i] !== event) continue;
      const s = samples.stack[i]!;
      const n = s < 0 ? 0 : nodeOfStack[s]!;
      self[n] = (self[n] ?? 0) + samples.weight[i]!;
      count[n] = (count[n] ?? 0) + 1;
    }
    return nodeOfStack;
  }

  /** Renumbers the nodes in pre-order (dropping nodes with no weight on any side). */
  finish(): { tree: BuiltCallTree; nodeOf: (internal: number) => number } {
    const n = this.parent.length;
    const sides = this.self.map((s, k) => ({ self: dense(s, n), count: dense(this.count[k]!, n) }));
    const total = sides.map((s) => Float64Array.from(s.self));
    const totalCount = sides.map((s) => Float64Array.from(s.count));
    for (let i = n - 1; i > 0; i--) {
      const p = this.parent[i]!;
      for (let k = 0; k < sides.length; k++) {
        total[k]![p]! += total[k]![i]!;
        totalCount[k]![p]! += totalCount[k]![i]!;
      }
    }
    const live = (i: number) => i === 0 || totalCount.some((t) => t[i]! > 0) || total.some((t) => t[i]! !== 0);
    const children: number[][] = Array.from({ length: n }, () => []);
    for (let i = 1; i < n; i++) if (live(i)) children[this.parent[i]!]!.push(i);
    const nameOf = (i: number) => this.strings[this.fName[this.frame[i]!]!]!;
    const order: number[] = [];
    const depthOf: number[] = [];
    const stack: [number, number][] = [[0, 0]];
    while (stack.length) {
      const [i, d] = stack.pop()!;
      order.push(i);
      depthOf.push(d);
      const kids = children[i]!.sort((a, b) => cmp(nameOf(a), nameOf(b)) || this.frame[a]! - this.frame[b]!);
      for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k]!, d + 1]);
    }
    const newId = new Int32Array(n).fill(-1);
    order.forEach((old, j) => (newId[old] = j));
    const pick = (col: Float64Array) => Float64Array.from(order, (old) => col[old]!);
    const nodes: FlameNodes = {
      frame: Int32Array.from(order, (old) => this.frame[old]!),
      parent: Int32Array.from(order, (old) => (old === 0 ? -1 : newId[this.parent[old]!]!)),
      depth: Int32Array.from(depthOf),
      self: pick(sides[this.sideCount - 1]!.self),
      total: pick(total[this.sideCount - 1]!),
    };
    const sideWeights = sides.map((s, k) => ({
      self: pick(s.self),
      total: pick(total[k]!),
      selfCount: pick(s.count),
      totalCount: pick(totalCount[k]!),
    }));
    const frames: FlameFrames = {
      name: Int32Array.from(this.fName),
      module: Int32Array.from(this.fModule),
      file: Int32Array.from(this.fFile),
      line: Int32Array.from(this.fLine),
      kind: Uint8Array.from(this.fKind),
      inlined: Uint8Array.from(this.fInlined),
    };
    return {
      tree: { strings: this.strings, frames, nodes, sides: sideWeights },
      nodeOf: (internal) => (internal < 0 ? 0 : Math.max(0, newId[internal]!)),
    };
  }

  private child(parent: number, frame: number): number {
    const key = `${parent}:${frame}`;
    let id = this.childIds.get(key);
    if (id === undefined) {
      id = this.parent.length;
      this.parent.push(parent);
      this.frame.push(frame);
      this.childIds.set(key, id);
    }
    return id;
  }

  private frameId(name: string, module: string, file: string | null, line: number | null, kind: number, inlined: boolean): number {
    const key = this.match === "identity" ? `${name}\0${module}\0${inlined ? 1 : 0}` : `${name}\0${inlined ? 1 : 0}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.fName.length;
      this.frameIds.set(key, id);
      this.fName.push(this.str(name));
      this.fModule.push(module ? this.str(module) : -1);
      this.fFile.push(file ? this.str(file) : -1);
      this.fLine.push(line ?? 0);
      this.fKind.push(kind);
      this.fInlined.push(inlined ? 1 : 0);
    }
    return id;
  }

  private str(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }
}

function dense(values: number[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ?? 0;
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
