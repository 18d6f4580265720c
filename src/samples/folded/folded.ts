// Format: folded stacks, the text interface of Brendan Gregg's FlameGraph (stackcollapse-*.pl)
// and inferno: one line per stack, `root;caller;leaf count`, frames separated by ";".
// Also FlameGraph's difffolded.pl output, `root;caller;leaf before after` (two counts per line).
// Counts are what flamegraph.pl (FlameGraph, 2024) matches, `\d+(?:\.\d*)?`: `6`, `6.`, `6.25`.
// Suffixes `_[k]` (kernel) and `_[i]` (inlined) are read as frame attributes; `_[j]` (JIT) stays
// in the name and marks the frame's kind "unknown".
import { FormatError } from "../../model/errors.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { FrameKind, Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import type { ImportOptions, LineImporter, LineParser } from "../importer.js";
import { decodeText, textEncodingOf } from "../text-encoding.js";

const FORMAT = "folded";
/**
 * A count as FlameGraph's flamegraph.pl reads it (`\d+(?:\.\d*)?`): digits, then an optional
 * fraction whose digits may be missing (`6.`, `6.0`, `6.25`); the fraction is kept, as there.
 * No sign, no exponent, no leading dot: flamegraph.pl and inferno skip those lines, and so do we.
 */
const COUNT = String.raw`(\d+(?:\.\d*)?)`;
const LINE = new RegExp(String.raw`^(.*\S)\s+${COUNT}$`);
const DIFF_LINE = new RegExp(String.raw`^(.*\S)\s+${COUNT}\s+${COUNT}$`);
/**
 * True when some line of the head is a folded line: it starts with a frame (not a space or ";"),
 * has a ";", and ends with whitespace and a count after it. Line by line and linear: a regex with
 * two `[^\n]*` around ";" backtracks quadratically on long lines full of ";" (seconds on 64 KB).
 *
 * @example
 * looksFolded("main;work 3\n"); // true
 */
export function looksFolded(head: string): boolean {
  for (const raw of head.split("\n", 5000)) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.length === 0 || /[\s;]/.test(line[0]!)) continue;
    const count = /\s\d+(?:\.\d*)?$/.exec(line);
    const semi = line.indexOf(";");
    if (count !== null && semi !== -1 && semi < count.index) return true;
  }
  return false;
}

/**
 * The events of a difffolded file, in this order: `samples.event` 0 is "before", 1 is "after".
 *
 * @example
 * toFolded(profile, { event: DIFF_EVENTS[1] }); // the "after" side of a difffolded file
 */
export const DIFF_EVENTS = ["before", "after"] as const;

/** A count a profile can hold: at most 2^53 (an exact double). Else the line is stray. */
function count(text: string): number {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER ? n : NaN;
}

/** The frames and valid counts of a line matching `re`, or null. */
function matchCounts(re: RegExp, line: string): [string, number[]] | null {
  const m = re.exec(line);
  if (!m) return null;
  const counts = m.slice(2).map(count);
  return counts.some(Number.isNaN) ? null : [m[1]!, counts];
}

class FoldedParser implements LineParser<Profile> {
  private readonly b: ProfileBuilder;
  private readonly clean: boolean;
  private readonly thread: number;
  /** Decided by the first stack line: "single" (`stack count`) or "diff" (`stack before after`). */
  private mode: "single" | "diff" | undefined;
  private stray = 0;
  private firstStray = 0;

  constructor(opts: ImportOptions) {
    this.b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
    this.clean = opts.cleanNames ?? false;
    this.thread = this.b.thread("", -1, -1);
  }

  line(text: string, no: number): void {
    if (no === 1) text = this.firstLine(text);
    const t = text.trim();
    if (t === "" || t.startsWith("#") || t.startsWith("//")) return;
    if (this.mode === undefined) {
      // the first good line decides the form: two valid counts make a difffolded file
      this.mode = matchCounts(DIFF_LINE, t) ? "diff" : matchCounts(LINE, t) ? "single" : undefined;
      for (const e of this.mode === "diff" ? DIFF_EVENTS : this.mode === "single" ? ["samples"] : []) this.b.event(e);
    }
    const m = this.mode === undefined ? null : matchCounts(this.mode === "diff" ? DIFF_LINE : LINE, t);
    if (m === null) {
      if (this.stray++ === 0) this.firstStray = no;
      return;
    }
    const [frames, counts] = m;
    const s = this.stackOf(frames);
    if (s < 0) return;
    counts.forEach((w, event) => {
      if (w > 0) this.b.sample(s, this.thread, event, NaN, w);
    });
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.length > 0) this.line(unterminated, no);
    if (this.mode === undefined) this.b.event("samples");
    if (this.stray > 0) {
      const shape = this.mode === "diff" ? "frame;frame;frame before after" : "frame;frame;frame count";
      this.b.warn(`folded: skipped ${this.stray} line(s) that are not '${shape}' with finite, non-negative counts (the first at line ${this.firstStray}).`);
    }
    return this.b.finish();
  }

  /** Drops a UTF-8 BOM; UTF-16 text decoded as UTF-8 (BOM bytes, NULs) is an error, not stray lines. */
  private firstLine(text: string): string {
    if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
    if (text.includes("\u0000")) {
      throw new FormatError(FORMAT, 1, "UTF-8 text like 'main;work 3'", text, {
        fix: "This looks like UTF-16 text (NUL bytes between characters). Decode it with decodeText(bytes) first, or convert it: `iconv -f UTF-16 -t UTF-8`.",
      });
    }
    return text;
  }

  private stackOf(frames: string): number {
    let s = -1;
    for (const raw of frames.split(";")) {
      if (raw === "") continue;
      let name = raw;
      let kind: FrameKind | undefined;
      let inlined = false;
      if (name.endsWith("_[k]")) {
        name = name.slice(0, -4);
        kind = "kernel";
      } else if (name.endsWith("_[i]")) {
        name = name.slice(0, -4);
        inlined = true;
      } else if (name.endsWith("_[j]")) {
        kind = "unknown"; // JIT code: not Rust or C we compiled; the suffix stays so the name round-trips
      }
      if (this.clean) name = cleanRustName(name);
      s = this.b.stack(s, this.b.frame(name, "", { kind, inlined }));
    }
    return s;
  }
}

/**
 * Reads folded stacks, and FlameGraph's difffolded form `stack before after` (decided by the first
 * stack line), which gives two events, "before" and "after" ({@link DIFF_EVENTS}), one sample row
 * per non-zero count. Comment lines (`#`, `//`), blank lines, CRLF and a UTF-8 BOM are skipped;
 * Counts are flamegraph.pl's: digits with an optional fraction (`6`, `6.`, `6.25`, kept as written).
 * Stray lines (no count, a count with a sign, an exponent like `1e3`, `NaN`, above 2^53, or a
 * one-count line in a difffolded file) are skipped and counted in one warning.
 * UTF-16 text must be decoded first with `decodeText` (the first line then has NULs: a FormatError).
 *
 * @example
 * const p = await parseInput(folded.parser(), "main;work 3\nmain 1\n"); // 2 stacks, 4 samples
 * const d = await parseInput(folded.parser(), "main;work 3 1\nmain;idle 0 2\n"); // d.events: ["before", "after"]
 */
export const folded: LineImporter = {
  extensions: [".folded", ".collapsed", ".difffolded", ".txt"],
  name: FORMAT,
  sniff: (head, bytes) => looksFolded(bytes !== undefined && textEncodingOf(bytes).encoding !== "utf-8" ? decodeText(bytes) : head.replace(/^\ufeff/, "")),
  parser: (opts = {}) => new FoldedParser(opts),
};
