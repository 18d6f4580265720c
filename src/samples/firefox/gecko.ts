// Format: the Firefox Profiler "gecko" profile format (what Firefox's Gecko profiler emits before
// profiler.firefox.com processes it): `meta`, `libs` [{start, end, name, path}], `threads` each with
// `samples`, `stackTable` and `frameTable` as {schema: {column: index}, data: [[row], …]} and a
// per-thread `stringTable`; subprocess profiles nest in `processes`. Rows may omit trailing nulls.
// Frame locations are strings: a native address "0x7f…", "name (file:line:col)" for JS, or a label.
// Spec: firefox-devtools/profiler src/types/gecko-profile.ts and docs-developer/gecko-profile-format.md.
// Helper of ./firefox.ts.
import type { FirefoxOutput } from "./output.js";
import { StackResolver } from "./stacks.js";
import { formatPath, get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/** Subprocesses nest; real profiles have one level. Deeper input is refused, not recursed into. */
const MAX_DEPTH = 16;
const ADDRESS = /^0x[0-9a-f]+$/i;
const JS_LOCATION = /^(.*) \((.+?):(\d+)(?::\d+)?\)$/;

interface LibRange {
  start: number;
  end: number;
  module: string;
}

/**
 * Reads a gecko profile and, recursively, its subprocess profiles into `out`. Sample times are
 * moved onto the main process's timeline (each process's `meta.startTime` is its own zero).
 *
 * @example
 * readGecko(doc, doc.object(doc.value, []), out); // then out.finish()
 */
export function readGecko(doc: JsonDoc, root: JsonObject, out: FirefoxOutput, at: JsonPath = [], offsetMs = 0, depth = 0): void {
  const meta = doc.object(get(root, "meta"), [...at, "meta"]);
  const start = doc.number(get(meta, "startTime"), [...at, "meta", "startTime"], 0);
  const libs = readLibs(doc, get(root, "libs"), [...at, "libs"]);
  const threads = doc.array(get(root, "threads"), [...at, "threads"]);
  for (let t = 0; t < threads.length; t++) {
    const tAt = [...at, "threads", t];
    const thread = doc.object(threads[t], tAt, "a thread object (threads stored as JSON strings come from Firefox before 2018: open the profile in profiler.firefox.com and download it again)");
    readThread(doc, out, thread, tAt, libs, offsetMs);
  }
  const processes = get(root, "processes");
  if (processes === undefined) return;
  const list = doc.array(processes, [...at, "processes"]);
  for (let p = 0; p < list.length; p++) {
    const pAt = [...at, "processes", p];
    if (depth + 1 > MAX_DEPTH) doc.fail(pAt, `a subprocess profile nested at most ${MAX_DEPTH} levels deep`, list[p]);
    const child = doc.object(list[p], pAt, "a subprocess profile object");
    const childMeta = doc.object(get(child, "meta"), [...pAt, "meta"]);
    const childStart = doc.number(get(childMeta, "startTime"), [...pAt, "meta", "startTime"], start);
    readGecko(doc, child, out, pAt, offsetMs + (childStart - start), depth + 1);
  }
}

function readLibs(doc: JsonDoc, v: unknown, at: JsonPath): LibRange[] {
  if (v === undefined) return [];
  const list = doc.array(v, at);
  const out: LibRange[] = [];
  for (let i = 0; i < list.length; i++) {
    const lib = doc.object(list[i], [...at, i]);
    const start = get(lib, "start");
    const end = get(lib, "end");
    if (typeof start !== "number" || typeof end !== "number" || !(end > start)) continue; // cannot map addresses to it
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

function readThread(doc: JsonDoc, out: FirefoxOutput, thread: JsonObject, at: JsonPath, libs: readonly LibRange[], offsetMs: number): void {
  const { b } = out;
  const name = typeof get(thread, "name") === "string" ? (get(thread, "name") as string) : formatPath(at);
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
    const lineV = cell(doc, framesT.data, f, framesT.cols.line!, ftPath);
    let line = doc.lineNumber(lineV, [...ftPath, "data", f, framesT.cols.line!]);
    let name = location;
    let module = "";
    let file: string | null = null;
    let kind: "unknown" | undefined;
    if (ADDRESS.test(location)) module = libOf(libs, Number.parseInt(location, 16));
    else {
      const js = JS_LOCATION.exec(location);
      if (js) {
        name = js[1] || "(anonymous)";
        module = file = js[2]!;
        line ??= Number(js[3]);
        kind = "unknown"; // JavaScript: neither Rust nor C
      }
    }
    const id = b.frame(out.name(name), module, { file, line, kind });
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

  const tid = out.thread(thread);
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
