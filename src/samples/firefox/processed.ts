// Format: the Firefox Profiler "processed" profile format (what samply and fxprof-processed-profile
// write, and profiler.firefox.com downloads): `meta.preprocessedProfileVersion`, threads of
// column tables — samples {stack, time | timeDeltas, weight, weightType}, stackTable {frame, prefix},
// frameTable {func, inlineDepth, line}, funcTable {name, resource, fileName | source, lineNumber},
// resourceTable {lib, name} — with strings in `shared.stringArray` (v56+) or per thread
// (`stringArray`, older `stringTable`), `profile.libs` (v41+, else per thread) and `shared.sources`
// (v58+). Spec: firefox-devtools/profiler src/types/profile.ts and docs-developer/CHANGELOG-formats.md.
// Helper of ./firefox.ts.
import type { FirefoxOutput } from "./output.js";
import { StackResolver } from "./stacks.js";
import { formatPath, get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/** What threads share: strings (v56+), libs (v41+), sources (v58+). */
interface Shared {
  strings: readonly unknown[] | undefined;
  sources: { filename: readonly unknown[]; path: JsonPath } | undefined;
  libs: readonly unknown[] | undefined;
}

/**
 * Reads every thread of a processed profile into `out`.
 *
 * @example
 * readProcessed(doc, doc.object(doc.value, []), out); // then out.finish()
 */
export function readProcessed(doc: JsonDoc, root: JsonObject, out: FirefoxOutput): void {
  const shared = get(root, "shared") === undefined ? undefined : doc.object(get(root, "shared"), ["shared"]);
  let strings: readonly unknown[] | undefined;
  let sources: Shared["sources"];
  if (shared !== undefined) {
    if (get(shared, "stringArray") !== undefined) strings = doc.array(get(shared, "stringArray"), ["shared", "stringArray"]);
    if (get(shared, "sources") !== undefined) {
      const src = doc.object(get(shared, "sources"), ["shared", "sources"]);
      sources = { filename: doc.array(get(src, "filename"), ["shared", "sources", "filename"]), path: ["shared", "sources", "filename"] };
    }
  }
  const libs = get(root, "libs") === undefined ? undefined : doc.array(get(root, "libs"), ["libs"]);
  const threads = doc.array(get(root, "threads"), ["threads"]);
  for (let t = 0; t < threads.length; t++) {
    readThread(doc, out, { strings, sources, libs }, doc.object(threads[t], ["threads", t]), ["threads", t]);
  }
}

/** A column of a table: an array, or undefined when the table has no such column. */
function column(doc: JsonDoc, table: JsonObject, key: string, at: JsonPath, required: boolean): readonly unknown[] | undefined {
  const v = get(table, key);
  if (v === undefined && !required) return undefined;
  return doc.array(v, [...at, key], required ? "an array (a required column)" : "an array");
}

function readThread(doc: JsonDoc, out: FirefoxOutput, shared: Shared, thread: JsonObject, at: JsonPath): void {
  const { b } = out;
  const name = typeof get(thread, "name") === "string" ? (get(thread, "name") as string) : `thread ${at[1]}`;

  // strings: shared (v56+) or per thread
  let strings = shared.strings;
  let stringsPath: JsonPath = ["shared", "stringArray"];
  if (strings === undefined) {
    const key = get(thread, "stringArray") !== undefined ? "stringArray" : "stringTable";
    stringsPath = [...at, key];
    strings = doc.array(get(thread, key), stringsPath, "an array of strings (or shared.stringArray for version 56+)");
  }
  const strs = strings;
  const str = (v: unknown, path: JsonPath): string => {
    const i = doc.index(v, path, strs.length, formatPath(stringsPath));
    const s = strs[i];
    return typeof s === "string" ? s : doc.fail([...stringsPath, i], "a string", s);
  };
  const optStr = (v: unknown, path: JsonPath): string | null => (v === null || v === undefined ? null : str(v, path));

  // samples
  const sPath = [...at, "samples"];
  const samples = doc.object(get(thread, "samples"), sPath);
  const weights = out.weights(doc, get(samples, "weightType"), [...sPath, "weightType"], name);
  if (weights === null) return;
  const sStack = column(doc, samples, "stack", sPath, true)!;
  const sWeightRaw = get(samples, "weight");
  const sWeight = sWeightRaw === null ? undefined : column(doc, samples, "weight", sPath, false);
  const sTime = column(doc, samples, "time", sPath, false);
  const sDelta = sTime === undefined ? column(doc, samples, "timeDeltas", sPath, false) : undefined;

  // tables
  const stPath = [...at, "stackTable"];
  const stackTable = doc.object(get(thread, "stackTable"), stPath);
  const stFrame = column(doc, stackTable, "frame", stPath, true)!;
  const stPrefix = column(doc, stackTable, "prefix", stPath, true)!;
  const ftPath = [...at, "frameTable"];
  const frameTable = doc.object(get(thread, "frameTable"), ftPath);
  const ftFunc = column(doc, frameTable, "func", ftPath, true)!;
  const ftInline = column(doc, frameTable, "inlineDepth", ftPath, false);
  const ftLine = column(doc, frameTable, "line", ftPath, false);
  const fnPath = [...at, "funcTable"];
  const funcTable = doc.object(get(thread, "funcTable"), fnPath);
  const fnName = column(doc, funcTable, "name", fnPath, true)!;
  const fnResource = column(doc, funcTable, "resource", fnPath, false);
  const fnFile = column(doc, funcTable, "fileName", fnPath, false);
  const fnSource = column(doc, funcTable, "source", fnPath, false);
  const fnLine = column(doc, funcTable, "lineNumber", fnPath, false);
  const fnIsJS = column(doc, funcTable, "isJS", fnPath, false);
  const rsPath = [...at, "resourceTable"];
  const resourceTable = get(thread, "resourceTable") === undefined ? undefined : doc.object(get(thread, "resourceTable"), rsPath);
  const rsLib = resourceTable && column(doc, resourceTable, "lib", rsPath, false);
  const rsName = resourceTable && column(doc, resourceTable, "name", rsPath, false);
  const rsCount = Math.max(rsLib?.length ?? 0, rsName?.length ?? 0);
  const libsPath: JsonPath = shared.libs !== undefined ? ["libs"] : [...at, "libs"];
  const libs = shared.libs ?? (get(thread, "libs") === undefined ? [] : doc.array(get(thread, "libs"), libsPath));

  const lineOf = (v: unknown, path: JsonPath): number | null => doc.lineNumber(v, path);

  /** The module of a func: its resource's lib path (or name), else the resource name (a JS URL). */
  const moduleOf = (func: number): string => {
    const r = fnResource?.[func];
    if (r === undefined || r === null || r === -1) return "";
    const res = doc.index(r, [...fnPath, "resource", func], rsCount, formatPath(rsPath));
    const lib = rsLib?.[res];
    if (lib !== undefined && lib !== null) {
      const l = doc.index(lib, [...rsPath, "lib", res], libs.length, formatPath(libsPath));
      const obj = doc.object(libs[l], [...libsPath, l]);
      const path = doc.string(get(obj, "path"), [...libsPath, l, "path"], "");
      return path || doc.string(get(obj, "name"), [...libsPath, l, "name"], "");
    }
    return rsName === undefined ? "" : (optStr(rsName[res], [...rsPath, "name", res]) ?? "");
  };

  const fileOf = (func: number): string | null => {
    if (fnFile !== undefined) return optStr(fnFile[func], [...fnPath, "fileName", func]);
    const src = fnSource?.[func];
    if (src === undefined || src === null) return null;
    if (shared.sources === undefined) return doc.fail(["shared", "sources"], "a source table (funcTable.source refers to it)", undefined);
    const { filename, path } = shared.sources;
    const s = doc.index(src, [...fnPath, "source", func], filename.length, "shared.sources");
    return optStr(filename[s], [...path, s]);
  };

  const frameIds = new Int32Array(ftFunc.length).fill(-1);
  const frameOf = (row: number): number => {
    const f = doc.index(stFrame[row], [...stPath, "frame", row], ftFunc.length, formatPath(ftPath));
    if (frameIds[f]! >= 0) return frameIds[f]!;
    const func = doc.index(ftFunc[f], [...ftPath, "func", f], fnName.length, formatPath(fnPath));
    const depth = ftInline === undefined ? 0 : lineOf(ftInline[f], [...ftPath, "inlineDepth", f]) ?? 0;
    const line = lineOf(ftLine?.[f], [...ftPath, "line", f]) ?? lineOf(fnLine?.[func], [...fnPath, "lineNumber", func]);
    const id = b.frame(out.name(str(fnName[func], [...fnPath, "name", func])), moduleOf(func), {
      inlined: depth > 0,
      file: fileOf(func),
      line,
      kind: fnIsJS?.[func] === true ? "unknown" : undefined,
    });
    frameIds[f] = id;
    return id;
  };
  const prefixOf = (row: number): number => {
    const p = stPrefix[row];
    return p === null ? -1 : doc.index(p, [...stPath, "prefix", row], stFrame.length, `${formatPath(stPath)} or null`);
  };
  const stacks = new StackResolver(stFrame.length, prefixOf, frameOf, b, (row) =>
    doc.fail([...stPath, "prefix", row], "a prefix chain that ends in a root (null); this one comes back to itself", stPrefix[row]),
  );

  const tid = out.thread(thread);
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
        doc.fail([...sPath, "weight", i], "a finite, non-negative weight", w, diff);
      }
      weight = w * weights.scale;
    }
    const row = typeof s === "number" && Number.isInteger(s) && s >= 0 && s < stFrame.length ? s : doc.index(s, [...sPath, "stack", i], stFrame.length, `${formatPath(stPath)} or null`);
    b.sample(stacks.resolve(row), tid, weights.event, time, weight);
  }
}
