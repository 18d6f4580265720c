// Reading, writing and listing experiment records: atomic writes, errors that name the file.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { z } from "zod";
import { formatPath, preview } from "../samples/json-input.js";
import { lineColumn } from "../samples/json-positions.js";
import { experimentRecordSchema, RECORD_SCHEMA, RECORD_VERSION, type ExperimentRecord, type ExperimentStatus } from "./record-schema.js";
import { writeError, writeFileAtomic } from "../fs/atomic.js";
import { mkdirStore } from "../fs/self-ignored.js";
import { storeWriteFix } from "./store.js";

export * from "./record-schema.js";

/** Why a record could not be read or written. */
export type RecordFailure = "io" | "json" | "schema" | "incomplete" | "version";

/**
 * A record file could not be read (or a record could not be written). The message names the
 * file, what is wrong (a JSON line and column, or the failing fields as JSON paths) and the fix.
 *
 * @example
 * try { await readRecord(p); } catch (e) { if (e instanceof ExperimentRecordError && e.failure === "incomplete") … }
 */
export class ExperimentRecordError extends Error {
  override readonly name = "ExperimentRecordError";
  constructor(
    readonly failure: RecordFailure,
    /** The record file. */
    readonly file: string,
    message: string,
    /** For "schema": the failing fields, e.g. ["runs[3].wallMs: expected number, got string"]. */
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Options of {@link readRecord}. */
export interface ReadRecordOptions {
  /** Accept a record whose status is "running" (an experiment killed mid-way). Default: false. */
  allowIncomplete?: boolean;
}

/**
 * The path of an experiment's record: `<root>/experiments/<id>.json`.
 *
 * @example
 * recordPath(".flamebook", "2026-11-25-wordfreq-3f2a"); // "/work/proj/.flamebook/experiments/2026-11-25-wordfreq-3f2a.json"
 */
export function recordPath(storeRoot: string, id: string): string {
  if (!/^[\w.@+-]+$/.test(id) || id.startsWith(".")) {
    throw new Error(`flamebook: '${id}' is not a valid experiment id: use letters, digits and . _ - + @ (no slashes, not starting with a dot).`);
  }
  return join(resolve(storeRoot), "experiments", `${id}.json`);
}

/**
 * Validates a record and writes it as pretty JSON, atomically (temporary file, fsync, rename),
 * so a reader never sees half a record. Throws an {@link ExperimentRecordError} naming the
 * failing fields when the record does not match the schema (a bug in the caller).
 *
 * @example
 * await writeRecord(recordPath(store.root, record.id), record);
 */
export async function writeRecord(path: string, record: ExperimentRecord): Promise<void> {
  const file = resolve(path);
  const parsed = experimentRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues, record);
    throw new ExperimentRecordError(
      "schema",
      file,
      `flamebook: refusing to write an invalid experiment record to ${file}:\n  ${issues.join("\n  ")}\nThis is a bug in the code that built the record.`,
      issues,
    );
  }
  const words = { what: `experiment record ${file}`, fix: storeWriteFix };
  try {
    mkdirStore(dirname(file));
    await writeFileAtomic(file, JSON.stringify(record, null, 2) + "\n", { mkdir: false, mode: 0o644, error: words });
  } catch (e) {
    throw new ExperimentRecordError("io", file, writeError(file, e, words).message);
  }
}

/**
 * Reads and validates an experiment record. Errors ({@link ExperimentRecordError}) name the file
 * and the fix: bad JSON (with line and column), fields that do not match the schema (as JSON
 * paths), a record of a newer flamebook, or one whose experiment never finished ("running",
 * accepted only with `allowIncomplete`).
 *
 * @example
 * const rec = await readRecord(recordPath(".flamebook", id));
 * rec.runs.filter((r) => r.phase === "measured").map((r) => r.wallMs);
 */
export async function readRecord(path: string, opts: ReadRecordOptions = {}): Promise<ExperimentRecord> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "does not exist" : `cannot be read: ${err.message}`;
    throw new ExperimentRecordError("io", file, `flamebook: experiment record ${file} ${why}. Check the path (records live in <store>/experiments/<id>.json).`);
  }
  return parseRecord(text, file, opts);
}

/**
 * Parses and validates the text of a record; `file` is used in error messages only.
 * See {@link readRecord}.
 *
 * @example
 * const rec = parseRecord(await res.text(), "https://example.org/exp.json");
 */
export function parseRecord(text: string, file: string, opts: ReadRecordOptions = {}): ExperimentRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset);
    const truncated = offset >= text.trimEnd().length;
    const lineText = text.split("\n")[line - 1] ?? "";
    const near = lineText.trim().length > 60 ? lineText.slice(Math.max(0, column - 30), column + 30).trim() : lineText.trim();
    const why = truncated
      ? "the file ends in the middle of the JSON (it was cut off)"
      : `unexpected ${JSON.stringify(text[offset])} in '${near}'`;
    throw new ExperimentRecordError(
      "json",
      file,
      `flamebook: experiment record ${file} is not valid JSON at line ${line}, column ${column}: ${why}. ` +
        "The file is damaged (a crash or a hand edit): restore it from a copy, or delete it and re-run the experiment.",
    );
  }
  const head = data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  if (head.schema !== RECORD_SCHEMA) {
    throw new ExperimentRecordError(
      "schema",
      file,
      `flamebook: ${file} is not a flamebook experiment record (its "schema" field is ${JSON.stringify(head.schema) ?? "missing"}, not "${RECORD_SCHEMA}"). Pass the path of a record from <store>/experiments/.`,
    );
  }
  if (typeof head.version === "number" && head.version > RECORD_VERSION) {
    throw new ExperimentRecordError(
      "version",
      file,
      `flamebook: experiment record ${file} has version ${head.version}: it was written by a newer flamebook (this one reads version ${RECORD_VERSION}). Upgrade flamebook to read it.`,
    );
  }
  if (head.status === "running" && !opts.allowIncomplete) {
    throw new ExperimentRecordError(
      "incomplete",
      file,
      `flamebook: experiment record ${file} was not finished (the experiment was killed or is still running); re-run it or load it with { allowIncomplete: true }.`,
    );
  }
  const parsed = experimentRecordSchema.safeParse(data);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues, data);
    const shown = issues.slice(0, 5);
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : "";
    throw new ExperimentRecordError(
      "schema",
      file,
      `flamebook: experiment record ${file} does not match the record schema (version ${RECORD_VERSION}):\n  ${shown.join("\n  ")}${more}\n` +
        "Fix these fields (a hand edit?) or delete the record and re-run the experiment.",
      issues,
    );
  }
  return parsed.data;
}

/**
 * The records under `<root>/experiments/`, newest first, each with its id, status and creation
 * date; files that cannot be read are listed with their error instead of failing the listing.
 *
 * @example
 * for (const r of await listRecords(".flamebook")) console.log(r.id, r.status ?? r.error);
 */
export async function listRecords(storeRoot: string): Promise<RecordListing[]> {
  const dir = join(resolve(storeRoot), "experiments");
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: RecordListing[] = [];
  for (const name of names.filter((n) => n.endsWith(".json") && !n.startsWith(".")).sort()) {
    const path = join(dir, name);
    const id = name.slice(0, -".json".length);
    try {
      const rec = await readRecord(path, { allowIncomplete: true });
      out.push({ id, path, status: rec.status, createdAt: rec.createdAt, variants: Object.keys(rec.variants) });
    } catch (e) {
      out.push({ id, path, error: (e as Error).message });
    }
  }
  return out.sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? "") || a.id.localeCompare(b.id));
}

/** One entry of {@link listRecords}. */
export interface RecordListing {
  id: string;
  path: string;
  status?: ExperimentStatus;
  createdAt?: string;
  variants?: string[];
  /** Why the record could not be read, when it could not. */
  error?: string;
}

/** Turns zod issues into "runs[3].wallMs: expected number, got string" lines. */
function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string[] {
  return issues.map((i) => {
    const path = i.path.length === 0 ? "" : formatPath(i.path.map((k) => (typeof k === "number" ? k : String(k))));
    const got = typeName(valueAt(data, i.path));
    let what: string;
    if (i.code === "invalid_type") what = got === "missing" ? `required ${i.expected}, missing` : `expected ${i.expected}, got ${got}`;
    else if (i.code === "invalid_value") what = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}, got ${preview(valueAt(data, i.path))}`;
    else if (i.code === "unrecognized_keys") what = `unknown keys ${i.keys.join(", ")}`;
    else what = `${i.message}, got ${preview(valueAt(data, i.path))}`;
    return `${path || "(the record)"}: ${what}`;
  });
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * The offset of the first JSON syntax error in `text` (its length when the text ends too early).
 * V8's JSON.parse does not always say where it failed ("Unexpected token '}', … is not valid JSON").
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  class Stop {
    constructor(readonly at: number) {}
  }
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new Stop(i);
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i];
      if (c === '"') return void i++;
      if (c < " ") fail();
      if (c === "\\") {
        i++;
        if (text[i] === "u") {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail();
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail();
      }
      i++;
    }
  };
  // A missing digit fails where the digit was due: `1.` at the end of the text is cut off, not a bad ".".
  const digits = () => {
    const start = i;
    while (i < text.length && text[i]! >= "0" && text[i]! <= "9") i++;
    if (i === start) fail();
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (e) {
    // Anything else (a stack overflow on absurd nesting): point at the start.
    return e instanceof Stop ? Math.min(e.at, text.length) : 0;
  }
}
