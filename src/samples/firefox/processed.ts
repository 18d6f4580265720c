// Format: the Firefox Profiler "processed" profile format (what samply and fxprof-processed-profile
// write, and profiler.firefox.com downloads), every version from 0 (no
// `meta.preprocessedProfileVersion`) to 70: threads with samples {stack, time | timeDeltas (v50+),
// weight + weightType (v29+; `duration` before)}, the call-stack tables (./processed-tables.ts; in
// profile.shared from v60), strings in thread.stringArray (before v56; `stringTable` in profiles
// copied from old UIs) or profile.shared.stringArray, libs per thread (before v41) or in
// profile.libs, sources in profile.shared.sources (v58+). Newer versions are read with the v70
// layout and a warning. Spec: firefox-devtools/profiler src/types/profile.ts and the upgraders in
// src/profile-logic/processed-profile-versioning.ts. Helper of ./firefox.ts.
import type { FirefoxOutput } from "./output.js";
import { ProcessedTables, type Located, type TableContext } from "./processed-tables.js";
import { PROCESSED } from "./versions.js";
import { asJsonObject, get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/**
 * Reads every thread of a processed profile of format `version` into `out`.
 *
 * @example
 * readProcessed(doc, doc.object(doc.value, []), out, 70); // then out.finish()
 */
export function readProcessed(doc: JsonDoc, root: JsonObject, out: FirefoxOutput, version: number): void {
  if (version > PROCESSED.newest) {
    out.b.warn(`firefox: processed profile version ${version} is newer than ${PROCESSED.newest}, the newest flamebook knows; read with the version ${PROCESSED.newest} layout.`);
  }
  const v = Math.min(version, PROCESSED.newest);
  const shared = get(root, "shared") === undefined ? undefined : doc.object(get(root, "shared"), ["shared"]);
  const located = (holder: JsonObject | undefined, key: string, at: JsonPath): Located | undefined =>
    holder === undefined || get(holder, key) === undefined ? undefined : { values: doc.array(get(holder, key), [...at, key]), path: [...at, key] };
  const sharedStrings = located(shared, "stringArray", ["shared"]);
  const src = shared && get(shared, "sources") !== undefined ? doc.object(get(shared, "sources"), ["shared", "sources"]) : undefined;
  const sources = src && { values: doc.array(get(src, "filename"), ["shared", "sources", "filename"]), path: ["shared", "sources", "filename"] };
  const libs = located(root, "libs", []);
  const threads = doc.array(get(root, "threads"), ["threads"]);

  // The version says where the tables are; a file that has them in the other place is read too.
  const inThread = asJsonObject(threads[0]) !== undefined && get(asJsonObject(threads[0])!, "stackTable") !== undefined;
  const sharedTables = shared !== undefined && get(shared, "stackTable") !== undefined ? true : v >= PROCESSED.sharedTables && !inThread;
  let tables: ProcessedTables | undefined;
  for (let t = 0; t < threads.length; t++) {
    const at = ["threads", t];
    const thread = doc.object(threads[t], at, "a thread object");
    const ctx: TableContext = {
      doc,
      out,
      version: v,
      strings: sharedStrings ?? threadStrings(doc, thread, at, v, sharedTables),
      libs: libs ?? (sharedTables ? undefined : located(thread, "libs", at)) ?? { values: [], path: ["libs"] },
      sources,
    };
    const own = sharedTables ? (tables ??= new ProcessedTables(ctx, shared ?? {}, ["shared"])) : new ProcessedTables(ctx, thread, at);
    readSamples(doc, out, thread, at, own, v);
  }
}

/** The thread's own strings: `stringArray`, or `stringTable` (an array, or a StringTable object `{_array}`). */
function threadStrings(doc: JsonDoc, thread: JsonObject, at: JsonPath, version: number, sharedTables: boolean): Located {
  // tables shared by every thread cannot use one thread's strings
  for (const key of sharedTables ? [] : ["stringArray", "stringTable"]) {
    const v = get(thread, key);
    if (v === undefined) continue;
    const obj = key === "stringTable" ? asJsonObject(v) : undefined;
    const path = obj !== undefined ? [...at, key, "_array"] : [...at, key];
    return { values: doc.array(obj !== undefined ? get(obj, "_array") : v, path, "an array of strings"), path };
  }
  const shared = sharedTables || version >= PROCESSED.sharedStrings;
  const where = shared
    ? `processed profile version ${version} keeps it in profile.shared; versions before ${PROCESSED.sharedStrings} in each thread`
    : `processed profile version ${version} keeps it in each thread; version ${PROCESSED.sharedStrings} and later in profile.shared`;
  return doc.fail(shared ? ["shared", "stringArray"] : [...at, "stringArray"], `the string array (${where})`, undefined);
}

/** A column of the samples table, or undefined when absent. */
function column(doc: JsonDoc, table: JsonObject, key: string, at: JsonPath, required: boolean): readonly unknown[] | undefined {
  const v = get(table, key);
  if (v === undefined && !required) return undefined;
  return doc.array(v, [...at, key], required ? "an array (a required column)" : "an array");
}

function readSamples(doc: JsonDoc, out: FirefoxOutput, thread: JsonObject, at: JsonPath, tables: ProcessedTables, version: number): void {
  const { b } = out;
  let name = typeof get(thread, "name") === "string" ? (get(thread, "name") as string) : `thread ${at[1]}`;
  // version 1's upgrader: a "Content" thread without processType is a tab's main thread
  if (version < 1 && name === "Content" && get(thread, "processType") === undefined) name = "GeckoMain";

  const sPath = [...at, "samples"];
  const samples = doc.object(get(thread, "samples"), sPath);
  const weights = out.weights(doc, get(samples, "weightType"), [...sPath, "weightType"], name);
  if (weights === null) return;
  const sStack = column(doc, samples, "stack", sPath, true)!;
  // before version 29 the weights were `duration` (its upgrader makes them weightType "samples")
  const weightKey = get(samples, "weight") === undefined && version < PROCESSED.weight && get(samples, "duration") != null ? "duration" : "weight";
  const sWeight = get(samples, weightKey) === null ? undefined : column(doc, samples, weightKey, sPath, false);
  const sTime = column(doc, samples, "time", sPath, false);
  const sDelta = sTime === undefined ? column(doc, samples, "timeDeltas", sPath, false) : undefined;

  const tid = out.thread(thread, name);
  let clock = 0;
  for (let i = 0; i < sStack.length; i++) {
    let time = NaN;
    if (sTime !== undefined) {
      const t = sTime[i];
      if (typeof t !== "number" || !Number.isFinite(t)) doc.fail([...sPath, "time", i], "a time in milliseconds", t);
      time = t / 1000;
    } else if (sDelta !== undefined) {
      const d = sDelta[i];
      if (typeof d !== "number" || !Number.isFinite(d)) doc.fail([...sPath, "timeDeltas", i], "a time delta in milliseconds", d);
      clock += d;
      if (!Number.isFinite(clock)) doc.fail([...sPath, "timeDeltas", i], "a time delta that keeps the running time finite", d);
      time = clock / 1000;
    }
    const s = sStack[i];
    if (s === null) {
      out.nullStacks++;
      continue;
    }
    let weight = 1;
    if (sWeight !== undefined) {
      const w = sWeight[i];
      if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(w * weights.scale)) {
        const diff = typeof w === "number" && w < 0 ? "flamebook reads recorded profiles; comparison (diff) profiles with negative weights are not supported." : undefined;
        doc.fail([...sPath, weightKey, i], "a finite, non-negative weight", w, diff);
      }
      weight = w * weights.scale;
    }
    const row = typeof s === "number" && Number.isInteger(s) && s >= 0 && s < tables.rows ? s : doc.index(s, [...sPath, "stack", i], tables.rows, `${tables.name} or null`);
    b.sample(tables.resolve(row), tid, weights.event, time, weight);
  }
}
