import type { FlameTimeline, FlameTree, FlameWireHeader } from "../../src/model/flame-tree.js";

/**
 * Unpacks a flame tree from its wire form (header + payload, see `FlameWireHeader`): inflates the
 * payload when deflated (with the platform's DecompressionStream), views the columns, rebuilds the
 * parents from the pre-order depths, and decodes the strings.
 *
 * @example
 * const tree = await unpackFlameTree(model.get("tree_header"), new Uint8Array(model.get("tree").buffer));
 */
export async function unpackFlameTree(header: FlameWireHeader, payload: Uint8Array): Promise<FlameTree> {
  if (header.format !== "flamebook.flametree" || header.version !== 1) {
    throw new Error(`flamebook: this flamegraph was written by a newer flamebook (format ${String(header.format)} v${String(header.version)}); update the flamebook widget.`);
  }
  const raw = header.encoding === "deflate" ? await inflate(payload) : payload;
  if (raw.length !== header.byteLength) throw new Error(`flamebook: flamegraph data is ${raw.length} bytes, expected ${header.byteLength}; the output is truncated.`);
  const col = new Map<string, Int32Array | Uint8Array | Float64Array>();
  for (const [name, type, length, offset] of header.columns) col.set(name, view(raw, type, length, offset));
  const get = <T extends Int32Array | Uint8Array | Float64Array>(name: string, ctor: { new (n: number): T; name: string }): T => {
    const c = col.get(name);
    if (!(c instanceof ctor)) throw new Error(`flamebook: flamegraph data has no ${ctor.name} column '${name}'.`);
    return c;
  };
  const [sOff, sLen, sCount] = header.strings;
  const strings = sCount === 0 ? [] : new TextDecoder().decode(raw.subarray(sOff, sOff + sLen)).split("\0");
  if (strings.length !== sCount) throw new Error(`flamebook: flamegraph string table has ${strings.length} entries, expected ${sCount}.`);
  const depth = get("nodes.depth", Int32Array);
  const parent = parentsFromDepths(depth);
  const total = get("nodes.total", Float64Array);
  const tree: FlameTree = {
    version: 1,
    title: header.title,
    event: header.event,
    unit: header.unit,
    notes: header.notes,
    strings,
    frames: {
      name: get("frames.name", Int32Array),
      module: get("frames.module", Int32Array),
      file: get("frames.file", Int32Array),
      line: get("frames.line", Int32Array),
      kind: get("frames.kind", Uint8Array),
      inlined: get("frames.inlined", Uint8Array),
    },
    nodes: {
      frame: get("nodes.frame", Int32Array),
      parent,
      depth,
      self: selfWeights(parent, total),
      total,
    },
    ...(header.diff ? { diff: diffSide(header.diff, parent, get("diff.total", Float64Array), get("diff.sig", Uint8Array)) } : {}),
  };
  if (!header.threads) return tree;
  const start = get("timeline.startDeltaUs", Float64Array);
  const end = get("timeline.durationUs", Float64Array);
  let t = 0;
  for (let i = 0; i < start.length; i++) {
    t += start[i]!;
    start[i] = t / 1e6;
    end[i] = (t + end[i]!) / 1e6;
  }
  const timeline: FlameTimeline = { threads: header.threads, thread: get("timeline.thread", Int32Array), start, end, node: get("timeline.node", Int32Array) };
  return { ...tree, timeline };
}

/**
 * Decodes base64 (as produced by `flameTreeJson`) to bytes.
 *
 * @example
 * base64Bytes("AAE="); // Uint8Array [0, 1]
 */
export function base64Bytes(data: string): Uint8Array {
  const bin = atob(data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The parent of each node of a pre-order tree, from the nodes' depths (-1 for the root).
 *
 * @example
 * parentsFromDepths(Int32Array.of(0, 1, 2, 1)); // Int32Array [-1, 0, 1, 0]
 */
export function parentsFromDepths(depth: Int32Array): Int32Array {
  const parent = new Int32Array(depth.length);
  const path: number[] = [];
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i]!;
    if (d > path.length || (i > 0 && d < 1) || (i === 0 && d !== 0)) throw new Error(`flamebook: flamegraph node ${i} has depth ${d} after depth ${path.length - 1}; the data is corrupt.`);
    path.length = d;
    parent[i] = d === 0 ? -1 : path[d - 1]!;
    path.push(i);
  }
  return parent;
}

/**
 * Self weights from totals: each node's total minus its children's totals (never below 0).
 *
 * @example
 * selfWeights(Int32Array.of(-1, 0, 0), Float64Array.of(10, 3, 5)); // Float64Array [2, 3, 5]
 */
export function selfWeights(parent: Int32Array, total: Float64Array): Float64Array {
  const self = Float64Array.from(total);
  for (let i = 1; i < parent.length; i++) self[parent[i]!]! -= total[i]!;
  // Float rounding of the subtraction leaves dust (or a tiny negative) where the true self is 0.
  for (let i = 0; i < self.length; i++) if (self[i]! < 1e-12 * Math.abs(total[i]!)) self[i] = 0;
  return self;
}

function diffSide(labels: { label: string; baseLabel: string }, parent: Int32Array, total: Float64Array, sig: Uint8Array) {
  return { ...labels, total, self: selfWeights(parent, total), sig };
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function view(raw: Uint8Array, type: string, length: number, offset: number): Int32Array | Uint8Array | Float64Array {
  const end = offset + length * (type === "u8" ? 1 : type === "i32" ? 4 : 8);
  if (offset % 8 !== 0 || end > raw.length) throw new Error(`flamebook: flamegraph column at ${offset} overruns the data (${raw.length} bytes).`);
  const buf = raw.buffer;
  const at = raw.byteOffset + offset;
  if (type === "u8") return new Uint8Array(buf.slice(at, at + length));
  if (type === "i32") return new Int32Array(buf.slice(at, at + length * 4));
  if (type !== "f64") throw new Error(`flamebook: flamegraph column type '${type}' is unknown; update the flamebook widget.`);
  const out = new Uint8Array(length * 8);
  for (let b = 0; b < 8; b++) for (let i = 0; i < length; i++) out[i * 8 + b] = raw[at + b * length + i]!;
  return new Float64Array(out.buffer);
}
