import { deflateSync } from "node:zlib";
import type { FlameColumnType, FlameTree, FlameWireHeader } from "../model/flame-tree.js";

/** A packed flame tree: a small JSON header and one byte payload (a widget binary buffer). */
export interface PackedFlameTree {
  readonly header: FlameWireHeader;
  readonly bytes: Uint8Array;
}

type Column = Int32Array | Uint8Array | Float64Array;

/**
 * Packs a {@link FlameTree} into its wire form (see {@link FlameWireHeader}): typed columns and a
 * string table in one deflated payload. The widget unpacks it with `widgets/wire/unpack.ts`.
 * Derivable columns stay out: parents (from the pre-order depths) and self weights (total minus
 * the children's totals). Timeline times travel as whole microseconds, starts delta-coded.
 *
 * @example
 * const { header, bytes } = packFlameTree(flameTree(profile));
 * bytes.length; // about 10 bytes per node for a typical perf profile
 */
export function packFlameTree(tree: FlameTree, opts: { compress?: boolean } = {}): PackedFlameTree {
  // A tree is immutable and one output packs it for the widget state and again for the text/html
  // fallback: deflating 100k nodes takes a few hundred ms, so the packed form is kept per tree.
  const compress = opts.compress ?? true;
  const cache = compress ? packed : packedRaw;
  let hit = cache.get(tree);
  if (!hit) cache.set(tree, (hit = pack(tree, compress)));
  return hit;
}

const packed = new WeakMap<FlameTree, PackedFlameTree>();
const packedRaw = new WeakMap<FlameTree, PackedFlameTree>();

function pack(tree: FlameTree, compress: boolean): PackedFlameTree {
  const cols: [string, Column][] = [
    ["frames.name", tree.frames.name],
    ["frames.module", tree.frames.module],
    ["frames.file", tree.frames.file],
    ["frames.line", tree.frames.line],
    ["frames.kind", tree.frames.kind],
    ["frames.inlined", tree.frames.inlined],
    ["nodes.frame", tree.nodes.frame],
    ["nodes.depth", tree.nodes.depth],
    ["nodes.total", tree.nodes.total],
  ];
  if (tree.diff) cols.push(["diff.total", tree.diff.total], ["diff.sig", tree.diff.sig]);
  if (tree.timeline) {
    const t = tree.timeline;
    const startUs = Float64Array.from(t.start, (s) => Math.round(s * 1e6));
    const durationUs = Float64Array.from(t.end, (e, i) => Math.round(e * 1e6) - startUs[i]!);
    for (let i = startUs.length - 1; i > 0; i--) startUs[i]! -= startUs[i - 1]!;
    cols.push(["timeline.thread", t.thread], ["timeline.startDeltaUs", startUs], ["timeline.durationUs", durationUs], ["timeline.node", t.node]);
  }
  const strings = new TextEncoder().encode(tree.strings.map((s) => s.replaceAll("\0", "\uFFFD")).join("\0"));
  const layout: [string, FlameColumnType, number, number][] = [];
  let offset = 0;
  for (const [name, col] of cols) {
    layout.push([name, typeOf(col), col.length, offset]);
    offset = align8(offset + col.byteLength);
  }
  const raw = new Uint8Array(offset + strings.length);
  for (const [i, [, col]] of cols.entries()) {
    const at = layout[i]![3];
    const bytes = new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
    if (col instanceof Float64Array) transpose(bytes, raw.subarray(at, at + bytes.length), 8);
    else raw.set(bytes, at);
  }
  raw.set(strings, offset);
  const header: FlameWireHeader = {
    format: "flamebook.flametree",
    version: 1,
    title: tree.title,
    event: tree.event,
    unit: tree.unit,
    notes: tree.notes,
    ...(tree.diff ? { diff: { label: tree.diff.label, baseLabel: tree.diff.baseLabel } } : {}),
    ...(tree.timeline ? { threads: tree.timeline.threads } : {}),
    encoding: compress ? "deflate" : "identity",
    byteLength: raw.length,
    columns: layout,
    strings: [offset, strings.length, tree.strings.length],
  };
  const bytes = compress ? new Uint8Array(deflateSync(raw, { level: 9 })) : raw;
  return { header, bytes };
}

/**
 * A flame tree as one JSON-safe object (`header` plus the payload in base64), for `text/html`
 * pages and stored outputs.
 *
 * @example
 * const json = JSON.stringify(flameTreeJson(tree)); // embed in a page
 */
export function flameTreeJson(tree: FlameTree): { header: FlameWireHeader; data: string } {
  const { header, bytes } = packFlameTree(tree);
  return { header, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
}

function typeOf(col: Column): FlameColumnType {
  return col instanceof Float64Array ? "f64" : col instanceof Uint8Array ? "u8" : "i32";
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Byte-transposes `src` (elements of `width` bytes) into `dst`: all byte 0s, then all byte 1s, … */
function transpose(src: Uint8Array, dst: Uint8Array, width: number): void {
  const n = src.length / width;
  for (let b = 0; b < width; b++) for (let i = 0; i < n; i++) dst[b * n + i] = src[i * width + b]!;
}
