// The fuzz set's runner and its structure-aware inputs: mutations of valid files (truncation,
// byte flips, garbage lines, huge numbers, NUL/bidi/surrogate characters, CRLF, deep nesting,
// gzip of garbage). Every target runs FUZZ_RUNS inputs (default 100k), never stops at the first
// failure (it counts them), times every input, and prints one line per target:
//   # perf-script: 100000 inputs, 0 failures, 41.2 s (valid 31000, errors 69000, slowest 12 ms)
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { assertValid } from "../helpers/valid-profile.js";
import { FUZZ_SEED } from "../helpers/json-fuzz.js";

/** Inputs per target: FUZZ_RUNS, default 100 000. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100_000);
/** The per-input time budget in ms (FUZZ_BUDGET_MS, default 1000): an input slower three times in a row is a hang. */
export const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 1000);
export { FUZZ_SEED };

/** What one input did: a valid result, or an error of an allowed kind naming a position. */
export type Outcome = "valid" | "error";

/** One failure: the input (shortened for printing) and what went wrong. */
export interface Failure {
  input: string;
  problem: string;
}

/** The counts a fuzz run prints and returns. */
export interface FuzzStats {
  name: string;
  runs: number;
  valid: number;
  errors: number;
  failures: Failure[];
  seconds: number;
  slowestMs: number;
  /** The slowest input, shortened (see show). */
  slowestInput?: string;
}

/** A fuzz target: its inputs, the check of one input, a seed, and how common each outcome must be. */
export interface FuzzTarget<T = unknown> {
  inputs: fc.Arbitrary<T>;
  check: (input: T) => Outcome | Promise<Outcome>;
  seed: number;
  /** Both outcomes (valid, error) must each be at least this share of the inputs. Default: none. */
  minShare?: number;
}

/**
 * Shows an input briefly: strings and bytes as JSON with at most `max` characters.
 *
 * @example
 * show(Buffer.from("main;a 1")); // 'bytes "main;a 1" (8 bytes)'
 */
export function show(input: unknown, max = 300): string {
  let s: string;
  if (input instanceof Uint8Array) s = `bytes ${JSON.stringify(Buffer.from(input).toString("latin1").slice(0, max))} (${input.length} bytes)`;
  else if (typeof input === "string") s = `${JSON.stringify(input.slice(0, max))} (${input.length} chars)`;
  else {
    try {
      s = JSON.stringify(input, (_k, v: unknown) => (typeof v === "string" && v.length > max ? `${v.slice(0, max)}…(${v.length} chars)` : v)) ?? String(input);
    } catch {
      s = String(input);
    }
  }
  return s.length > max + 40 ? `${s.slice(0, max + 40)}…` : s;
}

/**
 * The inputs of a target, in order: the same seed gives the same inputs.
 *
 * @example
 * const it = inputStream(target.inputs, 10100); const first = it.next().value;
 */
export function inputStream<T>(inputs: fc.Arbitrary<T>, seed: number): Iterator<T> {
  return fc.sample(fc.infiniteStream(inputs), { numRuns: 1, seed })[0]![Symbol.iterator]();
}

/**
 * The `index`-th input (0-based) of a target's stream for `seed`: replays an input a run
 * reported (a hang names its seed and index).
 *
 * @example
 * const input = inputAt(target.inputs, 101, 4711);
 */
export function inputAt<T>(inputs: fc.Arbitrary<T>, seed: number, index: number): T {
  const it = inputStream(inputs, seed);
  for (let i = 0; i < index; i++) it.next();
  return it.next().value as T;
}

/**
 * Runs `check` on `runs` inputs of the target, counting outcomes, timing each, and collecting
 * failures (a thrown error, or an input slower than {@link BUDGET_MS}) instead of stopping at
 * the first. `onInput(i)` is called before input i (a watchdog's progress mark).
 *
 * @example
 * const stats = await runLoop("folded", target, 1000, target.seed);
 */
export async function runLoop<T>(name: string, target: FuzzTarget<T>, runs: number, seed: number, onInput?: (i: number) => void): Promise<FuzzStats> {
  const stats: FuzzStats = { name, runs: 0, valid: 0, errors: 0, failures: [], seconds: 0, slowestMs: 0 };
  const t0 = performance.now();
  const dumped: { input: T; problem: string }[] = [];
  const fail = (input: T, problem: string): void => {
    if (stats.failures.length < 20) stats.failures.push({ input: show(input), problem });
    if (process.env.FUZZ_DUMP && dumped.length < 200) dumped.push({ input, problem });
  };
  const it = inputStream(target.inputs, seed);
  for (let i = 0; i < runs; i++) {
    const input = it.next().value as T;
    onInput?.(i);
    const start = performance.now();
    try {
      const r = target.check(input);
      const outcome = r instanceof Promise ? await r : r;
      if (outcome === "valid") stats.valid++;
      else stats.errors++;
    } catch (e) {
      const err = e as Error;
      fail(input, `${err?.name}: ${String(err?.message).slice(0, 400)}\n${String(err?.stack ?? "").split("\n").slice(1, 6).join("\n")}`);
    }
    let ms = performance.now() - start;
    // a pause of the machine (GC, other jobs) is not a slow parser: a slow input is timed twice more, the fastest counts
    for (let retry = 0; retry < 2 && ms > BUDGET_MS; retry++) {
      const again = performance.now();
      try {
        const r = target.check(input);
        if (r instanceof Promise) await r;
      } catch {
        // counted above
      }
      ms = Math.min(ms, performance.now() - again);
    }
    stats.runs++;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      if (ms > BUDGET_MS / 4) stats.slowestInput = show(input, 120);
    }
    if (ms > BUDGET_MS) fail(input, `took ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms; input ${i} of seed ${seed})`);
  }
  stats.seconds = (performance.now() - t0) / 1000;
  if (process.env.FUZZ_DUMP && dumped.length > 0) {
    // for debugging: failing inputs in full (FUZZ_DUMP=dir)
    mkdirSync(process.env.FUZZ_DUMP, { recursive: true });
    const ser = (v: unknown) => (v instanceof Uint8Array ? { base64: Buffer.from(v).toString("base64") } : v);
    writeFileSync(`${process.env.FUZZ_DUMP}/${name}-${seed}.json`, JSON.stringify(dumped.map((d) => ({ input: ser(d.input), problem: d.problem })), null, 1));
  }
  return stats;
}

/**
 * Prints `# name: N inputs, F failures, T s (…)` and fails when F > 0 (showing the first
 * failures and their seeds) or when one outcome is rarer than `minShare`.
 *
 * @example
 * report(stats, { minShare: 0.01 });
 */
export function report(stats: FuzzStats, opts: { minShare?: number; workers?: number } = {}): void {
  console.log(
    `${stats.name}: ${stats.runs} inputs, ${stats.failures.length} failures, ${stats.seconds.toFixed(1)} s ` +
      `(valid ${stats.valid}, errors ${stats.errors}, slowest ${stats.slowestMs.toFixed(0)} ms${opts.workers && opts.workers > 1 ? `, ${opts.workers} workers` : ""})`,
  );
  if (stats.slowestInput !== undefined && process.env.FUZZ_SHOW_SLOWEST) console.log(`${stats.name}: slowest input (${stats.slowestMs.toFixed(0)} ms): ${stats.slowestInput}`);
  if (stats.failures.length > 0) {
    const shown = stats.failures.slice(0, 5).map((f, i) => `  ${i + 1}. input ${f.input}\n     ${f.problem.replace(/\n/g, "\n     ")}`);
    assert.fail(`${stats.name}: ${stats.failures.length} of ${stats.runs} inputs failed:\n${shown.join("\n")}`);
  }
  if (opts.minShare !== undefined) {
    const minEach = Math.ceil(opts.minShare * stats.runs);
    assert.ok(stats.valid >= minEach && stats.errors >= minEach, `${stats.name}: both outcomes should be common: valid ${stats.valid}, errors ${stats.errors}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

/**
 * A FormatError that names `format` and a position: a line ≥ 1 in the message, plus (for JSON
 * formats) a JSON path, or (for binary pprof) a byte offset or the message it is in. Anything
 * else (TypeError, RangeError, a stack overflow, a FormatError without a position) throws.
 *
 * @example
 * try { parse(x); } catch (e) { assertPositionedError(e, "folded"); }
 */
export function assertPositionedError(e: unknown, format: string | RegExp): void {
  if (!(e instanceof FormatError)) throw e;
  const fmt = typeof format === "string" ? format : e.format;
  if (typeof format !== "string") assert.match(e.format, format, e.message);
  assert.ok(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}: ${e.message}`);
  assert.ok(e.message.startsWith(`flamebook: `) && e.message.includes(`${fmt} line ${e.line}: expected `), e.message);
}

/**
 * `run`'s result is a valid profile ("valid") or it throws a positioned FormatError ("error").
 *
 * @example
 * profileOrError(() => cpuprofile.decode(bytes), "cpuprofile");
 */
export function profileOrError(run: () => Profile, format: string | RegExp): Outcome {
  let p: Profile;
  try {
    p = run();
  } catch (e) {
    assertPositionedError(e, format);
    return "error";
  }
  assertValid(p, { emptyStacks: true });
  return "valid";
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Characters that break naive parsers: NUL, bidi overrides, lone surrogates, BOMs, separators. */
export const NASTY_CHARS = ["\u0000", "\u202e", "\u202d", "\u2066", "\u2069", "\ud800", "\udfff", "\ufeff", "\ufffd", "\u2028", "\r", "\t", "\u0085", "\u00a0", "\u{1f525}", "\\", '"', ";", "(", ")", "[", "]", "{", "}", ":", "=", "+0x", " "];
/** Numbers that break naive parsers. */
export const NASTY_NUMBERS = ["-1", "0", "-0", "1e308", "1e309", "-1e308", "NaN", "Infinity", "9007199254740993", "18446744073709551616", "4294967296", "2147483648", "0x", "0xffffffffffffffffff", "9".repeat(400), "1.5", ".5", "1e-400", "00"];

/**
 * Strings of any code points, lone surrogates included (built from code points: fc.string's
 * "binary" unit costs seconds to set up per process).
 *
 * @example
 * fc.sample(anyString(8), 1)[0]; // e.g. "\u{10ffff}a\ud800"
 */
export function anyString(maxLength: number, minLength = 0): fc.Arbitrary<string> {
  const cp = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0, max: 0x10ffff }), fc.integer({ min: 0, max: 0x1f }));
  return fc.array(cp, { minLength, maxLength }).map((cps) => String.fromCodePoint(...cps));
}

const nastyChar = fc.constantFrom(...NASTY_CHARS);
const garbage = fc.oneof(
  fc.string({ maxLength: 12 }),
  anyString(12),
  fc.array(nastyChar, { minLength: 1, maxLength: 6 }).map((a) => a.join("")),
  fc.constantFrom(...NASTY_NUMBERS),
);

/** One edit of a text file, by line. */
const textOp = fc.oneof(
  fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), ch: fc.oneof(nastyChar, anyString(1, 1)) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: garbage }),
  fc.record({ op: fc.constant("line" as const), at: fc.nat(), text: garbage }),
  fc.record({ op: fc.constant("drop" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant("dup" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant("number" as const), at: fc.nat(), num: fc.constantFrom(...NASTY_NUMBERS) }),
  fc.record({ op: fc.constant("crlf" as const) }),
  fc.record({ op: fc.constant("long" as const), at: fc.nat(), n: fc.constantFrom(300, 1000, 1000, 1000, 1000, 1000, 1000, 70_000) }),
);
type TextOp = typeof textOp extends fc.Arbitrary<infer U> ? U : never;

/**
 * Applies one line-level edit (see textOp) to a text.
 *
 * @example
 * applyTextOp("a\nb\n", { op: "drop", at: 0, n: 1 }); // "b\n"
 */
export function applyTextOp(text: string, o: TextOp): string {
  const lines = text.split("\n");
  const li = lines.length > 0 ? ("at" in o ? o.at : 0) % lines.length : 0;
  switch (o.op) {
    case "cut":
      return text.slice(0, o.at % (text.length + 1));
    case "flip": {
      const i = o.at % (text.length + 1);
      return text.slice(0, i) + o.ch + text.slice(i + 1);
    }
    case "insert": {
      const i = o.at % (text.length + 1);
      return text.slice(0, i) + o.text + text.slice(i);
    }
    case "line":
      lines.splice(li, 0, o.text);
      return lines.join("\n");
    case "drop":
      lines.splice(li, o.n);
      return lines.join("\n");
    case "dup":
      lines.splice(li, 0, ...lines.slice(li, li + o.n));
      return lines.join("\n");
    case "swap": {
      const j = o.to % lines.length;
      [lines[li], lines[j]] = [lines[j]!, lines[li]!];
      return lines.join("\n");
    }
    case "number": {
      // the k-th number in the text becomes a nasty one
      const nums = [...text.matchAll(/\d+(\.\d+)?/g)];
      if (nums.length === 0) return text;
      const m = nums[o.at % nums.length]!;
      return text.slice(0, m.index) + o.num + text.slice(m.index! + m[0].length);
    }
    case "crlf":
      return text.replace(/\n/g, "\r\n");
    case "long": {
      // a very long name: repeat a character of the line
      const line = lines[li] ?? "";
      const at = line.length > 0 ? o.at % line.length : 0;
      lines[li] = line.slice(0, at) + (line[at] ?? "x").repeat(o.n) + line.slice(at);
      return lines.join("\n");
    }
  }
}

/**
 * Mutated text files: a base (whole, or a window of its lines) with 1–4 edits from
 * {@link applyTextOp}; sometimes random lines and strings instead. `window`: the largest number
 * of lines taken from a base. Default: 40.
 *
 * @example
 * const inputs = textInputs([readFileSync("perf.txt", "utf8")], { window: 60 });
 */
export function textInputs(bases: readonly string[], opts: { window?: number } = {}): fc.Arbitrary<string> {
  const split = bases.map((b) => b.split("\n"));
  const win = opts.window ?? 40;
  const mutated = fc
    .record({ base: fc.nat(bases.length - 1), from: fc.nat(), n: fc.integer({ min: 1, max: win }), ops: fc.array(textOp, { minLength: 1, maxLength: 4 }) })
    .map(({ base, from, n, ops }) => {
      const lines = split[base]!;
      // a third whole (files checked for completeness), a third from the start (keeps the header), a third a window
      const start = from % 3 !== 2 || lines.length <= n ? 0 : from % (lines.length - n + 1);
      const text = from % 3 === 1 ? bases[base]! : lines.slice(start, start + n).join("\n") + "\n";
      return ops.reduce(applyTextOp, text);
    });
  const lineSoup = fc
    .array(fc.oneof(garbage, fc.nat(bases.length - 1).chain((b) => fc.constantFrom(...split[b]!.slice(0, 200)))), { maxLength: 30 })
    .map((ls) => ls.join("\n"));
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 2, arbitrary: lineSoup }, { weight: 1, arbitrary: anyString(200) });
}

/**
 * Bytes of mutated text, sometimes re-encoded (UTF-16 with or without BOM, a UTF-8 BOM), gzipped,
 * gzipped and cut, or gzip magic followed by garbage.
 *
 * @example
 * const inputs = encodedInputs(textInputs(bases));
 */
export function encodedInputs(text: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return fc
    .record({ text, enc: fc.constantFrom("utf8", "utf8", "utf8", "utf8", "utf8", "bom8", "utf16le", "bom16le", "bom16be", "gzip", "gzip-cut", "gzip-garbage"), cut: fc.nat() })
    .map(({ text, enc, cut }) => {
      const u8 = Buffer.from(text, "utf8");
      switch (enc) {
        case "bom8":
          return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), u8]);
        case "utf16le":
          return Buffer.from(text, "utf16le");
        case "bom16le":
          return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
        case "bom16be":
          return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
        case "gzip":
          return gzipSync(u8);
        case "gzip-cut": {
          const z = gzipSync(u8);
          return z.subarray(0, cut % z.length);
        }
        case "gzip-garbage":
          return Buffer.concat([Buffer.from([0x1f, 0x8b]), u8.subarray(0, 64)]);
        default:
          return u8;
      }
    });
}

/**
 * Mutated binary files: byte flips, inserted random bytes, cuts, and the result gzipped (or a cut
 * gzip of it) some of the time.
 *
 * @example
 * const inputs = byteInputs([readFileSync("cpu.pb")]);
 */
export function byteInputs(bases: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const op = fc.oneof(
    fc.record({ op: fc.constant("flip" as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constant("insert" as const), at: fc.nat(), v: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
    fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
    fc.record({ op: fc.constant("varint" as const), at: fc.nat() }),
  );
  const mutated = fc
    .record({ base: fc.nat(bases.length - 1), ops: fc.array(op, { minLength: 1, maxLength: 5 }), zip: fc.constantFrom("no", "no", "no", "no", "no", "no", "gzip", "gzip-cut"), cut: fc.nat() })
    .map(({ base, ops, zip, cut }) => {
      let b = Buffer.from(bases[base]!);
      for (const o of ops) {
        const at = o.at % (b.length + 1);
        if (o.op === "flip" && b.length > 0) b[at % b.length] = o.v;
        else if (o.op === "insert") b = Buffer.concat([b.subarray(0, at), o.v, b.subarray(at)]);
        else if (o.op === "cut") b = b.subarray(0, at);
        // a huge varint (2^64-1) where a byte was
        else if (o.op === "varint") b = Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), b.subarray(at + 1)]);
      }
      if (zip === "no") return b;
      const z = gzipSync(b);
      return zip === "gzip" ? z : z.subarray(0, cut % z.length);
    });
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])) });
}

/**
 * Deeply nested JSON (arrays or objects, 200–5k levels; the nasty corpus has 100k), closed or not, optionally inside a
 * key a format reads (`{"profiles": [[[…`).
 *
 * @example
 * const inputs = fc.oneof(jsonTextInputs, deepJson(["profiles", "threads"]));
 */
export function deepJson(keys: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({ depth: fc.constantFrom(200, 1000, 1000, 5000), open: fc.constantFrom("[", '{"a":'), closed: fc.boolean(), key: fc.option(fc.constantFrom(...keys), { nil: undefined }) })
    .map(({ depth, open, closed, key }) => {
      const close = open === "[" ? "]" : "}";
      const body = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
      return key === undefined ? body : `{"${key}": ${body}}`;
    });
}

/** JSON values put in place of others: wrong types, nasty numbers and strings, small structures. */
const NASTY_VALUES: unknown[] = [
  null, true, false, 0, -1, 1, 2, 0.5, -0.5, 1e9, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1e308, -1e308, Number.MIN_VALUE,
  "", "0", "-1", "1e400", "NaN", "\u0000", "\u202eevil", "\ud800", "<img src=x onerror=alert(1)>", "x".repeat(1000),
  [], [0], [-1], [null], [[]], [1, 2, 3], {}, { "": 1 }, JSON.parse('{"__proto__": {"polluted": 1}}'), { constructor: 1 }, { length: 1e9 },
];

/**
 * Mutated JSON documents (cheaper to generate than json-fuzz's jsonInputs: the replacement
 * values come from a fixed list of nasty ones, see NASTY_VALUES): keys deleted, values replaced,
 * arrays emptied, at paths 1–`maxPath` deep; written compact or pretty-printed (so errors can name a line).
 *
 * @example
 * const inputs = jsonMutations([JSON.parse(readFileSync("profile.json", "utf8"))]);
 */
export function jsonMutations(bases: readonly unknown[], opts: { maxPath?: number } = {}): fc.Arbitrary<Uint8Array> {
  const op = fc.record({
    path: fc.array(fc.nat(), { maxLength: opts.maxPath ?? 8 }),
    kind: fc.constantFrom("delete", "value", "number", "string", "null", "empty-array"),
    value: fc.nat(NASTY_VALUES.length - 1),
    num: fc.oneof(fc.integer({ min: -3, max: 20 }), fc.nat(NASTY_VALUES.length - 1).map((i) => (typeof NASTY_VALUES[i] === "number" ? (NASTY_VALUES[i] as number) : 7))),
  });
  // a fresh copy per input from the base's text (JSON.parse is cheaper than structuredClone here)
  const texts = bases.map((b) => JSON.stringify(b));
  return fc
    .record({ base: fc.nat(bases.length - 1), ops: fc.array(op, { minLength: 1, maxLength: 4 }), pretty: fc.boolean() })
    .map(({ base, ops, pretty }) => {
      const doc = JSON.parse(texts[base]!) as unknown;
      for (const o of ops) mutateAt(doc, o.path, o.kind, o.kind === "value" ? structuredClone(NASTY_VALUES[o.value]) : o.kind === "number" ? o.num : o.kind === "string" ? String(o.num) : o.kind === "null" ? null : []);
      return Buffer.from(pretty ? JSON.stringify(doc, null, 1) : JSON.stringify(doc));
    });
}

/** Deletes or replaces the value at `path` (indices taken modulo the keys at each level), in place. */
function mutateAt(root: unknown, path: readonly number[], kind: string, value: unknown): void {
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number = "";
  let cur = root;
  for (const step of path) {
    if (cur === null || typeof cur !== "object") break;
    const keys: (string | number)[] = Array.isArray(cur) ? cur.map((_, i) => i) : Object.keys(cur);
    if (keys.length === 0) break;
    parent = cur as Record<string, unknown>;
    key = keys[step % keys.length]!;
    cur = (parent as Record<string, unknown>)[key];
  }
  if (parent === null) return;
  if (kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else (parent as Record<string, unknown>)[key] = value;
}
