import type { FlameTimeline, FlameTree, FlameWireHeader } from "../../src/model/flame-tree.js";
import { unzlibSync } from "fflate";

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
  const raw = header.encoding === "deflate" ? await inflate(payload, header.byteLength) : payload;
  if (raw.length !== header.byteLength) throw new Error(`flamebook: flamegraph data is ${raw.length} bytes, expected ${header.byteLength}; the output is truncated.`);
  // columns are copied out of the payload when asked for (the timeline's only with the flame chart)
  const spec = new Map(header.columns.map(([name, type, length, offset]) => [name, [type, length, offset] as const]));
  for (const [, type, length, offset] of header.columns) checkColumn(raw, type, length, offset);
  const get = <T extends Int32Array | Uint8Array | Float64Array>(name: string, ctor: { new (n: number): T; name: string }): T => {
    const s = spec.get(name);
    const c = s ? view(raw, s[0], s[1], s[2]) : undefined;
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
  return { ...tree, timeline: lazyTimeline(header.threads, header.columns, raw) };
}

/**
 * The timeline of a packed tree, decoded when its runs are first read (opening the flame chart),
 * not before the first paint: it can hold more runs than the tree has nodes. `threads` is there
 * at once.
 */
function lazyTimeline(threads: readonly string[], columns: FlameWireHeader["columns"], raw: Uint8Array): FlameTimeline {
  let runs: Omit<FlameTimeline, "threads"> | undefined;
  const decode = () => {
    if (runs) return runs;
    const at = new Map(columns.map(([name, type, length, offset]) => [name, [type, length, offset] as const]));
    const col = (name: string, type: string) => {
      const c = at.get(name);
      if (!c || c[0] !== type) throw new Error(`flamebook: flamegraph data has no ${type} column '${name}'.`);
      return view(raw, c[0], c[1], c[2]);
    };
    const start = col("timeline.startDeltaUs", "f64") as Float64Array;
    const end = col("timeline.durationUs", "f64") as Float64Array;
    let t = 0;
    for (let i = 0; i < start.length; i++) {
      t += start[i]!;
      start[i] = t / 1e6;
      end[i] = (t + end[i]!) / 1e6;
    }
    return (runs = { thread: col("timeline.thread", "i32") as Int32Array, start, end, node: col("timeline.node", "i32") as Int32Array });
  };
  return {
    threads,
    get thread() {
      return decode().thread;
    },
    get start() {
      return decode().start;
    },
    get end() {
      return decode().end;
    },
    get node() {
      return decode().node;
    },
  };
}

/**
 * Decodes base64 (as produced by `flameTreeJson`) to bytes.
 *
 * @example
 * base64Bytes("AAE="); // Uint8Array [0, 1]
 */
export function base64Bytes(data: string): Uint8Array {
  // The platform's decoder where there is one (Chromium 140+, Firefox 133+, Safari 18.2+): a 1 MB
  // payload in about a millisecond instead of ten.
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(data);
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

/** Payloads up to this size (compressed) are inflated at once, larger ones by the platform's stream. */
const SYNC_INFLATE = 256 * 1024;

/**
 * The payload inflated. Up to a few hundred KB at once (fflate's `unzlibSync`): waiting for the
 * platform's asynchronous stream would let a frame be drawn without the graph first, and the
 * graph a frame later. Larger payloads go to the platform's DecompressionStream, which is faster,
 * and the wait lets the page show what it has (its static picture) meanwhile. The stream also
 * takes over when the quick path fails, and says what is wrong.
 */
async function inflate(bytes: Uint8Array, size: number): Promise<Uint8Array> {
  if (bytes.length <= SYNC_INFLATE) {
    try {
      const out = unzlibSync(bytes, { out: new Uint8Array(size) });
      if (out.length === size) return out;
    } catch {
      // the stream below reports it
    }
  }
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Throws when a column does not lie within the payload, or its type is unknown. */
function checkColumn(raw: Uint8Array, type: string, length: number, offset: number): void {
  const end = offset + length * (type === "u8" ? 1 : type === "i32" ? 4 : 8);
  if (offset % 8 !== 0 || end > raw.length) throw new Error(`flamebook: flamegraph column at ${offset} overruns the data (${raw.length} bytes).`);
  if (type !== "u8" && type !== "i32" && type !== "f64") throw new Error(`flamebook: flamegraph column type '${type}' is unknown; update the flamebook widget.`);
}

function view(raw: Uint8Array, type: string, length: number, offset: number): Int32Array | Uint8Array | Float64Array {
  checkColumn(raw, type, length, offset);
  const buf = raw.buffer;
  const at = raw.byteOffset + offset;
  if (type === "u8") return new Uint8Array(buf.slice(at, at + length));
  if (type === "i32") return new Int32Array(buf.slice(at, at + length * 4));
  if (type !== "f64") throw new Error(`flamebook: flamegraph column type '${type}' is unknown; update the flamebook widget.`);
  const out = new Uint8Array(length * 8);
  for (let b = 0; b < 8; b++) for (let i = 0; i < length; i++) out[i * 8 + b] = raw[at + b * length + i]!;
  return new Float64Array(out.buffer);
}
