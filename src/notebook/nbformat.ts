/**
 * The Jupyter notebook format (nbformat 4) as flamebook reads and writes it: cells with their
 * source joined into one string, outputs as the JSON objects nbformat defines. Reading validates
 * the parts flamebook relies on and names the file and line of anything else.
 */
import { readFile } from "node:fs/promises";
import { get, readJson, type JsonDoc, type JsonObject as ReadonlyJson } from "../samples/json-input.js";

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** A stream output (stdout/stderr text). */
export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
/** A rich output: `display_data` or a cell's `execute_result`. */
export interface DisplayOutput {
  output_type: "display_data" | "execute_result";
  data: JsonObject;
  metadata: JsonObject;
  execution_count?: number | null;
}
/** A failed cell's error. */
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
/** One output of a code cell. */
export type Output = StreamOutput | DisplayOutput | ErrorOutput;

/** A notebook cell; `source` is one string (nbformat allows a list of lines; they are joined). */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string;
  metadata: JsonObject;
  /** Code cells only. */
  outputs?: Output[];
  /** Code cells only. */
  execution_count?: number | null;
  /** Markdown and raw cells may carry attachments; kept as read. */
  attachments?: JsonObject;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

/** The deepest nesting of a notebook's JSON read: Python's json (Jupyter's reader) stops near 1000 levels. */
const MAX_DEPTH = 1000;

/**
 * The path (its first 12 keys: enough to find it, short enough to print) of the first value
 * nested deeper than `limit` (arrays and objects count as levels), or null. Iterative, so any
 * depth JSON.parse accepts is fine; paths are built only for the answer.
 */
function deeperThan(root: unknown, limit: number): (string | number)[] | null {
  interface Node { v: unknown; key: string | number; parent: Node | null; depth: number }
  const stack: Node[] = [{ v: root, key: "", parent: null, depth: 0 }];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.v === null || typeof n.v !== "object") continue;
    if (n.depth >= limit) {
      const path: (string | number)[] = [];
      for (let p: Node | null = n; p !== null && p.parent !== null; p = p.parent) path.push(p.key);
      return path.reverse().slice(0, 12);
    }
    if (Array.isArray(n.v)) n.v.forEach((x, i) => stack.push({ v: x, key: i, parent: n, depth: n.depth + 1 }));
    else for (const [k, x] of Object.entries(n.v)) stack.push({ v: x, key: k, parent: n, depth: n.depth + 1 });
  }
  return null;
}

const FIX = "Open it in Jupyter and save it again, or check that it is an .ipynb file (nbformat 4).";

/** Multiline strings: nbformat stores them as a string or a list of lines. */
function multiline(doc: JsonDoc, v: unknown, path: (string | number)[]): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join("");
  return doc.fail(path, "a string or a list of strings", v);
}

/** Sets an own key; defined, not assigned: a "__proto__" key would otherwise be dropped (or set the prototype). */
function setOwn(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function output(doc: JsonDoc, v: unknown, path: (string | number)[]): Output {
  const o = doc.object(v, path, "an output object");
  const type = get(o, "output_type");
  switch (type) {
    case "stream": {
      const name = get(o, "name");
      if (name !== "stdout" && name !== "stderr") doc.fail([...path, "name"], `"stdout" or "stderr"`, name);
      return { output_type: "stream", name, text: multiline(doc, get(o, "text"), [...path, "text"]) };
    }
    case "display_data":
    case "execute_result": {
      const data = doc.object(get(o, "data"), [...path, "data"]);
      const out: JsonObject = {};
      for (const [mime, value] of Object.entries(data)) {
        // Text types may be split into lines; JSON types (…json, …+json) are kept as they are.
        setOwn(out, mime, /json$/.test(mime) ? (value as JsonValue) : multiline(doc, value, [...path, "data", mime]));
      }
      const metadata = get(o, "metadata") === undefined ? {} : (doc.object(get(o, "metadata"), [...path, "metadata"]) as JsonObject);
      const d: DisplayOutput = { output_type: type, data: out, metadata };
      if (type === "execute_result") {
        const n = get(o, "execution_count");
        d.execution_count = n === null || n === undefined ? null : doc.number(n, [...path, "execution_count"]);
      }
      return d;
    }
    case "error": {
      const tb = get(o, "traceback");
      return {
        output_type: "error",
        ename: doc.string(get(o, "ename"), [...path, "ename"], ""),
        evalue: doc.string(get(o, "evalue"), [...path, "evalue"], ""),
        traceback: Array.isArray(tb) ? tb.map((l, i) => doc.string(l, [...path, "traceback", i])) : [],
      };
    }
    default:
      return doc.fail([...path, "output_type"], `one of "stream", "display_data", "execute_result", "error"`, type);
  }
}

function cell(doc: JsonDoc, v: unknown, i: number): Cell {
  const path = ["cells", i];
  const c = doc.object(v, path, "a cell object");
  const type = get(c, "cell_type");
  if (type !== "code" && type !== "markdown" && type !== "raw") doc.fail([...path, "cell_type"], `"code", "markdown" or "raw"`, type);
  const metadata = get(c, "metadata") === undefined ? {} : (doc.object(get(c, "metadata"), [...path, "metadata"]) as JsonObject);
  const out: Cell = { cell_type: type, source: multiline(doc, get(c, "source"), [...path, "source"]), metadata };
  const id = get(c, "id");
  if (id !== undefined) out.id = doc.string(id, [...path, "id"]);
  if (type === "code") {
    const outputs = get(c, "outputs");
    out.outputs = outputs === undefined ? [] : doc.array(outputs, [...path, "outputs"]).map((o, j) => output(doc, o, [...path, "outputs", j]));
    const n = get(c, "execution_count");
    out.execution_count = n === undefined || n === null ? null : doc.number(n, [...path, "execution_count"]);
  } else if (get(c, "attachments") !== undefined) {
    out.attachments = doc.object(get(c, "attachments"), [...path, "attachments"]) as JsonObject;
  }
  return out;
}

/**
 * Parses an nbformat 4 notebook. Anything else (not JSON, nbformat 3, a cell without source…)
 * throws a FormatError naming `source`, the line and the fix.
 *
 * @example
 * const nb = parseNotebook(readFileSync("clone-in-loop.ipynb"), "clone-in-loop.ipynb");
 * nb.cells.filter((c) => c.cell_type === "code").length; // 14
 */
export function parseNotebook(bytes: Uint8Array, source: string): Notebook {
  const doc = readJson(bytes, "notebook", { source, fix: FIX });
  const deep = deeperThan(doc.value, MAX_DEPTH);
  if (deep !== null) doc.fail(deep, `nested at most ${MAX_DEPTH} levels deep (Jupyter's own JSON reader stops near there, and writing it back would overflow the stack)`, `a value nested more than ${MAX_DEPTH} levels deep`);
  const root = doc.object(doc.value, [], "a notebook object") as ReadonlyJson;
  const major = get(root, "nbformat");
  if (major !== 4) doc.fail(["nbformat"], "4 (flamebook reads nbformat 4 notebooks; convert older ones with `jupyter nbconvert --to notebook`)", major);
  const metadata = get(root, "metadata") === undefined ? {} : (doc.object(get(root, "metadata"), ["metadata"]) as JsonObject);
  const cells = doc.array(get(root, "cells"), ["cells"]).map((c, i) => cell(doc, c, i));
  return { nbformat: 4, nbformat_minor: doc.number(get(root, "nbformat_minor"), ["nbformat_minor"], 5), metadata, cells };
}

/**
 * Reads and parses a notebook file (see {@link parseNotebook}); a missing file says so by name.
 *
 * @example
 * const nb = await readNotebook("notebooks/clone-in-loop.ipynb");
 */
export async function readNotebook(path: string): Promise<Notebook> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`flamebook: cannot read the notebook ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}.`);
  }
  return parseNotebook(bytes, path);
}

/** The source lines of a multiline string as nbformat writes them (each but the last keeps its "\n"). */
function lines(text: string): string[] {
  if (text === "") return [];
  const out = text.split(/(?<=\n)/);
  return out;
}

function outputJson(o: Output): JsonObject {
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name, text: lines(o.text) };
    case "error":
      return { output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
    default: {
      const data: JsonObject = {};
      for (const [mime, v] of Object.entries(o.data)) setOwn(data, mime, typeof v === "string" && !/json$/.test(mime) ? lines(v) : v);
      const out: JsonObject = { output_type: o.output_type, data, metadata: o.metadata };
      if (o.output_type === "execute_result") out.execution_count = o.execution_count ?? null;
      return out;
    }
  }
}

/**
 * The notebook as nbformat JSON text (one-space indent and sorted top-level keys, as Jupyter
 * writes it, so saved notebooks diff cleanly).
 *
 * @example
 * writeFileSync("out.ipynb", notebookJson(nb));
 */
export function notebookJson(nb: Notebook): string {
  const cells = nb.cells.map((c) => {
    const o: JsonObject = { cell_type: c.cell_type };
    if (c.id !== undefined) o.id = c.id;
    o.metadata = c.metadata;
    if (c.cell_type === "code") {
      o.execution_count = c.execution_count ?? null;
      o.outputs = (c.outputs ?? []).map(outputJson);
    } else if (c.attachments) o.attachments = c.attachments;
    o.source = lines(c.source);
    return o;
  });
  return `${JSON.stringify({ cells, metadata: nb.metadata, nbformat: 4, nbformat_minor: nb.nbformat_minor }, null, 1)}\n`;
}
