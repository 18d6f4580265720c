// Format: JSON (RFC 8259), the container of the Firefox Profiler, speedscope and V8 .cpuprofile
// formats. Shared by their importers: gunzip, decode, parse, and FormatErrors that name the JSON
// path of a bad value (`threads[0].stackTable.frame[17]`) and the line it is on.
import { constants } from "node:buffer";
import { gunzipIfNeeded } from "./gzip.js";
import { FormatError } from "../model/errors.js";

/** A path into a JSON document: object keys and array indices, outermost first. */
export type JsonPath = readonly (string | number)[];

/** A JSON object, after {@link JsonDoc.object} checked it is one. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The largest document read: the longest string V8 can hold. */
const MAX_TEXT = constants.MAX_STRING_LENGTH;

/**
 * A parsed JSON document that can say where a value came from. Importers read `value` as
 * `unknown`, narrow it with the checks below, and report bad values with {@link JsonDoc.fail},
 * which finds the line of the value by re-scanning the text (only when there is an error).
 *
 * @example
 * const doc = readJson(bytes, "speedscope", { fix: "Re-export the profile from speedscope." });
 * const root = doc.object(doc.value, []);
 * const profiles = doc.array(root.profiles, ["profiles"]);
 */
export class JsonDoc {
  readonly value: unknown;
  readonly format: string;
  readonly source: string | undefined;
  /** Says how to get a good file; added to every error. */
  readonly fix: string | undefined;
  private readonly text: string;

  constructor(text: string, value: unknown, format: string, opts: { source?: string; fix?: string } = {}) {
    this.text = text;
    this.value = value;
    this.format = format;
    this.source = opts.source;
    this.fix = opts.fix;
  }

  /**
   * Throws a FormatError: "`path` to be `expected`", got a short preview of `got`, at the line of
   * the value (or of its nearest enclosing value that exists).
   *
   * @example
   * doc.fail(["threads", 0, "stackTable", "frame", 17], "a frame index below 12", 99);
   * // flamebook: firefox line 40: expected threads[0].stackTable.frame[17] to be a frame index below 12, got '99'.
   */
  fail(path: JsonPath, expected: string, got: unknown, fix?: string): never {
    const line = lineAt(this.text, locate(this.text, path));
    throw new FormatError(this.format, line, `${formatPath(path)} to be ${expected}`, preview(got), {
      source: this.source,
      fix: fix ?? this.fix,
    });
  }

  /**
   * The value as a JSON object (not null, not an array), or a FormatError.
   *
   * @example
   * const meta = doc.object(root.meta, ["meta"]);
   */
  object(v: unknown, path: JsonPath, expected = "an object"): JsonObject {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, expected, v);
    return v as JsonObject;
  }

  /**
   * The value as an array, or a FormatError.
   *
   * @example
   * const threads = doc.array(root.threads, ["threads"]);
   */
  array(v: unknown, path: JsonPath, expected = "an array"): readonly unknown[] {
    if (!Array.isArray(v)) this.fail(path, expected, v);
    return v;
  }

  /**
   * The value as a string; `undefined` (a missing key) gives `dflt` when one is passed.
   *
   * @example
   * const name = doc.string(get(thread, "name"), [...at, "name"], "");
   */
  string(v: unknown, path: JsonPath, dflt?: string): string {
    if (typeof v === "string") return v;
    if ((v === undefined || v === null) && dflt !== undefined) return dflt;
    return this.fail(path, "a string", v);
  }

  /**
   * The value as a finite number; `undefined`/`null` give `dflt` when one is passed.
   *
   * @example
   * const start = doc.number(get(meta, "startTime"), ["meta", "startTime"], 0);
   */
  number(v: unknown, path: JsonPath, dflt?: number): number {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if ((v === undefined || v === null) && dflt !== undefined) return dflt;
    return this.fail(path, "a finite number", v);
  }

  /**
   * The value as an index into a table of `length` rows (an integer in [0, length)), or a
   * FormatError that names the table.
   *
   * @example
   * const frame = doc.index(get(row, "frame"), [...at, "frame"], frames.length, "shared.frames");
   */
  index(v: unknown, path: JsonPath, length: number, table: string): number {
    if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < length) return v;
    return this.fail(path, length > 0 ? `an index into ${table} (an integer from 0 to ${length - 1})` : `an index into ${table}, which is empty`, v);
  }
}

/**
 * An own property of a JSON object (never one inherited from Object.prototype).
 *
 * @example
 * get({ a: 1 }, "a"); // 1
 * get({}, "constructor"); // undefined
 */
export function get(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Reads a JSON document from bytes: gunzips them when they start with the gzip magic, decodes
 * UTF-8 (a BOM is skipped) and parses. Not JSON → a FormatError naming the line and column of
 * the first syntax error; too large → a FormatError instead of an out-of-memory crash.
 *
 * @example
 * const doc = readJson(readFileSync("profile.json"), "firefox", { source: "profile.json" });
 */
export function readJson(bytes: Uint8Array, format: string, opts: { source?: string; fix?: string } = {}): JsonDoc {
  const err = (line: number, expected: string, got: string): FormatError => new FormatError(format, line, expected, got, opts);
  let data: Uint8Array;
  try {
    data = gunzipIfNeeded(bytes, format, MAX_TEXT);
  } catch (e) {
    throw e instanceof FormatError && opts.source !== undefined ? e.withSource(opts.source) : e;
  }
  if (data.length > MAX_TEXT) throw err(1, `a JSON document under ${MAX_TEXT} bytes`, `${data.length} bytes`);
  let text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const bad = syntaxError(text) ?? { at: 0, expected: "valid JSON" };
    const { line, column } = lineColumn(text, bad.at);
    const lineEnd = text.indexOf("\n", bad.at);
    const rest = text.slice(bad.at, lineEnd < 0 ? undefined : lineEnd);
    throw err(line, `${bad.expected} at column ${column} (the file is not valid JSON)`, rest === "" ? "the end of the input" : rest.slice(0, 40));
  }
  return new JsonDoc(text, value, format, opts);
}

/**
 * Prints a JSON path the way a JavaScript expression reads it.
 *
 * @example
 * formatPath(["threads", 0, "stackTable", "frame", 17]); // "threads[0].stackTable.frame[17]"
 * formatPath([]);                                        // "the document"
 */
export function formatPath(path: JsonPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === "" ? "the document" : out;
}

/**
 * A short, bounded description of a JSON value for an error message (never the whole value).
 *
 * @example
 * preview("x".repeat(500)); // '"xxxx…' (at most 60 characters)
 * preview([1, 2, 3]);       // "an array of 3 items"
 * preview(undefined);       // "nothing (the key is missing)"
 */
export function preview(v: unknown): string {
  if (v === undefined) return "nothing (the key is missing)";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? v.slice(0, 60) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? "" : "s"}`;
  if (typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.length === 0) return "an empty object";
    const shown = keys.slice(0, 4).map((k) => JSON.stringify(k.length > 20 ? k.slice(0, 20) + "…" : k));
    return `an object with keys ${shown.join(", ")}${keys.length > 4 ? ", …" : ""}`;
  }
  return typeof v;
}

// ---------------------------------------------------------------------------------------------
// Positions. Both scanners are iterative (no recursion), so deeply nested input cannot overflow
// the stack, and linear in the text.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(t: string, i: number): number {
  while (i < t.length && WS.has(t.charCodeAt(i))) i++;
  return i;
}

/** End of the string literal starting at `i` (a '"'), or -1 when it is not closed. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x5c) j++;
  }
  return -1;
}

/** End of the (valid) JSON value starting at `i`. */
function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 0x22) return stringEnd(t, i);
  if (c !== 0x7b && c !== 0x5b) {
    let j = i;
    while (j < t.length && !WS.has(t.charCodeAt(j)) && !",]}".includes(t[j]!)) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    const d = t.charCodeAt(j);
    if (d === 0x22) j = stringEnd(t, j) - 1;
    else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
  }
  return t.length;
}

/**
 * The offset of the value at `path` in valid JSON text; where the path leaves the document (a
 * missing key, an index past the end), the offset of the deepest value that exists.
 */
function locate(t: string, path: JsonPath): number {
  let at = skipWs(t, 0);
  for (const seg of path) {
    const c = t.charCodeAt(at);
    if (typeof seg === "number" && c === 0x5b) {
      let i = skipWs(t, at + 1);
      if (t.charCodeAt(i) === 0x5d) return at;
      for (let k = 0; k < seg; k++) {
        i = skipWs(t, valueEnd(t, i));
        if (t.charCodeAt(i) !== 0x2c) return at;
        i = skipWs(t, i + 1);
      }
      at = i;
    } else if (typeof seg === "string" && c === 0x7b) {
      // JSON.parse keeps the last of duplicate keys, so the last match wins here too
      let i = skipWs(t, at + 1);
      let found = -1;
      while (t.charCodeAt(i) === 0x22) {
        const end = stringEnd(t, i);
        if (end < 0) break;
        const key = t.slice(i, end);
        i = skipWs(t, skipWs(t, end) + 1); // past ':'
        if ((key.includes("\\") ? (JSON.parse(key) as string) : key.slice(1, -1)) === seg) found = i;
        i = skipWs(t, valueEnd(t, i));
        if (t.charCodeAt(i) !== 0x2c) break;
        i = skipWs(t, i + 1);
      }
      if (found < 0) return at;
      at = found;
    } else return at;
  }
  return at;
}

function lineAt(t: string, offset: number): number {
  let line = 1;
  for (let i = t.indexOf("\n"); i !== -1 && i < offset; i = t.indexOf("\n", i + 1)) line++;
  return line;
}

function lineColumn(t: string, offset: number): { line: number; column: number } {
  const line = lineAt(t, offset);
  return { line, column: offset - (t.lastIndexOf("\n", offset - 1) + 1) + 1 };
}

type Want = "value" | "value-or-end" | "key" | "key-or-end" | "colon" | "comma-or-end" | "eof";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The first syntax error in `t`, as the offset and what was expected there; null when `t` is
 * valid JSON. Used only after JSON.parse failed, because V8's messages do not always say where.
 */
function syntaxError(t: string): { at: number; expected: string } | null {
  const stack: number[] = []; // 0x7b for an object, 0x5b for an array
  let want: Want = "value";
  let i = 0;
  const afterValue = (): Want => (stack.length > 0 ? "comma-or-end" : "eof");
  for (;;) {
    i = skipWs(t, i);
    if (i >= t.length) {
      if (want === "eof") return null;
      return { at: i, expected: `${describeWant(want, stack.at(-1))} (the input ends early: is the file truncated?)` };
    }
    const c = t.charCodeAt(i);
    switch (want) {
      case "eof":
        return { at: i, expected: "the end of the document after the top-level value" };
      case "colon":
        if (c !== 0x3a) return { at: i, expected: "':' after a property name" };
        i++;
        want = "value";
        break;
      case "comma-or-end": {
        const top = stack.at(-1)!;
        if (c === 0x2c) {
          i++;
          want = top === 0x7b ? "key" : "value";
        } else if ((top === 0x7b && c === 0x7d) || (top === 0x5b && c === 0x5d)) {
          stack.pop();
          i++;
          want = afterValue();
        } else return { at: i, expected: describeWant(want, top) };
        break;
      }
      case "key":
      case "key-or-end":
        if (c === 0x7d && want === "key-or-end") {
          stack.pop();
          i++;
          want = afterValue();
        } else if (c === 0x22) {
          const bad = badString(t, i);
          if (typeof bad !== "number") return bad;
          i = bad;
          want = "colon";
        } else return { at: i, expected: describeWant(want, 0x7b) };
        break;
      case "value":
      case "value-or-end":
        if (c === 0x5d && want === "value-or-end") {
          stack.pop();
          i++;
          want = afterValue();
        } else if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          i++;
          want = c === 0x7b ? "key-or-end" : "value-or-end";
        } else if (c === 0x22) {
          const bad = badString(t, i);
          if (typeof bad !== "number") return bad;
          i = bad;
          want = afterValue();
        } else {
          NUMBER.lastIndex = i;
          const lit = t.startsWith("true", i) ? 4 : t.startsWith("false", i) ? 5 : t.startsWith("null", i) ? 4 : 0;
          if (lit > 0) i += lit;
          else if (NUMBER.test(t)) i = NUMBER.lastIndex;
          else return { at: i, expected: describeWant(want, stack.at(-1)) };
          want = afterValue();
        }
        break;
    }
  }
}

/** The end of a valid string literal at `i`, or the error in it. */
function badString(t: string, i: number): number | { at: number; expected: string } {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { at: j, expected: "a string without raw control characters (use \\n, \\t, …)" };
    if (c === 0x5c) {
      const e = t[j + 1];
      if (e === "u") {
        if (!HEX4.test(t.slice(j + 2, j + 6))) return { at: j, expected: "a \\u escape with four hex digits" };
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else return { at: j, expected: "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" };
    }
  }
  return { at: t.length, expected: "a closing '\"' (the input ends inside a string: is the file truncated?)" };
}

function describeWant(want: Want, top: number | undefined): string {
  switch (want) {
    case "value":
      return "a JSON value";
    case "value-or-end":
      return "a JSON value or ']'";
    case "key":
      return "a property name in double quotes";
    case "key-or-end":
      return "a property name in double quotes or '}'";
    case "colon":
      return "':'";
    case "comma-or-end":
      return top === 0x7b ? "',' or '}' after a property value" : "',' or ']' after an array element";
    case "eof":
      return "the end of the document";
  }
}
