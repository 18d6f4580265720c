// Format: V8 CPU profiles (`.cpuprofile`, what `node --cpu-prof` and Chrome DevTools write): the
// Chrome DevTools Protocol's Profiler.Profile, https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
// — `nodes` [{id, callFrame {functionName, scriptId, url, lineNumber (0-based), columnNumber},
// hitCount, children [ids]}], `samples` [node ids], `timeDeltas` [µs], `startTime`/`endTime` (µs).
import { basename } from "node:path";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import type { ImportOptions, Importer } from "../importer.js";
import { get, readJson, type JsonDoc, type JsonObject } from "../json-input.js";

const FORMAT = "cpuprofile";
const FIX = "Record it again with `node --cpu-prof --cpu-prof-dir=prof script.js`, or save it from Chrome DevTools (Performance → Save profile).";
/** `node --cpu-prof` names its files CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile. */
const NODE_FILE = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/;

/**
 * Reads a V8 `.cpuprofile`. Each node's call frame is a frame: name = functionName
 * ("(anonymous)" when empty), module = script url, line = lineNumber + 1. V8's synthetic
 * "(root)" node is left out of stacks; "(program)", "(idle)" and "(garbage collector)" stay.
 * Weights are nanoseconds: a sample lasts until the next sample (by timestamp; V8 can write
 * samples out of order, with negative deltas, and they are sorted like DevTools does) and the
 * last one until `endTime`. Without `timeDeltas` samples count 1 each; without `samples` the
 * nodes' `hitCount`s are the weights (unit "samples"). One thread, comm "v8"; pid/tid come
 * from the file name when node named it.
 *
 * @example
 * const profile = cpuprofile.decode(readFileSync("CPU.20240101.120000.4242.0.001.cpuprofile"));
 * functionTotals(profile)[0]; // { name: "hot", self: 182000000, total: 182000000 }
 */
export const cpuprofile: Importer & { decode(bytes: Uint8Array, opts?: ImportOptions): Profile } = {
  name: FORMAT,
  extensions: [".cpuprofile"],
  // not Chrome's trace format, whose ProfileChunk events also hold nodes with callFrames
  sniff: (head) =>
    /^\s*\{\s*"nodes"\s*:\s*\[/.test(head) ||
    (/^\s*\{/.test(head) && /"nodes"\s*:\s*\[/.test(head) && /"callFrame"\s*:\s*\{/.test(head) && !/"traceEvents"\s*:/.test(head)),
  decode(bytes, opts = {}) {
    const doc = readJson(bytes, FORMAT, { source: opts.source, fix: FIX });
    return read(doc, opts);
  },
};

function read(doc: JsonDoc, opts: ImportOptions): Profile {
  const b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
  const root = doc.object(doc.value, [], "a V8 CPU profile (an object with nodes, samples and timeDeltas)");
  const stackOf = nodeStacks(doc, root, b, opts.cleanNames ?? false);
  const m = opts.source === undefined ? null : NODE_FILE.exec(basename(opts.source));
  const thread = b.thread("v8", m ? Number(m[1]) : -1, m ? Number(m[2]) : -1);
  const samplesV = get(root, "samples");
  if (samplesV === undefined) {
    hitCounts(doc, root, b, stackOf, thread);
    return b.finish();
  }
  const samples = doc.array(samplesV, ["samples"]);
  const sampleStacks = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i];
    const s = typeof id === "number" ? stackOf.get(id) : undefined;
    if (s === undefined) doc.fail(["samples", i], "the id of a node in nodes", id);
    sampleStacks[i] = s;
  }
  const event = b.event("samples");
  const deltasV = get(root, "timeDeltas");
  if (deltasV === undefined) {
    for (let i = 0; i < samples.length; i++) b.sample(sampleStacks[i]!, thread, event, NaN, 1);
    if (samples.length > 0) b.warn("cpuprofile: no timeDeltas; every sample counts 1.");
    return b.finish();
  }
  const deltas = doc.array(deltasV, ["timeDeltas"]);
  if (deltas.length !== samples.length) doc.fail(["timeDeltas"], `an array as long as samples (${samples.length} items)`, deltas);
  const start = doc.number(get(root, "startTime"), ["startTime"], 0);
  const end = get(root, "endTime") === undefined ? NaN : doc.number(get(root, "endTime"), ["endTime"]);
  // timestamps in µs; deltas may be negative, so sort (stably) when they are
  const times = new Float64Array(samples.length);
  let t = start;
  let outOfOrder = 0;
  for (let i = 0; i < deltas.length; i++) {
    const d = deltas[i];
    if (typeof d !== "number" || !Number.isFinite(d)) doc.fail(["timeDeltas", i], "a time delta in microseconds", d);
    if (d < 0) outOfOrder++;
    times[i] = t += d;
  }
  if (!Number.isFinite(t)) doc.fail(["timeDeltas"], "time deltas whose sum is a finite number of microseconds", deltas);
  const order = Array.from({ length: samples.length }, (_, i) => i);
  if (outOfOrder > 0) {
    order.sort((x, y) => times[x]! - times[y]! || x - y);
    b.warn(`cpuprofile: ${outOfOrder} sample(s) had negative time deltas (out of order); sorted by time like Chrome DevTools.`);
  }
  b.setUnit("nanoseconds");
  const n = order.length;
  const last = n > 0 ? times[order[n - 1]!]! : 0;
  const lastSpan = Number.isFinite(end) && end >= last ? end - last : n > 1 ? (last - times[order[0]!]!) / (n - 1) : 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const span = k + 1 < n ? times[order[k + 1]!]! - times[i]! : lastSpan;
    const ns = span * 1000;
    if (!Number.isFinite(ns)) doc.fail(k + 1 < n ? ["timeDeltas", order[k + 1]!] : ["endTime"], "a time that keeps each sample's duration a finite number of nanoseconds", k + 1 < n ? deltas[order[k + 1]!] : end);
    b.sample(sampleStacks[i]!, thread, event, times[i]! / 1e6, ns);
  }
  if (n === 0) b.warn("cpuprofile: no samples in this profile.");
  return b.finish();
}

/**
 * Builds the stack of every node (by id): parents come from `children` (or a node's `parent`),
 * each node has at most one, and every node must be reachable from a root; a node that is its
 * own ancestor is a FormatError. Iterative, so deep trees cannot overflow the call stack.
 */
function nodeStacks(doc: JsonDoc, root: JsonObject, b: ProfileBuilder, clean: boolean): Map<number, number> {
  const nodes = doc.array(get(root, "nodes"), ["nodes"], "an array of nodes");
  const index = new Map<number, number>();
  const objs: JsonObject[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const node = doc.object(nodes[k], ["nodes", k]);
    const id = get(node, "id");
    if (typeof id !== "number" || !Number.isSafeInteger(id)) doc.fail(["nodes", k, "id"], "an integer node id", id);
    if (index.has(id)) doc.fail(["nodes", k, "id"], `an id no other node has (nodes[${index.get(id)}] has ${id})`, id);
    index.set(id, k);
    objs.push(node);
  }
  const parent = new Int32Array(nodes.length).fill(-1);
  const setParent = (child: number, p: number, at: (string | number)[], got: unknown): void => {
    if (child === p) doc.fail(at, "another node's id (a node cannot be its own child)", got);
    if (parent[child]! >= 0 && parent[child] !== p) doc.fail(at, `a node that no other node lists as its child (nodes[${parent[child]}] already does)`, got);
    parent[child] = p;
  };
  for (let k = 0; k < objs.length; k++) {
    const node = objs[k]!;
    const children = get(node, "children");
    if (children !== undefined) {
      const list = doc.array(children, ["nodes", k, "children"]);
      for (let j = 0; j < list.length; j++) {
        const c = list[j];
        const child = typeof c === "number" ? index.get(c) : undefined;
        if (child === undefined) doc.fail(["nodes", k, "children", j], "the id of a node in nodes", c);
        setParent(child, k, ["nodes", k, "children", j], c);
      }
    }
    const p = get(node, "parent");
    if (p !== undefined) {
      const at = index.get(p as number);
      if (typeof p !== "number" || at === undefined) doc.fail(["nodes", k, "parent"], "the id of a node in nodes", p);
      setParent(k, at, ["nodes", k, "parent"], p);
    }
  }
  // children lists, then breadth first from the roots: parents get their stacks first
  const kids: number[][] = objs.map(() => []);
  for (let k = 0; k < objs.length; k++) if (parent[k]! >= 0) kids[parent[k]!]!.push(k);
  const stack = new Int32Array(objs.length).fill(-2);
  const queue: number[] = [];
  for (let k = 0; k < objs.length; k++) if (parent[k] === -1) queue.push(k);
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q]!;
    const up = parent[k]! >= 0 ? stack[parent[k]!]! : -1;
    const frame = callFrame(doc, objs[k]!, k, b, clean);
    stack[k] = frame === null ? up : b.stack(up, frame);
    for (const c of kids[k]!) queue.push(c);
  }
  if (queue.length < objs.length) {
    const k = stack.findIndex((s) => s === -2);
    doc.fail(["nodes", parent[k]!, "children"], "children that are not ancestors of this node (the node tree has a cycle)", get(objs[parent[k]!]!, "children"));
  }
  const out = new Map<number, number>();
  for (const [id, k] of index) out.set(id, stack[k]!);
  return out;
}

/** The frame of a node's callFrame, or null for V8's synthetic "(root)" at the top of the tree. */
function callFrame(doc: JsonDoc, node: JsonObject, k: number, b: ProfileBuilder, clean: boolean): number | null {
  const at = ["nodes", k, "callFrame"];
  const cf = doc.object(get(node, "callFrame"), at);
  const fn = doc.string(get(cf, "functionName"), [...at, "functionName"], "");
  const url = doc.string(get(cf, "url"), [...at, "url"], "");
  const line = doc.number(get(cf, "lineNumber"), [...at, "lineNumber"], -1);
  doc.number(get(cf, "columnNumber"), [...at, "columnNumber"], -1);
  if (fn === "(root)" && url === "") return null;
  const name = fn === "" ? "(anonymous)" : clean ? cleanRustName(fn) : fn;
  return b.frame(name, url, { file: url || null, line: line >= 0 ? line + 1 : null, kind: "unknown" });
}

/** Old profiles without `samples`: one row per node, weighted by its hitCount. */
function hitCounts(doc: JsonDoc, root: JsonObject, b: ProfileBuilder, stackOf: Map<number, number>, thread: number): void {
  const event = b.event("samples");
  const nodes = doc.array(get(root, "nodes"), ["nodes"]);
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k] as JsonObject;
    const hits = doc.number(get(node, "hitCount"), ["nodes", k, "hitCount"], 0);
    if (hits < 0) doc.fail(["nodes", k, "hitCount"], "a non-negative hit count", hits);
    if (hits > 0) b.sample(stackOf.get(get(node, "id") as number)!, thread, event, NaN, hits);
  }
  b.warn("cpuprofile: no samples array; weights are the nodes' hit counts.");
}
