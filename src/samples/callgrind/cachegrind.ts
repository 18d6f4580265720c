// Format: cachegrind output (`cachegrind.out.<pid>`) as written by `valgrind --tool=cachegrind`
// up to 3.21 and read by cg_annotate (valgrind manual, "Cachegrind: a high-precision tracing
// profiler", the "cachegrind.out" format): `desc:` lines, a `cmd:` line, an `events:` line
// (`Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw` with --cache-sim=yes, the default in 3.19), then
// `fl=<file>` and `fn=<function>` lines each followed by cost lines `<line> <count> <count>…`
// (trailing zero counts may be missing), and a final `summary: <count>…` line with the totals.
import { FormatError } from "../../model/errors.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import { readCostLine } from "./numbers.js";
import type { ImportOptions, LineImporter, LineParser } from "../importer.js";

const FORMAT = "cachegrind";
const FIX = "Is this a cachegrind.out file? Make one with `valgrind --tool=cachegrind --cachegrind-out-file=cachegrind.out <program>`.";
const TRUNCATED_FIX = "The file looks incomplete (valgrind was killed or the file was cut); re-run `valgrind --tool=cachegrind --cachegrind-out-file=cachegrind.out <program>`.";

interface Fn {
  costs: Float64Array;
  file: string | null;
  line: number | null;
}

class CachegrindParser implements LineParser<Profile> {
  private readonly opts: ImportOptions;
  private cmd: string | null = null;
  private events: string[] | null = null;
  private costs = new Float64Array(0);
  private sums = new Float64Array(0);
  private readonly pos = new Float64Array(1);
  private file = "???";
  private fn: Fn | null = null;
  private fnFile = "???";
  private readonly fns = new Map<string, Fn>();
  private summary: { values: Float64Array; line: number } | null = null;
  private costLines = 0;
  private firstLine = "";

  constructor(opts: ImportOptions) {
    this.opts = opts;
  }

  line(text: string, no: number): void {
    if (no === 1) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.firstLine = text;
    }
    if (text.trim() === "" || text.charCodeAt(0) === 35) return;
    if (this.summary !== null) throw this.error(no, `nothing after the final 'summary:' line (line ${this.summary.line})`, text, FIX);
    const c = text.charCodeAt(0);
    if (c >= 48 && c <= 57) return this.costLine(text, no);
    if (text.startsWith("fl=")) {
      this.file = text.slice(3);
      this.fn = null; // cachegrind always names the function after a file
      return;
    }
    if (text.startsWith("fn=")) return this.function(text.slice(3), text, no);
    const m = /^(desc|cmd|events|summary):(.*)$/s.exec(text);
    if (m === null) throw this.error(no, "a cachegrind line: desc:, cmd:, events:, fl=, fn=, a cost line '<line> <count>…' or summary:", text, FIX);
    const v = m[2]!.trim();
    switch (m[1]) {
      case "desc":
        return;
      case "cmd":
        this.cmd = v;
        return;
      case "events": {
        const names = v.split(/[ \t]+/).filter((n) => n !== "");
        if (names.length === 0 || new Set(names).size !== names.length) throw this.error(no, "'events:' followed by distinct event names, like 'events: Ir I1mr ILmr'", text, FIX);
        if (this.events !== null) throw this.error(no, "one 'events:' line", text, FIX);
        this.events = names;
        this.costs = new Float64Array(names.length);
        this.sums = new Float64Array(names.length);
        return;
      }
      default: {
        const values = new Float64Array(this.requireEvents(text, no).length);
        const bad = readCostLine(v, new Float64Array(0), values, false);
        if (bad !== null) throw this.error(no, `'summary:' followed by ${bad}`, text, FIX);
        this.summary = { values, line: no };
      }
    }
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.length > 0) this.line(unterminated, no);
    if (this.events === null) {
      throw this.error(1, "a cachegrind profile, with header lines 'cmd: …' and 'events: Ir …'", this.firstLine, FIX);
    }
    if (this.summary === null) throw this.error(no, "a final 'summary:' line (cachegrind writes it last)", "end of file", TRUNCATED_FIX);
    for (let e = 0; e < this.events.length; e++) {
      if (this.sums[e] !== this.summary.values[e]) {
        throw this.error(
          this.summary.line,
          `a 'summary:' equal to the sum of the cost lines (${this.events[e]} ${this.sums[e]})`,
          `${this.events[e]} ${this.summary.values[e]}`,
          TRUNCATED_FIX,
        );
      }
    }
    return this.finish();
  }

  private requireEvents(text: string, no: number): string[] {
    if (this.events === null) throw this.error(no, "an 'events:' line (like 'events: Ir') before this line", text, FIX);
    return this.events;
  }

  private function(name: string, text: string, no: number): void {
    if (name === "") throw this.error(no, "a function name after 'fn='", text, FIX);
    const events = this.requireEvents(text, no);
    const file = this.file === "???" || this.file === "" ? null : this.file;
    let fn = this.fns.get(name);
    if (fn === undefined) {
      fn = { costs: new Float64Array(events.length), file, line: null };
      this.fns.set(name, fn);
    }
    this.fn = fn;
    this.fnFile = this.file;
  }

  private costLine(text: string, no: number): void {
    this.requireEvents(text, no);
    const fn = this.fn;
    if (fn === null) throw this.error(no, "an 'fn=' line before cost lines (the function they belong to)", text, FIX);
    const bad = readCostLine(text, this.pos, this.costs, false);
    if (bad !== null) throw this.error(no, bad, text, FIX);
    for (let e = 0; e < this.costs.length; e++) {
      fn.costs[e]! += this.costs[e]!;
      this.sums[e]! += this.costs[e]!;
    }
    const line = this.pos[0]!;
    if (line > 0 && (fn.file ?? "???") === this.fnFile && (fn.line === null || line < fn.line)) fn.line = line;
    this.costLines++;
  }

  private finish(): Profile {
    const events = this.events!;
    const unit = events.length === 1 && events[0] === "Ir" ? "instructions" : "events";
    const b = new ProfileBuilder({ format: FORMAT, source: this.opts.source, keepSamples: this.opts.keepSamples, unit });
    const eventIds = events.map((e) => b.event(e));
    const cmd = this.cmd ?? "";
    const first = cmd.split(/[ \t]+/)[0] ?? "";
    const thread = b.thread(first.slice(first.lastIndexOf("/") + 1), -1, -1);
    const clean = this.opts.cleanNames ?? false;
    for (const [name, fn] of this.fns) {
      if (!fn.costs.some((c) => c > 0)) continue;
      const stack = b.stack(-1, b.frame(clean ? cleanRustName(name) : name, "", { file: fn.file, line: fn.line }));
      for (let e = 0; e < events.length; e++) if (fn.costs[e]! > 0) b.sample(stack, thread, eventIds[e]!, NaN, fn.costs[e]!);
    }
    if (this.cmd === null) b.warn("cachegrind: no 'cmd:' line; the thread has no name.");
    if (this.costLines === 0) b.warn("cachegrind: the file has no cost lines (nothing was collected).");
    return b.finish();
  }

  private error(no: number, expected: string, got: string, fix: string): FormatError {
    return new FormatError(FORMAT, no, expected, got, { fix });
  }
}

/**
 * Reads cachegrind output. Cachegrind has no call graph: each function is a one-frame stack
 * (module "", file from `fl=`) with one sample row per event holding its summed (self) cost.
 * Functions are keyed by name, so same-named functions of different files are one frame, as
 * in every flamebook profile. `events` are the file's event names in order; the unit is
 * "instructions" when the only event is Ir, else "events". An empty file, a file without
 * `events:`, or one without a final `summary:` equal to the sum of its cost lines throws a
 * FormatError.
 *
 * @example
 * const p = await parseInput(cachegrind.parser(), { path: "cachegrind.out.1234" });
 * p.events; // ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"]
 */
export const cachegrind: LineImporter = {
  name: FORMAT,
  extensions: [".cachegrind", ".out"],
  sniff: (head) =>
    /^events:/m.test(head) &&
    /^f[ln]=/m.test(head) &&
    /^(desc|cmd):/m.test(head) &&
    !/^(#\s*callgrind format|version:|creator:|positions:|calls=|ob=|cfn=|fn=\(\d+\))/m.test(head),
  parser: (opts = {}) => new CachegrindParser(opts),
};
