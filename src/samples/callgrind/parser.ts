// The callgrind line parser: sorts each line into header, position, association or cost line and wires their state together.
import type { Profile } from "../../model/profile.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { ImportOptions, LineParser } from "../importer.js";
import { checkJumpLine, readCallsLine } from "./call-lines.js";
import { CostLines, startsCostLine, type CostContext } from "./cost-lines.js";
import type { ExpandOptions } from "./expand.js";
import { finishProfile } from "./finish.js";
import type { CallGraph } from "./graph.js";
import { Header } from "./header.js";
import { callgrindError, FIX, FORMAT, TRUNCATED_FIX } from "./messages.js";
import { Parts } from "./parts.js";
import { PositionLines } from "./position-lines.js";
import { ThreadGraphs } from "./thread-graphs.js";

/** Options of the callgrind importer: the common ones plus the limits of the stack expansion. */
export interface CallgrindOptions extends ImportOptions, ExpandOptions {}

const KEY = /^([A-Za-z]+)([=:])/;

/**
 * A push parser of callgrind files (see `callgrind.ts` for what it reads).
 *
 * @example
 * const feed = lineFeeder(new CallgrindParser({}));
 * feed.write("events: Ir\nfn=main\n0 5\n");
 * feed.end(); // a Profile: "main 5"
 */
export class CallgrindParser implements LineParser<Profile>, CostContext {
  private readonly b: ProfileBuilder;
  private readonly opts: CallgrindOptions;
  readonly parts = new Parts();
  readonly names = new PositionLines();
  readonly threads = new ThreadGraphs();
  readonly header: Header = new Header({
    thread: () => this.threads.leave(), // the next part's costs go to this thread's graph
    part: (no) => this.parts.finish(no, this.header.events),
    totals: (totals) => {
      this.parts.current(this.header.events!.length).totals = totals;
    },
  });
  private readonly costs = new CostLines(this);
  private unknownLines = 0;
  private firstUnknownLine = { no: 0, text: "" };

  constructor(opts: CallgrindOptions) {
    this.opts = opts;
    this.b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples, unit: "events" });
  }

  line(text: string, no: number): void {
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.costs.pending !== null) return this.costs.call(text, no);
    const c = text.charCodeAt(0);
    if (startsCostLine(c)) return this.costs.self(text, no);
    if (c === 35 || text.trim() === "") {
      if (no === 1 && /^#\s*callgrind format/.test(text)) this.header.sawHeader = true;
      return;
    }
    const m = KEY.exec(text);
    if (m === null) throw callgrindError(no, "a callgrind line: 'key: value', 'key=name' or a cost line of numbers", text);
    const value = text.slice(m[0].length);
    if (m[2] === ":") this.header.read(m[1]!, value, text, no);
    else this.position(m[1]!, value, text, no);
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.length > 0) this.line(unterminated, no);
    const p = this.costs.pending;
    if (p !== null) {
      throw callgrindError(no, `the cost line of the 'calls=' on line ${p.line} (positions, then the inclusive costs of the calls)`, "end of file", TRUNCATED_FIX);
    }
    const h = this.header;
    if (h.events === null) throw callgrindError(1, "a callgrind profile, with a header line 'events: Ir …'", h.sawHeader ? "no 'events:' line" : "no callgrind header", FIX);
    h.lock(this.b);
    this.parts.end(no, h.events, h.summary);
    return finishProfile(this.b, {
      events: h.events,
      eventIds: h.eventIds!,
      cmd: h.cmd,
      pid: h.pid,
      graphs: this.threads.byThread,
      costLines: this.parts.costLines,
      unknownHeaders: h.unknownHeaders,
      firstUnknownHeader: h.firstUnknownHeader,
      unknownLines: this.unknownLines,
      firstUnknownLine: this.firstUnknownLine,
      redefined: this.names.redefined,
      cleanNames: this.opts.cleanNames ?? false,
      limits: { maxDepth: this.opts.maxDepth, maxNodes: this.opts.maxNodes },
    });
  }

  /** The graph body lines go to: the current thread's, entered on the first body line after the header. */
  body(text: string, no: number): CallGraph {
    if (this.threads.graph !== null) return this.threads.graph;
    const h = this.header;
    if (h.events === null) throw callgrindError(no, "an 'events:' header line (like 'events: Ir') before the body", text);
    h.lock(this.b);
    return this.threads.enter(h.tid, h.events.length);
  }

  private position(key: string, value: string, text: string, no: number): void {
    switch (key) {
      case "fn": {
        const name = this.names.functionName(value, text, no);
        const g = this.body(text, no);
        const fn = g.fn(this.names.ob, name, this.names.file);
        this.threads.fn = fn;
        g.define(fn, this.names.file === "???" ? null : this.names.file);
        this.names.enterFunction();
        return;
      }
      case "calls":
        return this.calls(value, text, no);
      case "jump":
      case "jcnd":
        return checkJumpLine(key, value, text, no, this.header.pos);
      default:
        if (this.names.read(key, value, text, no)) return;
        // like callgrind_annotate (and like unknown header lines): skipped, with a warning
        if (this.unknownLines++ === 0) this.firstUnknownLine = { no, text };
    }
  }

  private calls(value: string, text: string, no: number): void {
    const count = readCallsLine(value, text, no, this.header.pos);
    const { names, threads } = this;
    if (threads.fn < 0) throw callgrindError(no, "an 'fn=' line before 'calls=' (the calling function)", text);
    const to = names.callee();
    if (to === null) throw callgrindError(no, "a 'cfn=' line before 'calls=' (the called function)", text);
    const callee = this.body(text, no).fn(to.object, to.name, to.file);
    this.costs.expect(callee, count, no);
    names.endCall();
  }
}
