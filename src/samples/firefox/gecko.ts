// Format: the Firefox Profiler "gecko" profile format (what Firefox's Gecko profiler emits before
// profiler.firefox.com processes it), versions 3 to 36 (`meta.version`): `meta`, `libs`
// [{start, end, name, path}] (a JSON string in version 3), `threads` each with `samples`,
// `stackTable` and `frameTable` as {schema: {column: index}, data: [[row], …]} and a per-thread
// `stringTable`; subprocess profiles nest in `processes` (v5+) or, in versions 3–4, sit in
// `threads` as JSON strings. Rows may omit trailing nulls. Frame locations are strings: a native
// address "0x7f…", "name (in lib) + 12" for symbolicated native code, "name (url:line:col)[source]"
// or "url:line:col" for JS (the "[source]" index is v32+), or a label. Versions 1–2 (before
// 2016) are refused, as profiler.firefox.com does; newer ones than 36 are read with a warning.
// Spec: firefox-devtools/profiler src/types/gecko-profile.ts, src/profile-logic/process-profile.ts
// (location strings) and src/profile-logic/gecko-profile-versioning.ts. Helper of ./firefox.ts.
import type { FirefoxOutput } from "./output.js";
import { StackResolver } from "./stacks.js";
import { GECKO } from "./versions.js";
import { formatPath, get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/** Subprocesses nest; real profiles have one level. Deeper input is refused, not recursed into. */
const MAX_DEPTH = 16;
const ADDRESS = /^0x[0-9a-f]+$/i;
/** Symbolicated native code: "name (in lib) + 1234", "name (in lib) (file:line)" or "name (in lib)". */
const NATIVE_LOCATION = /^(.*) \(in ([^)]*)\)(?: \+ [0-9]+| \(.*:.*\))?$/;
/** JS: "name (url:line[:col])[source]"; the name may be empty. */
const JS_LOCATION = /^(.*) \((.+?):([0-9]+)(?::[0-9]+)?\)(?:\[\d+\])?$/;
/** JS without a function (a script's top level): "url:line[:col][source]". */
const JS_SCRIPT = /^(.+?):([0-9]+)(?::[0-9]+)?(?:\[\d+\])?$/;

interface LibRange {
  start: number;
  end: number;
  module: string;
}

/** A frame as flamebook keeps it. */
interface Location {
  name: string;
  module: string;
  file: string | null;
  line: number | null;
  js: boolean;
}

/**
 * Reads a gecko profile and, recursively, its subprocess profiles into `out`. Sample times are
 * moved onto the main process's timeline (each process's `meta.startTime` is its own zero).
 * `version` is the main profile's `meta.version` (a subprocess without one inherits it).
 *
 * @example
 * readGecko(doc, doc.object(doc.value, []), out); // then out.finish()
 */
export function readGecko(doc: JsonDoc, root: JsonObject, out: FirefoxOutput, at: JsonPath = [], offsetMs = 0, depth = 0, inherited: number = GECKO.newest): void {
  const meta = doc.object(get(root, "meta"), [...at, "meta"], "an object (every gecko profile has meta)");
  const version = geckoVersion(doc, meta, [...at, "meta", "version"], inherited);
  if (depth === 0 && version > GECKO.newest) {
    out.b.warn(`firefox: gecko profile version ${version} is newer than ${GECKO.newest}, the newest flamebook knows; read with the version ${GECKO.newest} layout.`);
  }
  const start = doc.number(get(meta, "startTime"), [...at, "meta", "startTime"], 0);
  const libs = readLibs(doc, get(root, "libs"), [...at, "libs"], version);
  const threads = doc.array(get(root, "threads"), [...at, "threads"]);
  const children: { doc: JsonDoc; root: JsonObject; at: JsonPath }[] = [];
  for (let t = 0; t < threads.length; t++) {
    const tAt = [...at, "threads", t];
    if (typeof threads[t] === "string" && version < GECKO.processes) {
      // versions 3–4: a subprocess profile, as JSON text
      const child = doc.embedded(threads[t], tAt, "a subprocess profile");
      children.push({ doc: child, root: child.object(child.value, [], "a subprocess profile object"), at: [] });
      continue;
    }
    const thread = doc.object(threads[t], tAt, `a thread object (gecko profile version ${version}; threads stored as JSON strings are subprocess profiles of versions 3–4)`);
    readThread(doc, out, thread, tAt, libs, offsetMs, version);
  }
  const processes = get(root, "processes");
  if (processes !== undefined) {
    const list = doc.array(processes, [...at, "processes"]);
    for (let p = 0; p < list.length; p++) children.push({ doc, root: doc.object(list[p], [...at, "processes", p], "a subprocess profile object"), at: [...at, "processes", p] });
  }
  for (const child of children) {
    if (depth + 1 > MAX_DEPTH) child.doc.fail(child.at, `a subprocess profile nested at most ${MAX_DEPTH} levels deep`, child.root);
    const childMeta = child.doc.object(get(child.root, "meta"), [...child.at, "meta"]);
    const childStart = child.doc.number(get(childMeta, "startTime"), [...child.at, "meta", "startTime"], start);
    readGecko(child.doc, child.root, out, child.at, offsetMs + (childStart - start), depth + 1, version);
  }
}

/** `meta.version`: absent means the newest layout; 1–2 are refused (no upgrader exists for them). */
function geckoVersion(doc: JsonDoc, meta: JsonObject, path: JsonPath, inherited: number): number {
  const v = get(meta, "version");
  if (v === undefined || v === null) return inherited;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) return doc.fail(path, "a gecko format version (a positive integer)", v);
  if (v < GECKO.oldest) {
    doc.fail(
      path,
      `a gecko format version flamebook reads (${GECKO.oldest} to ${GECKO.newest})`,
      v,
      `Gecko profile version ${v} comes from Firefox before 2016; neither flamebook nor profiler.firefox.com can upgrade it. Record the program again with a current Firefox or samply.`,
    );
  }
  return v;
}

function readLibs(doc: JsonDoc, v: unknown, at: JsonPath, version: number): LibRange[] {
  if (v === undefined) return [];
  if (typeof v === "string" && version < GECKO.libsArray) {
    const inner = doc.embedded(v, at, "the libs list");
    return readLibs(inner, inner.value, [], GECKO.libsArray);
  }
  const list = doc.array(v, at, typeof v === "string" ? `an array (gecko profile version ${version}; libs as JSON text are the layout of versions before ${GECKO.libsArray})` : "an array");
  const out: LibRange[] = [];
  for (let i = 0; i < list.length; i++) {
    const lib = doc.object(list[i], [...at, i]);
    const start = get(lib, "start");
    const end = get(lib, "end");
    if (typeof start !== "number" || typeof end !== "number" || !(end > start)) continue; // cannot map addresses to it
    // before version 4 a lib's `name` is its path
    const path = doc.string(get(lib, "path"), [...at, i, "path"], "");
    out.push({ start, end, module: path || doc.string(get(lib, "name"), [...at, i, "name"], "") });
  }
  return out.sort((a, b) => a.start - b.start);
}

function libOf(libs: readonly LibRange[], address: number): string {
  let lo = 0;
  let hi = libs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const lib = libs[mid]!;
    if (address < lib.start) hi = mid - 1;
    else if (address >= lib.end) lo = mid + 1;
    else return lib.module;
  }
  return "";
}

/**
 * What a frame's location string says, the way profiler.firefox.com's process-profile reads it:
 * an address (mapped to its lib), symbolicated native code, JS (a script URL "a -> b" is b), or a label.
 */
function parseLocation(location: string, libs: readonly LibRange[]): Location {
  if (ADDRESS.test(location)) return { name: location, module: libOf(libs, Number.parseInt(location, 16)), file: null, line: null, js: false };
  const native = NATIVE_LOCATION.exec(location);
  if (native) return { name: native[1]!, module: native[2]!, file: null, line: null, js: false };
  const js = JS_LOCATION.exec(location);
  const script = js ? null : JS_SCRIPT.exec(location);
  if (js || script) {
    const [url, line] = js ? [js[2]!, js[3]!] : [script![1]!, script![2]!];
    const file = url.split(" -> ").pop()!;
    // a JS frame without a function is a script's top level
    return { name: js?.[1] || `(root scope) ${file}`, module: file, file, line: Number(line), js: true };
  }
  return { name: location, module: "", file: null, line: null, js: false };
}

/** A `{schema, data}` table: the column positions asked for (-1 when absent) and the rows. */
function table(doc: JsonDoc, v: unknown, at: JsonPath, required: string[], optional: string[]): { cols: Record<string, number>; data: readonly unknown[] } {
  const t = doc.object(v, at, "a {schema, data} table");
  const schema = doc.object(get(t, "schema"), [...at, "schema"]);
  const cols: Record<string, number> = {};
  for (const key of [...required, ...optional]) {
    const c = get(schema, key);
    if (c === undefined && !required.includes(key)) cols[key] = -1;
    else if (typeof c === "number" && Number.isInteger(c) && c >= 0 && c < 1024) cols[key] = c;
    else doc.fail([...at, "schema", key], "a column position (a small non-negative integer)", c);
  }
  return { cols, data: doc.array(get(t, "data"), [...at, "data"]) };
}

/** Cell `col` of row `i`; rows may stop before their last null cells. */
function cell(doc: JsonDoc, data: readonly unknown[], i: number, col: number, at: JsonPath): unknown {
  const row = data[i];
  if (!Array.isArray(row)) doc.fail([...at, "data", i], "a row (an array)", row);
  if (col < 0) return undefined;
  const v: unknown = row[col];
  return v === undefined ? null : v;
}

function readThread(doc: JsonDoc, out: FirefoxOutput, thread: JsonObject, at: JsonPath, libs: readonly LibRange[], offsetMs: number, version: number): void {
  const { b } = out;
  let name = typeof get(thread, "name") === "string" ? (get(thread, "name") as string) : formatPath(at);
  // version 4's upgrader: a "Content" thread without processType is a tab's main thread
  if (version < GECKO.libsArray && name === "Content" && get(thread, "processType") === undefined) name = "GeckoMain";
  const sPath = [...at, "samples"];
  const samples = table(doc, get(thread, "samples"), sPath, ["stack"], ["time", "weight"]);
  const sObj = doc.object(get(thread, "samples"), sPath);
  const weights = out.weights(doc, get(sObj, "weightType"), [...sPath, "weightType"], name);
  if (weights === null) return;
  const stPath = [...at, "stackTable"];
  const stacksT = table(doc, get(thread, "stackTable"), stPath, ["prefix", "frame"], []);
  const ftPath = [...at, "frameTable"];
  const framesT = table(doc, get(thread, "frameTable"), ftPath, ["location"], ["line"]);
  const strPath = [...at, "stringTable"];
  const strings = doc.array(get(thread, "stringTable"), strPath, "an array of strings");

  const frameIds = new Int32Array(framesT.data.length).fill(-1);
  const frameOf = (row: number): number => {
    const f = doc.index(cell(doc, stacksT.data, row, stacksT.cols.frame!, stPath), [...stPath, "data", row, stacksT.cols.frame!], framesT.data.length, formatPath([...ftPath, "data"]));
    if (frameIds[f]! >= 0) return frameIds[f]!;
    const locAt = [...ftPath, "data", f, framesT.cols.location!];
    const s = doc.index(cell(doc, framesT.data, f, framesT.cols.location!, ftPath), locAt, strings.length, formatPath(strPath));
    const location = strings[s];
    if (typeof location !== "string") doc.fail([...strPath, s], "a string", location);
    const loc = parseLocation(location, libs);
    const line = doc.lineNumber(cell(doc, framesT.data, f, framesT.cols.line!, ftPath), [...ftPath, "data", f, framesT.cols.line!]) ?? loc.line;
    const id = b.frame(out.name(loc.name), loc.module, { file: loc.file, line, kind: loc.js ? "unknown" : undefined }); // JS: neither Rust nor C
    frameIds[f] = id;
    return id;
  };
  const prefixOf = (row: number): number => {
    const p = cell(doc, stacksT.data, row, stacksT.cols.prefix!, stPath);
    return p === null ? -1 : doc.index(p, [...stPath, "data", row, stacksT.cols.prefix!], stacksT.data.length, `${formatPath([...stPath, "data"])} or null`);
  };
  const stacks = new StackResolver(stacksT.data.length, prefixOf, frameOf, b, (row) =>
    doc.fail([...stPath, "data", row, stacksT.cols.prefix!], "a prefix chain that ends in a root (null); this one comes back to itself", cell(doc, stacksT.data, row, stacksT.cols.prefix!, stPath)),
  );

  const tid = out.thread(thread, name);
  const { stack: cStack, time: cTime, weight: cWeight } = samples.cols as { stack: number; time: number; weight: number };
  for (let i = 0; i < samples.data.length; i++) {
    const s = cell(doc, samples.data, i, cStack, sPath);
    const t = cell(doc, samples.data, i, cTime, sPath);
    let time = NaN;
    if (t !== null && t !== undefined) {
      if (typeof t !== "number" || !Number.isFinite(t)) doc.fail([...sPath, "data", i, cTime], "a time in milliseconds", t);
      time = (t + offsetMs) / 1000;
      if (!Number.isFinite(time)) doc.fail([...sPath, "data", i, cTime], "a time that stays finite on the main process's timeline", t);
    }
    if (s === null) {
      out.nullStacks++;
      continue;
    }
    let weight = 1;
    if (cWeight >= 0) {
      const w = cell(doc, samples.data, i, cWeight, sPath);
      if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(w * weights.scale)) doc.fail([...sPath, "data", i, cWeight], "a finite, non-negative weight", w);
      weight = w * weights.scale;
    }
    const n = stacksT.data.length;
    const row = typeof s === "number" && Number.isInteger(s) && s >= 0 && s < n ? s : doc.index(s, [...sPath, "data", i, cStack], n, `${formatPath([...stPath, "data"])} or null`);
    b.sample(stacks.resolve(row), tid, weights.event, time, weight);
  }
}
