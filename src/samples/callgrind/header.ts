// Header lines of a callgrind file (`key: value`): the events, the position columns, the command, pid and thread.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import { callgrindError, FIX } from "./messages.js";
import { readCostLine, readNumber } from "./numbers.js";

/** The order of the position columns (`addr` is an older name of `instr`). */
const POSITION_ORDER = new Map([
  ["instr", 0],
  ["addr", 0],
  ["bb", 1],
  ["line", 2],
]);

/** A `summary:` or `totals:` line: its costs (one per event) and its line number. */
export interface CostTotals {
  values: Float64Array;
  line: number;
}

/** What the parser does on the header lines that end or split a part. */
export interface HeaderHooks {
  /** `thread:` — the next costs belong to another thread. */
  thread(): void;
  /** `part:` — a new part (dump) starts at line `no`. */
  part(no: number): void;
  /** `totals:` — the costs the current part's cost lines must add up to. */
  totals(totals: CostTotals): void;
}

/**
 * The header state of a callgrind file: reads `version:`, `creator:`, `cmd:`, `pid:`,
 * `thread:`, `part:`, `positions:`, `events:`, `summary:` and `totals:` lines (anywhere in the
 * file: each part has its own header) and counts unknown ones.
 *
 * @example
 * const h = new Header({ thread() {}, part() {}, totals() {} });
 * h.read("events", " Ir Dr", "events: Ir Dr", 3);
 * h.events; // ["Ir", "Dr"]
 */
export class Header {
  /** True once a line says this is callgrind output (`# callgrind format`, `version:`, `events:`…). */
  sawHeader = false;
  events: string[] | null = null;
  /** Where `events:` was first given. */
  eventsLine = 0;
  /** The builder's event ids, in file order, once the body started ({@link lock}). */
  eventIds: number[] | null = null;
  /** The current position: one number per `positions:` column, updated by each cost line. */
  pos = new Float64Array(1);
  /** The column of `pos` that is the source line, or -1. */
  lineIndex = 0;
  cmd = "";
  pid = -1;
  tid = -1;
  summary: CostTotals | null = null;
  unknownHeaders = 0;
  firstUnknownHeader = 0;
  private readonly hooks: HeaderHooks;

  constructor(hooks: HeaderHooks) {
    this.hooks = hooks;
  }

  /** Reads the header line `key:value` (`text` is the whole line, `no` its number). */
  read(key: string, value: string, text: string, no: number): void {
    const v = value.trim();
    switch (key) {
      case "version": {
        // the manual: major version 0 or 1 (a minor part may follow); callgrind_annotate reads < 2
        const m = /^(\d+)(\.\d+)*$/.exec(v);
        if (m === null || Number(m[1]) > 1) throw callgrindError(no, "'version: 1' (format versions 0 and 1 are read; callgrind_annotate cannot read newer ones either)", text);
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
        this.pid = this.number(v, text, no);
        return;
      case "thread":
        this.tid = this.number(v, text, no);
        this.hooks.thread();
        return;
      case "part":
        this.number(v, text, no);
        this.hooks.part(no);
        return;
      case "positions":
        return this.positions(v, text, no);
      case "events":
        return this.eventNames(v, text, no);
      case "summary":
        this.summary = { values: this.costList(v, text, no), line: no };
        return;
      case "totals":
        this.hooks.totals({ values: this.costList(v, text, no), line: no });
        return;
      default:
        if (this.unknownHeaders++ === 0) this.firstUnknownHeader = no;
    }
  }

  /** Fixes the event list once the body starts: event ids in file order. */
  lock(b: ProfileBuilder): void {
    if (this.eventIds === null && this.events !== null) this.eventIds = this.events.map((e) => b.event(e));
  }

  private number(v: string, text: string, no: number): number {
    const n = readNumber(v, 0, v.length);
    if (Number.isNaN(n)) throw callgrindError(no, "a whole number after the colon", text);
    return n;
  }

  /**
   * `positions:` names the position columns of cost lines: `instr` (or the older `addr`),
   * `bb` and `line`, in that order (the manual's; `--dump-bb=yes` writes `bb`). Empty means
   * the default, `line`.
   */
  private positions(v: string, text: string, no: number): void {
    const kinds = v.split(/[ \t]+/).filter((k) => k !== "");
    const rank = kinds.map((k) => POSITION_ORDER.get(k) ?? -1);
    if (rank.some((r, i) => r < 0 || (i > 0 && r <= rank[i - 1]!))) {
      throw callgrindError(no, "'positions:' followed by instr, bb and line in that order (each optional), like 'positions: line' or 'positions: instr line'", text);
    }
    if (kinds.length === 0) kinds.push("line");
    this.pos = new Float64Array(kinds.length);
    this.lineIndex = kinds.indexOf("line");
  }

  private eventNames(v: string, text: string, no: number): void {
    const names = v.split(/[ \t]+/).filter((k) => k !== "");
    if (names.length === 0 || new Set(names).size !== names.length) throw callgrindError(no, "'events:' followed by distinct event names, like 'events: Ir Dr Dw'", text);
    if (this.eventIds !== null) {
      if (names.join(" ") !== this.events!.join(" ")) {
        throw callgrindError(no, `the same events in every part (line ${this.eventsLine} has 'events: ${this.events!.join(" ")}')`, text, FIX);
      }
      return;
    }
    this.events = names;
    this.eventsLine = no;
    this.sawHeader = true;
  }

  private costList(v: string, text: string, no: number): Float64Array {
    if (this.events === null) throw callgrindError(no, "an 'events:' line before this one", text);
    const values = new Float64Array(this.events.length);
    const bad = readCostLine(v, new Float64Array(0), values, false);
    if (bad !== null) throw callgrindError(no, bad, text);
    return values;
  }
}
