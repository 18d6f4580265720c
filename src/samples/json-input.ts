// Format: JSON (RFC 8259), the container of the Firefox Profiler, speedscope and V8 .cpuprofile
// formats. Shared by their importers: gunzip, decode, parse, and FormatErrors that name the JSON
// path of a bad value (`threads[0].stackTable.frame[17]`) and the line it is on.
import { constants } from "node:buffer";
import { gunzipIfNeeded } from "./gzip.js";
import { lineAt, lineColumn, locate, syntaxError } from "./json-positions.js";
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
  /** For a document parsed from a JSON string inside another: that document and the string's path. */
  private readonly outer: { doc: JsonDoc; path: JsonPath } | undefined;

  constructor(text: string, value: unknown, format: string, opts: { source?: string; fix?: string; outer?: { doc: JsonDoc; path: JsonPath } } = {}) {
    this.text = text;
    this.value = value;
    this.format = format;
    this.source = opts.source;
    this.fix = opts.fix;
    this.outer = opts.outer;
  }

  /**
   * The same document with another fix line on its errors (e.g. one naming the format version).
   *
   * @example
   * const v70 = doc.withFix(`Read as processed profile version 70. ${FIX}`);
   */
  withFix(fix: string): JsonDoc {
    return new JsonDoc(this.text, this.value, this.format, { source: this.source, fix, outer: this.outer });
  }

  /**
   * The document in the JSON string at `path` (old Firefox gecko profiles store libs and
   * subprocess profiles as JSON text). Its errors are reported at the line of that string and
   * name both paths: "threads[1] (JSON text) → threads[0].samples". Text that is not JSON is a
   * FormatError naming the character where it goes wrong.
   *
   * @example
   * const child = doc.embedded(threads[1], ["threads", 1], "a subprocess profile");
   * readGecko(child, child.object(child.value, []), out);
   */
  embedded(v: unknown, path: JsonPath, what: string): JsonDoc {
    if (typeof v !== "string") return this.fail(path, `${what} (JSON text)`, v);
    if (v.length > MAX_TEXT) return this.fail(path, `${what} as JSON text under ${MAX_TEXT} characters`, `${v.length} characters`);
    let value: unknown;
    try {
      value = JSON.parse(v);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      const bad = syntaxError(v) ?? { at: 0, expected: "valid JSON" };
      return this.fail(path, `${what} as valid JSON text (at character ${bad.at + 1} it needs ${bad.expected})`, bad.at < v.length ? v.slice(bad.at, bad.at + 40) : v.slice(-40));
    }
    return new JsonDoc(v, value, this.format, { source: this.source, fix: this.fix, outer: { doc: this, path } });
  }

  /** The line of the value at `path`, and how the path is written in errors. */
  private where(path: JsonPath): { line: number; name: string } {
    if (this.outer === undefined) return { line: lineAt(this.text, locate(this.text, path)), name: formatPath(path) };
    const up = this.outer.doc.where(this.outer.path);
    return { line: up.line, name: `${up.name} (JSON text) → ${formatPath(path)}` };
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
    const { line, name } = this.where(path);
    throw new FormatError(this.format, line, `${name} to be ${expected}`, preview(got), {
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
   * A source line number (or a count such as an inline depth): null when absent or null,
   * else a non-negative integer, else a FormatError.
   *
   * @example
   * const line = doc.lineNumber(get(frame, "line"), [...at, "line"]); // 12 or null
   */
  lineNumber(v: unknown, path: JsonPath): number | null {
    if (v === undefined || v === null) return null;
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
    return this.fail(path, "a line number (a non-negative integer) or null", v);
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
 * `v` when it is a JSON object (not null, not an array), else undefined.
 *
 * @example
 * asJsonObject({ a: 1 }); // { a: 1 }
 * asJsonObject([1]); // undefined
 */
export function asJsonObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;
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
