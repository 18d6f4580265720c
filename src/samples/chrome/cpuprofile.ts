// Format: V8 CPU profiles (`.cpuprofile`), in both forms. The current one, what `node --cpu-prof`,
// Node ≥ 8's inspector and Chrome ≥ 60 DevTools write, is the Chrome DevTools Protocol's
// Profiler.Profile, https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
// — `nodes` [{id, callFrame {functionName, scriptId, url, lineNumber (0-based), columnNumber},
// hitCount, children [ids]}], `samples` [node ids], `timeDeltas` [µs], `startTime`/`endTime` (µs).
// The legacy one, V8's C++ CpuProfile as v8-profiler (Node ≤ 10) and Chrome ≤ 59 saved it:
// {typeId?, title?, `head`: a nested tree of {functionName, url, lineNumber, columnNumber
// (1-based), hitCount, callUID, id, children [nodes]}, `startTime`/`endTime` (seconds),
// `samples` [node ids], `timestamps` [µs]} (see ./cpuprofile-nodes.ts).
import { basename } from "node:path";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import type { ImportOptions, Importer } from "../importer.js";
import { get, readJson, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";
import { flatNodes, treeNodes, type V8Nodes } from "./cpuprofile-nodes.js";

const FORMAT = "cpuprofile";
const FIX = "Record it again with `node --cpu-prof --cpu-prof-dir=prof script.js`, or save it from Chrome DevTools (Performance → Save profile).";
/** `node --cpu-prof` names its files CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile. */
const NODE_FILE = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/;

/**
 * Reads a V8 `.cpuprofile`, current (`nodes`) or legacy (`head` tree). Each node's call frame is a
 * frame: name = functionName ("(anonymous)" when empty), module = script url, line 1-based. V8's synthetic
 * "(root)" node is left out of stacks; "(program)", "(idle)" and "(garbage collector)" stay.
 * Weights are nanoseconds: a sample lasts until the next sample (by timestamp; V8 can write
 * samples out of order, with negative deltas, and they are sorted like DevTools does) and the
 * last one until `endTime`; the legacy form gives absolute `timestamps` instead of `timeDeltas`.
 * Without times samples count 1 each; without `samples` the
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
    /^\s*\{\s*"(?:nodes"\s*:\s*\[|head"\s*:\s*\{)/.test(head) ||
    (/^\s*\{/.test(head) &&
      !/"traceEvents"\s*:/.test(head) &&
      ((/"nodes"\s*:\s*\[/.test(head) && /"callFrame"\s*:\s*\{/.test(head)) || (/"head"\s*:\s*\{/.test(head) && /"(?:functionName|callUID|hitCount)"\s*:/.test(head)))),
  decode(bytes, opts = {}) {
    const doc = readJson(bytes, FORMAT, { source: opts.source, fix: FIX });
    return read(doc, opts);
  },
};

function read(doc: JsonDoc, opts: ImportOptions): Profile {
  const b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
  const root = doc.object(doc.value, [], "a V8 CPU profile (an object with nodes, samples and timeDeltas, or a legacy one with head, samples and timestamps)");
  const legacy = get(root, "nodes") === undefined && get(root, "head") !== undefined;
  const clean = opts.cleanNames ?? false;
  const nodes = legacy ? treeNodes(doc, doc.object(get(root, "head"), ["head"], "the root node of the call tree"), b, clean) : flatNodes(doc, root, b, clean);
  const m = opts.source === undefined ? null : NODE_FILE.exec(basename(opts.source));
  const thread = b.thread("v8", m ? Number(m[1]) : -1, m ? Number(m[2]) : -1);
  const samplesV = get(root, "samples");
  if (samplesV === undefined) {
    hitCounts(doc, nodes, b, thread);
    return b.finish();
  }
  const samples = doc.array(samplesV, ["samples"]);
  const sampleStacks = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i];
    const s = typeof id === "number" ? nodes.stackOf.get(id) : undefined;
    if (s === undefined) doc.fail(["samples", i], `the id of a node in ${legacy ? "the head tree" : "nodes"}`, id);
    sampleStacks[i] = s;
  }
  const times = legacy ? timestamps(doc, root, samples.length) : deltaTimes(doc, root, samples.length);
  const event = b.event("samples");
  if (times === null) {
    for (let i = 0; i < samples.length; i++) b.sample(sampleStacks[i]!, thread, event, NaN, 1);
    if (samples.length > 0) b.warn(`cpuprofile: no ${legacy ? "timestamps" : "timeDeltas"}; every sample counts 1.`);
    return b.finish();
  }
  // timestamps in µs; V8 may write them out of order (negative deltas), so sort (stably) when they are
  const order = Array.from({ length: samples.length }, (_, i) => i);
  if (times.outOfOrder > 0) {
    order.sort((x, y) => times.at[x]! - times.at[y]! || x - y);
    b.warn(`cpuprofile: ${times.outOfOrder} sample(s) had ${legacy ? "timestamps before the previous one" : "negative time deltas"} (out of order); sorted by time like Chrome DevTools.`);
  }
  b.setUnit("nanoseconds");
  const n = order.length;
  const at = times.at;
  const last = n > 0 ? at[order[n - 1]!]! : 0;
  const lastSpan = Number.isFinite(times.end) && times.end >= last ? times.end - last : n > 1 ? (last - at[order[0]!]!) / (n - 1) : 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const span = k + 1 < n ? at[order[k + 1]!]! - at[i]! : lastSpan;
    const ns = span * 1000;
    if (!Number.isFinite(ns)) {
      const [path, got] = k + 1 < n ? times.source(order[k + 1]!) : [["endTime"], get(root, "endTime")];
      doc.fail(path, "a time that keeps each sample's duration a finite number of nanoseconds", got);
    }
    b.sample(sampleStacks[i]!, thread, event, at[i]! / 1e6, ns);
  }
  if (n === 0) b.warn("cpuprofile: no samples in this profile.");
  return b.finish();
}

/** Sample times in µs, how many go back in time, the end, and the JSON value behind time i. */
interface Times {
  at: Float64Array;
  outOfOrder: number;
  end: number;
  source(i: number): [JsonPath, unknown];
}

/** The current form: `startTime` + the running sum of `timeDeltas` (µs); null without deltas. */
function deltaTimes(doc: JsonDoc, root: JsonObject, count: number): Times | null {
  const deltasV = get(root, "timeDeltas");
  if (deltasV === undefined) return null;
  const deltas = doc.array(deltasV, ["timeDeltas"]);
  if (deltas.length !== count) doc.fail(["timeDeltas"], `an array as long as samples (${count} items)`, deltas);
  const start = doc.number(get(root, "startTime"), ["startTime"], 0);
  const end = get(root, "endTime") === undefined ? NaN : doc.number(get(root, "endTime"), ["endTime"]);
  const at = new Float64Array(count);
  let t = start;
  let outOfOrder = 0;
  for (let i = 0; i < count; i++) {
    const d = deltas[i];
    if (typeof d !== "number" || !Number.isFinite(d)) doc.fail(["timeDeltas", i], "a time delta in microseconds", d);
    if (d < 0) outOfOrder++;
    at[i] = t += d;
  }
  if (!Number.isFinite(t)) doc.fail(["timeDeltas"], "time deltas whose sum is a finite number of microseconds", deltas);
  return { at, outOfOrder, end, source: (i) => [["timeDeltas", i], deltas[i]] };
}

/**
 * The legacy form: absolute `timestamps` (µs) and `startTime`/`endTime` in seconds (DevTools
 * multiplies them by 1000 to get ms); null without timestamps.
 */
function timestamps(doc: JsonDoc, root: JsonObject, count: number): Times | null {
  const v = get(root, "timestamps");
  if (v === undefined) return null;
  const list = doc.array(v, ["timestamps"]);
  if (list.length !== count) doc.fail(["timestamps"], `an array as long as samples (${count} items)`, list);
  // seconds → µs, rounded to the ns so that 3214.505 s is 3214505000 µs, not …000.0000005
  const seconds = (key: string): number => {
    const s = doc.number(get(root, key), [key]);
    const us = Math.round(s * 1e9) / 1e3;
    return Number.isFinite(us) ? us : doc.fail([key], "a time in seconds", get(root, key));
  };
  const end = get(root, "endTime") === undefined ? NaN : seconds("endTime");
  const at = new Float64Array(count);
  let outOfOrder = 0;
  for (let i = 0; i < count; i++) {
    const t = list[i];
    if (typeof t !== "number" || !Number.isFinite(t)) doc.fail(["timestamps", i], "a timestamp in microseconds", t);
    if (i > 0 && t < at[i - 1]!) outOfOrder++;
    at[i] = t;
  }
  return { at, outOfOrder, end, source: (i) => [["timestamps", i], list[i]] };
}

/** Profiles without `samples`: one row per node, weighted by its hitCount. */
function hitCounts(doc: JsonDoc, nodes: V8Nodes, b: ProfileBuilder, thread: number): void {
  const event = b.event("samples");
  for (const { node, stack, path } of nodes.list) {
    const v = get(node, "hitCount");
    const hits = v === undefined || v === null ? 0 : typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : doc.fail([...path(), "hitCount"], "a non-negative hit count", v);
    if (hits > 0) b.sample(stack, thread, event, NaN, hits);
  }
  b.warn("cpuprofile: no samples array; weights are the nodes' hit counts.");
}
