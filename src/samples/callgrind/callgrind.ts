// Format: callgrind profile data, as specified by the "Callgrind Format Specification" in the
// valgrind manual (https://valgrind.org/docs/manual/cl-format.html), version 1, as written by
// `valgrind --tool=callgrind` (3.x): header lines (`version:`, `creator:`, `pid:`, `thread:`,
// `part:`, `cmd:`, `desc:`, `positions:`, `events:`, `summary:`, `totals:`), position lines
// (`ob=`, `fl=`, `fi=`, `fe=`, `fn=`, `cob=`, `cfi=`/`cfl=`, `cfn=`) with name compression
// (`(id) name`, `(id)`), cost lines `subpositions costs…` with subposition compression
// (`+N`, `-N`, `*`, `0x…`), and `calls=<count> <target position>` lines followed by the cost
// line of those calls (their inclusive cost). `jump=`/`jcnd=` lines are read and ignored.
import { FormatError } from "../../model/errors.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import { expandCallGraph, type ExpandOptions } from "./expand.js";
import { CallGraph } from "./graph.js";
import { NameTable, type ResolvedName } from "./names.js";
import { readCostLine, readNumber, readTargetPosition } from "./numbers.js";
import type { ImportOptions, LineImporter, LineParser } from "../importer.js";

const FORMAT = "callgrind";
const FIX = "Is this a callgrind.out file? Make one with `valgrind --tool=callgrind --callgrind-out-file=callgrind.out <program>`; a file cut short (valgrind killed, disk full) cannot be read.";
const TRUNCATED_FIX = "The file looks incomplete (valgrind was killed or the file was cut); re-run `valgrind --tool=callgrind --callgrind-out-file=callgrind.out <program>`.";
const KEY = /^([A-Za-z]+)([=:])/;

/** Options of the callgrind importer: the common ones plus the limits of the stack expansion. */
export interface CallgrindOptions extends ImportOptions, ExpandOptions {}

/** The callgrind importer: a {@link LineImporter} whose parser also takes {@link CallgrindOptions}. */
export type CallgrindImporter = LineImporter & { parser(opts?: CallgrindOptions): LineParser<Profile> };

interface Part {
  sums: Float64Array;
  totals: { values: Float64Array; line: number } | null;
  costLines: number;
}

class CallgrindParser implements LineParser<Profile> {
  private readonly b: ProfileBuilder;
  private readonly opts: CallgrindOptions;
  private readonly files = new NameTable();
  private readonly fns = new NameTable();
  private readonly objs = new NameTable();
  // header
  private sawHeader = false;
  private events: string[] | null = null;
  private eventsLine = 0;
  private eventIds: number[] | null = null;
  private pos = new Float64Array(1);
  private lineIndex = 0;
  private cmd = "";
  private pid = -1;
  private tid = -1;
  private summary: { values: Float64Array; line: number } | null = null;
  private parts = 0;
  private part: Part | null = null;
  private lastPart: Part | null = null;
  private unknownHeaders = 0;
  private firstUnknownHeader = 0;
  private costLines = 0;
  // body
  private readonly graphs = new Map<number, CallGraph>();
  private graph: CallGraph | null = null;
  private ob = "";
  private file = "???";
  private fn = -1;
  private fnFile = "???";
  private cob: string | null = null;
  private cfn: string | null = null;
  private pendingCall: { callee: number; count: number; line: number } | null = null;
  private costs = new Float64Array(0);

  constructor(opts: CallgrindOptions) {
    this.opts = opts;
    this.b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples, unit: "events" });
  }

  line(text: string, no: number): void {
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.pendingCall !== null) return this.callCost(text, no);
    const c = text.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42) return this.costLine(text, no);
    if (c === 35 || text.trim() === "") {
      if (no === 1 && /^#\s*callgrind format/.test(text)) this.sawHeader = true;
      return;
    }
    const m = KEY.exec(text);
    if (m === null) throw this.error(no, "a callgrind line: 'key: value', 'key=name' or a cost line of numbers", text);
    const value = text.slice(m[0].length);
    if (m[2] === ":") this.header(m[1]!, value, text, no);
    else this.position(m[1]!, value, text, no);
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.length > 0) this.line(unterminated, no);
    if (this.pendingCall !== null) {
      const p = this.pendingCall;
      throw this.error(no, `the cost line of the 'calls=' on line ${p.line} (positions, then the inclusive costs of the calls)`, "end of file", TRUNCATED_FIX);
    }
    if (this.events === null) throw this.error(1, "a callgrind profile, with a header line 'events: Ir …'", this.sawHeader ? "no 'events:' line" : "no callgrind header", FIX);
    this.lockEvents();
    const last = this.part ?? this.lastPart;
    this.finishPart(no);
    // Without a totals: line, a one-part file must add up to its summary: line (a cut file does not).
    if (this.parts <= 1 && (last === null || last.totals === null) && this.summary !== null) {
      this.checkSums(last?.sums ?? new Float64Array(this.events.length), this.summary, "summary:", no);
    }
    return this.finish();
  }

  // ---- header lines

  private header(key: string, value: string, text: string, no: number): void {
    const v = value.trim();
    switch (key) {
      case "version": {
        const n = readNumber(v, 0, v.length);
        if (n !== 1) throw this.error(no, "'version: 1' (the only callgrind format version there is)", text, FIX);
        this.sawHeader = true;
        return;
      }
      case "creator":
      case "desc":
      case "event":
        this.sawHeader = true;
        return;
      case "cmd":
        this.cmd = v;
        return;
      case "pid":
        this.pid = this.headerNumber(v, text, no);
        return;
      case "thread":
        this.tid = this.headerNumber(v, text, no);
        this.graph = null; // the next part's costs go to this thread's graph
        this.fn = -1;
        return;
      case "part":
        this.headerNumber(v, text, no);
        this.finishPart(no);
        return;
      case "positions":
        return this.positions(v, text, no);
      case "events":
        return this.eventNames(v, text, no);
      case "summary":
        this.summary = { values: this.costList(v, text, no), line: no };
        return;
      case "totals": {
        const values = this.costList(v, text, no);
        this.currentPart().totals = { values, line: no };
        return;
      }
      default:
        if (this.unknownHeaders++ === 0) this.firstUnknownHeader = no;
    }
  }

  private headerNumber(v: string, text: string, no: number): number {
    const n = readNumber(v, 0, v.length);
    if (Number.isNaN(n)) throw this.error(no, "a whole number after the colon", text, FIX);
    return n;
  }

  private positions(v: string, text: string, no: number): void {
    const kinds = v.split(/[ \t]+/).filter((k) => k !== "");
    const known = kinds.every((k) => k === "instr" || k === "addr" || k === "line");
    if (kinds.length === 0 || kinds.length > 2 || !known || new Set(kinds).size !== kinds.length) {
      throw this.error(no, "'positions: line', 'positions: instr' or 'positions: instr line'", text, FIX);
    }
    this.pos = new Float64Array(kinds.length);
    this.lineIndex = kinds.indexOf("line");
  }

  private eventNames(v: string, text: string, no: number): void {
    const names = v.split(/[ \t]+/).filter((k) => k !== "");
    if (names.length === 0 || new Set(names).size !== names.length) throw this.error(no, "'events:' followed by distinct event names, like 'events: Ir Dr Dw'", text, FIX);
    if (this.eventIds !== null) {
      if (names.join(" ") !== this.events!.join(" ")) {
        throw this.error(no, `the same events in every part (line ${this.eventsLine} has 'events: ${this.events!.join(" ")}')`, text, FIX);
      }
      return;
    }
    this.events = names;
    this.eventsLine = no;
    this.costs = new Float64Array(names.length);
    this.sawHeader = true;
  }

  /** Fixes the event list once the body starts: event ids in file order. */
  private lockEvents(): void {
    if (this.eventIds === null && this.events !== null) this.eventIds = this.events.map((e) => this.b.event(e));
  }

  private costList(v: string, text: string, no: number): Float64Array {
    if (this.events === null) throw this.error(no, "an 'events:' line before this one", text, FIX);
    const values = new Float64Array(this.events.length);
    const none = new Float64Array(0);
    const bad = readCostLine(v, none, values, false);
    if (bad !== null) throw this.error(no, bad, text, FIX);
    return values;
  }

  // ---- position lines

  private position(key: string, value: string, text: string, no: number): void {
    switch (key) {
      case "ob":
        this.ob = this.name(this.objs, value, "object", text, no);
        return;
      case "fl":
      case "fi":
      case "fe":
        this.file = this.name(this.files, value, "file", text, no);
        return;
      case "fn": {
        const name = this.name(this.fns, value, "function", text, no);
        if (name === "") throw this.error(no, "a function name after 'fn='", text, FIX);
        const g = this.currentGraph(text, no);
        this.fn = g.fn(this.ob, name);
        this.fnFile = this.file;
        g.define(this.fn, this.file === "???" ? null : this.file);
        this.cob = this.cfn = null;
        return;
      }
      case "cob":
        this.cob = this.name(this.objs, value, "object", text, no);
        return;
      case "cfi":
      case "cfl":
        // the callee's file: read for its compressed id only (functions are keyed by object and name)
        this.name(this.files, value, "file", text, no);
        return;
      case "cfn": {
        const name = this.name(this.fns, value, "function", text, no);
        if (name === "") throw this.error(no, "a function name after 'cfn='", text, FIX);
        this.cfn = name;
        return;
      }
      case "calls":
        return this.calls(value, text, no);
      case "jump":
      case "jcnd":
        return this.jump(key, value, text, no);
      case "jfi":
        this.name(this.files, value, "file", text, no);
        return;
      case "jfn":
        this.name(this.fns, value, "function", text, no);
        return;
      default:
        throw this.error(no, "a callgrind line: ob=, fl=, fi=, fe=, fn=, cob=, cfi=, cfl=, cfn=, calls=, jump=, jcnd= or a cost line", text, FIX);
    }
  }

  private name(table: NameTable, value: string, kind: string, text: string, no: number): string {
    const r: ResolvedName = table.resolve(value);
    if ("undefinedId" in r) {
      throw this.error(no, `a ${kind} name, or the id of one defined earlier as '(${r.undefinedId}) name' (no ${kind} has id ${r.undefinedId} before this line)`, text, FIX);
    }
    return r.name;
  }

  private calls(value: string, text: string, no: number): void {
    const m = /^[ \t]*(\S+)(.*)$/s.exec(value);
    const count = m ? readNumber(m[1]!, 0, m[1]!.length) : NaN;
    if (Number.isNaN(count)) throw this.error(no, "'calls=<count> <target position>' with a whole-number count", text, FIX);
    const bad = readTargetPosition(m![2]!, this.pos);
    if (bad !== null) throw this.error(no, `'calls=<count> <target position>': ${bad}`, text, FIX);
    if (this.fn < 0) throw this.error(no, "an 'fn=' line before 'calls=' (the calling function)", text, FIX);
    if (this.cfn === null) throw this.error(no, "a 'cfn=' line before 'calls=' (the called function)", text, FIX);
    const callee = this.currentGraph(text, no).fn(this.cob ?? this.ob, this.cfn);
    this.pendingCall = { callee, count, line: no };
    this.cfn = null;
  }

  private jump(key: string, value: string, text: string, no: number): void {
    const tokens = value.trim().split(/[ \t]+/);
    const counts = key === "jcnd" ? 2 : 1;
    const ok = tokens.length >= counts && tokens.slice(0, counts).every((t) => !Number.isNaN(readNumber(t, 0, t.length)));
    if (!ok || readTargetPosition(tokens.slice(counts).join(" "), this.pos) !== null) {
      throw this.error(no, key === "jcnd" ? "'jcnd=<taken> <executed> <target position>'" : "'jump=<count> <target position>'", text, FIX);
    }
  }

  // ---- cost lines

  private costLine(text: string, no: number): void {
    const g = this.bodyGraph(text, no);
    if (this.fn < 0) throw this.error(no, "an 'fn=' line before cost lines (the function they belong to)", text, FIX);
    const bad = readCostLine(text, this.pos, this.costs, true);
    if (bad !== null) throw this.error(no, bad, text, FIX);
    g.addSelf(this.fn, this.costs);
    this.count(this.costs);
    if (this.lineIndex >= 0 && this.file === this.fnFile) g.noteLine(this.fn, this.pos[this.lineIndex]!);
  }

  private callCost(text: string, no: number): void {
    const p = this.pendingCall!;
    const c = text.charCodeAt(0);
    const costLine = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42;
    if (!costLine) throw this.error(no, `the cost line of the 'calls=' on line ${p.line} (positions, then the inclusive costs of the calls)`, text, FIX);
    const bad = readCostLine(text, this.pos, this.costs, true);
    if (bad !== null) throw this.error(no, bad, text, FIX);
    this.graph!.addCall(this.fn, p.callee, p.count, this.costs);
    this.pendingCall = null;
    this.cob = null;
  }

  private count(costs: Float64Array): void {
    const part = this.currentPart();
    if (part.sums.length !== costs.length) part.sums = new Float64Array(costs.length);
    for (let e = 0; e < costs.length; e++) part.sums[e]! += costs[e]!;
    part.costLines++;
    this.costLines++;
  }

  private currentGraph(text: string, no: number): CallGraph {
    return this.graph ?? this.bodyGraph(text, no);
  }

  private bodyGraph(text: string, no: number): CallGraph {
    if (this.graph !== null) return this.graph;
    if (this.events === null) throw this.error(no, "an 'events:' header line (like 'events: Ir') before the body", text, FIX);
    this.lockEvents();
    let g = this.graphs.get(this.tid);
    if (g === undefined) {
      g = new CallGraph(this.events.length);
      this.graphs.set(this.tid, g);
    }
    if (g !== this.graph) this.fn = -1;
    this.graph = g;
    return g;
  }

  private currentPart(): Part {
    if (this.part === null) {
      this.part = { sums: new Float64Array(this.events?.length ?? 0), totals: null, costLines: 0 };
      this.parts++;
    }
    return this.part;
  }

  /** Ends a part: its cost lines must add up to its `totals:` line. */
  private finishPart(no: number): void {
    const part = this.part;
    if (part === null) return;
    if (part.totals !== null) this.checkSums(part.sums, part.totals, "totals:", no);
    this.lastPart = part;
    this.part = null;
  }

  private checkSums(sums: Float64Array, want: { values: Float64Array; line: number }, what: string, no: number): void {
    const events = this.events!;
    for (let e = 0; e < events.length && e < sums.length; e++) {
      if (sums[e] !== want.values[e]) {
        const lines = `the cost lines to add up to the '${what}' line ${want.line} (${events[e]} ${want.values[e]})`;
        const got = `${events[e]} ${sums[e]} at line ${no}`;
        throw this.error(no, lines, got, TRUNCATED_FIX);
      }
    }
  }

  // ---- the profile

  private finish(): Profile {
    const b = this.b;
    const events = this.events!;
    const eventIds = this.eventIds!;
    b.setUnit(events.length === 1 && events[0] === "Ir" ? "instructions" : "events");
    const comm = this.cmd === "" ? "" : basename(this.cmd.split(/[ \t]+/)[0]!);
    const clean = this.opts.cleanNames ?? false;
    let cycles = 0;
    let depthCuts = 0;
    let budgetCuts = 0;
    let extraRoots = 0;
    let missing = 0;
    for (const [tid, g] of this.graphs) {
      missing += g.resolveCallees();
      const frames = new Int32Array(g.size);
      for (let f = 0; f < g.size; f++) {
        const name = clean ? cleanRustName(g.name[f]!) : g.name[f]!;
        const obj = g.object[f]!;
        frames[f] = b.frame(name, obj === "???" ? "" : obj, { file: g.file[f], line: g.line[f] });
      }
      const thread = b.thread(comm, this.pid, tid);
      const r = expandCallGraph(g, b, frames, thread, eventIds, { maxDepth: this.opts.maxDepth, maxNodes: this.opts.maxNodes });
      cycles += r.cycles;
      depthCuts += r.depthCuts;
      budgetCuts += r.budgetCuts;
      extraRoots += r.extraRoots;
    }
    if (this.costLines === 0) b.warn("callgrind: the file has no cost lines (nothing was collected; was the program run with --collect-atstart=no or --toggle-collect?).");
    if (cycles > 0) {
      b.warn(
        `callgrind: the call graph has recursion (${cycles} call(s) into a function already on the stack); they are folded into the outer call. Stacks are expanded from callgrind's call graph: self costs are exact, inclusive costs of the recursive functions are approximate.`,
      );
    }
    if (depthCuts > 0 || budgetCuts > 0) {
      const why = [depthCuts > 0 ? `${depthCuts} at depth ${this.opts.maxDepth ?? 256}` : "", budgetCuts > 0 ? `${budgetCuts} after ${this.opts.maxNodes ?? 100000} stacks` : ""].filter(Boolean).join(", ");
      b.warn(`callgrind: the expanded call tree was cut (${why}); self costs stay exact, inclusive costs below the cut are approximate (raise maxDepth/maxNodes).`);
    }
    if (extraRoots > 0) {
      b.warn(`callgrind: ${extraRoots} function(s) with cost are in call cycles that no root of the call graph reaches; the heaviest function of each is shown as a root.`);
    }
    if (missing > 0) b.warn(`callgrind: ${missing} called function(s) have no 'fn=' lines (no cost of their own).`);
    if (this.unknownHeaders > 0) b.warn(`callgrind: skipped ${this.unknownHeaders} unknown header line(s) (the first at line ${this.firstUnknownHeader}).`);
    const redefined = this.files.redefined + this.fns.redefined + this.objs.redefined;
    if (redefined > 0) b.warn(`callgrind: ${redefined} compressed name id(s) were defined again with another name; the latest definition was used.`);
    return b.finish();
  }

  private error(no: number, expected: string, got: string, fix = FIX): FormatError {
    return new FormatError(FORMAT, no, expected, got, { fix });
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Reads callgrind profile data (`callgrind.out.<pid>`): every event column, name and position
 * compression, inlined-file switches (`fi=`/`fe=`), and calls. Frames are functions with their
 * object (`ob=`, "" when unknown) as module and their file (`fl=`, or the `fi=`/`fe=` file in
 * force at `fn=`). There is one sample row per (stack, event); `events` are the file's event
 * names in order, the unit is "instructions" when the only event is Ir, else "events".
 *
 * The Profile has stacks, not a call graph, so stacks are rebuilt from callgrind's call graph
 * (see {@link expandCallGraph}): self costs per function and event totals are exact; inclusive
 * costs match callgrind's except under recursion or the expansion limits (a warning says so).
 * An empty file, or one without an `events:` line, is not a callgrind profile: FormatError.
 * A file whose cost lines do not add up to its `totals:` (or, without one, `summary:`) line is
 * cut short: FormatError.
 *
 * @example
 * const p = await parseInput(callgrind.parser(), { path: "callgrind.out.1234" });
 * toFolded(p, { event: "Ir" }); // ["wordfreq-before;0x…1ab70;(below main);…;wordfreq::main 34000", …]
 * callgrind.parser({ maxDepth: 64, maxNodes: 20_000 }); // smaller call trees for huge call graphs
 */
export const callgrind: CallgrindImporter = {
  name: FORMAT,
  extensions: [".callgrind", ".out"],
  sniff: (head) =>
    /^#\s*callgrind format/.test(head) ||
    /^creator:\s*callgrind/m.test(head) ||
    (/^events:/m.test(head) && /^c?fn=/m.test(head) && /^(positions:|version:|calls=|ob=|cfn=)/m.test(head)),
  parser: (opts: CallgrindOptions = {}) => new CallgrindParser(opts),
};
