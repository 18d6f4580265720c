// Format: Linux `perf script` text (perf-script(1), perf 3.x–6.x): the streaming parser behind
// ./perf-script.ts. A record is a header line (./header.ts) and its call-chain lines, leaf first
// (./frame-line.ts), each optionally followed by a `-F +srcline` line, then a blank line.
import { FormatError } from "../../model/errors.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import type { BlockResult, ImportOptions, LineParser } from "../importer.js";
import { BlockCache } from "./block-cache.js";
import { parseFrameText } from "./frame-line.js";
import { isClockEvent, parseHeader, type PerfHeader } from "./header.js";
import { OffCpuAssembler } from "./off-cpu.js";

const FORMAT = "perf-script";
const HEADER_EXAMPLE = "a sample header like 'wordfreq  2206/2206 [001] 1969.165950:    1003009 cpu-clock:'";
const FIX = "Is this `perf script` output? Produce it with `perf script -i perf.data > out.txt`; a cut-off file may be truncated.";
// `  src/main.rs:12`, `  rtld.c:1153 (inlined)`, `  :0`, `  ??:0`, `  [kernel.kallsyms][ffffffff8160d8d1]`, `  libc.so.6[27b25]`
const SRCLINE = /^(?:(.*?):(\d+|\?+)( \(inlined\))?|\S*\[[0-9a-fx]+\])$/;

/** Options of the perf-script parser, beyond every importer's. */
export interface PerfScriptOptions extends ImportOptions {
  /** Name unresolved frames with their address (`[libc.so.6 <7f12ab>]`), like stackcollapse-perf --addrs. Default: false. */
  addrs?: boolean;
  /**
   * Read an off-CPU recording (see ./off-cpu.ts): the clock samples become `cpu`, each
   * `sched:sched_switch` sample and its thread's `PERF_RECORD_SWITCH` lines become `offcpu`
   * (`blocked` or `preempted`) time, and `wall` is their sum; weights in nanoseconds.
   * Default: false (side-band lines are skipped, sched_switch samples are samples like any other).
   */
  offCpu?: boolean;
}

/** One distinct frame line (after the address), parsed once and cached. */
interface ParsedFrame {
  /** The bytes of the frame line after the address (with it, under `addrs`), exactly as in the input. */
  rest: Buffer;
  /** The frame's names, outermost first (an inline chain has several). */
  names: string[];
  /** The dso, "" when the line has none. */
  module: string;
  /** Marked `(inlined)` by perf. */
  inlined: boolean;
  /** Interned frame ids, innermost first; null while the frame waits for the dso of the physical frame below it. */
  ids: number[] | null;
  /** Ids of a deferred frame, per dso (and inlined mark), and the last one looked up. */
  deferred: Map<string, number> | null;
  lastModule: string | null;
  lastInlined: boolean;
  lastId: number;
}

/**
 * The push parser for `perf script` text. It reads lines one by one, and whole records at once
 * when it can: a record whose call chain below the leaf is byte for byte one it has read before
 * reuses that chain's stack (see ./block-cache.ts), which is most records of a recording.
 */
export class PerfScriptParser implements LineParser<Profile> {
  private readonly b: ProfileBuilder;
  private readonly clean: boolean;
  private readonly addrs: boolean;
  private readonly cache = new Map<number, ParsedFrame[]>();
  private readonly blocks = new BlockCache();
  // the record being read
  private inRecord = false;
  /** The record's frame was on its header line (no call graph): further indented lines are srclines or headers. */
  private singleLine = false;
  private thread = 0;
  private event = 0;
  private time = NaN;
  /** The record's period (perf's weight: ns for cpu-clock), or 1 when the header has none. */
  private weight = 1;
  private hasPeriod = false;
  /** Frame ids, leaf first; -1 where a deferred frame waits for its dso. */
  private readonly ids: number[] = [];
  /** Deferred frames (inlined, or without a dso), their positions in `ids`, and srcline inlined marks. */
  private readonly pending: ParsedFrame[] = [];
  private readonly pendingAt: number[] = [];
  private readonly pendingInlined: boolean[] = [];
  private lastFrame: ParsedFrame | null = null;
  // the whole input
  private seenHeader = false;
  private seenSrcline = false;
  private records = 0;
  private recordsWithFrames = 0;
  private withPeriod = 0;
  private lost = 0;
  private skipped = 0;
  private firstSkipped = "";
  private readonly eventNames: string[] = [];
  /** Off-CPU mode: reads switch records and turns records into its events; null otherwise. */
  private readonly switches: OffCpuAssembler | null;
  private tid = 0;

  constructor(opts: PerfScriptOptions) {
    this.b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
    this.switches = opts.offCpu ? new OffCpuAssembler(this.b) : null;
    this.clean = opts.cleanNames ?? false;
    this.addrs = opts.addrs ?? false;
  }

  line(text: string, no: number): void {
    const bytes = Buffer.from(text, "utf8");
    this.lineBytes(bytes, 0, bytes.length, no);
  }

  lineBytes(buf: Buffer, start: number, end: number, no: number): void {
    const c = buf[start];
    if (c === 9 || c === 32) {
      if (this.inRecord && !this.singleLine && this.frameLine(buf, start, end)) return;
      this.otherIndentedLine(buf.toString("utf8", start, end), no);
    } else if (end === start) {
      this.flush();
    } else if (c === 35 /* # */) {
      // `perf script --header` comments, FlameGraph's and inferno's test inputs: skipped anywhere
    } else if (this.inRecord && !this.singleLine && this.unindentedFrame(buf, start, end)) {
      // a frame line without indentation (some old perf versions and hand-edited files)
    } else {
      this.flush();
      this.header(buf.toString("utf8", start, end), no);
    }
  }

  /**
   * Reads the complete lines of `buf[start..end)`, whole records at a time where it can, and
   * returns where it stopped: at the unterminated last line, which comes again with the next chunk.
   */
  blockBytes(buf: Buffer, start: number, end: number, no: number): BlockResult {
    let pos = start;
    let line = no;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl === -1 || nl >= end) break;
      const c = buf[pos];
      // a header at column 0, LF line ends, frame lines after it: try the whole record at once
      if (nl > pos && c !== 9 && c !== 32 && c !== 35 && buf[nl - 1] !== 13 && !this.seenSrcline && (buf[nl + 1] === 9 || buf[nl + 1] === 32)) {
        const done = this.record(buf, pos, nl, end, line);
        if (done.no > 0) {
          pos = done.next;
          line = done.no;
          continue;
        }
      }
      this.lineBytes(buf, pos, nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl, ++line);
      pos = nl + 1;
    }
    return { next: pos, no: line };
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.trim().length > 0) this.lastLine(unterminated, no);
    this.flush();
    return this.finish();
  }

  /**
   * The last line had no newline. A record that is complete but for it is complete: a frame line
   * that ends with its dso, a srcline, or a header that carries its frame. Anything else was cut.
   */
  private lastLine(text: string, no: number): void {
    const t = text.trimEnd();
    const indented = /^\s/.test(t);
    const h = indented || !this.inRecord ? parseHeader(t.trimStart()) : null;
    const complete =
      (this.inRecord && !this.singleLine && /^\s*[0-9a-f]+\s+\S.*\)$/.test(t)) ||
      (this.inRecord && indented && SRCLINE.test(t.trimStart())) ||
      (h !== null && h.event !== undefined && (h.rest !== "" || this.recordsWithFrames === 0));
    if (complete) return this.line(t, no);
    if (!this.inRecord && !indented && h === null && !this.seenHeader) throw new FormatError(FORMAT, no, HEADER_EXAMPLE, text, { fix: FIX });
    this.inRecord = false; // the record being written when the file was cut is not complete
    this.clearRecord();
    this.b.warn(`perf-script line ${no}: the file ends in the middle of a line (truncated?); dropped the last, incomplete record.`);
  }

  private finish(): Profile {
    if (this.skipped > 0) {
      this.b.warn(`perf-script: skipped ${this.skipped} line${this.skipped === 1 ? "" : "s"} that ${this.skipped === 1 ? "is" : "are"} neither a sample header nor a frame line (${this.firstSkipped}).`);
    }
    if (this.lost > 0) {
      this.b.warn(`perf reported ${this.lost} lost events: samples are missing (the machine was overloaded or the buffer too small; try a lower frequency or perf record -m).`);
    }
    if (this.records === 0) this.b.warn("no samples in this perf script output (was the program too short, or did perf record fail?).");
    if (this.switches !== null) {
      this.switches.finish();
      return this.b.finish();
    }
    // Like perf report and stackcollapse-perf, samples are weighted by their period when perf printed it.
    if (this.withPeriod > 0 && this.withPeriod === this.records) this.b.setUnit(this.eventNames.every(isClockEvent) ? "nanoseconds" : "events");
    else if (this.withPeriod > 0) this.b.warn(`only ${this.withPeriod} of ${this.records} samples have a period; weights mix periods and counts.`);
    return this.b.finish();
  }

  private header(text: string, no: number): void {
    if (text.includes("PERF_RECORD_LOST") || /^LOST \d+/.test(text)) {
      const m = /(?:lost|LOST)\D*(\d+)/.exec(text);
      this.lost += m ? Number(m[1]) : 1;
      return;
    }
    const h = parseHeader(text);
    if (h === null) return this.skip(text, no, `${HEADER_EXAMPLE}`);
    // side-band records (`--show-mmap-events`, `--show-switch-events`…) are not samples
    if (h.event?.startsWith("PERF_RECORD_") || h.rest.startsWith("PERF_RECORD_")) {
      this.switches?.sideBand(h, () => this.b.thread(h.comm, h.pid, h.tid));
      return;
    }
    if (!Number.isFinite(h.time) && !Number.isNaN(h.time)) throw new FormatError(FORMAT, no, "a time in seconds that fits in a number", text, { fix: FIX });
    const weight = h.period === undefined ? 1 : Number(h.period);
    if (!Number.isFinite(weight)) throw new FormatError(FORMAT, no, "a period that fits in a number", h.period!, { fix: FIX });
    this.start(h, weight);
    // No call chain: the sampled ip follows on the header line itself.
    if (h.rest !== "" && /^[0-9a-f]+\s+\S/.test(h.rest)) {
      const line = Buffer.from("\t" + h.rest, "utf8");
      if (this.frameLine(line, 0, line.length)) this.singleLine = true;
    }
  }

  /** Starts a record with a parsed header. */
  private start(h: PerfHeader, weight: number): void {
    this.seenHeader = true;
    this.thread = this.b.thread(h.comm, h.pid, h.tid);
    const event = h.event ?? "samples";
    this.event = this.switches !== null ? this.switches.event(event) : this.b.event(event);
    if (this.switches !== null) {
      this.tid = h.tid;
      this.switches.header(h);
    }
    if (this.event === this.eventNames.length) this.eventNames.push(event);
    this.time = h.time;
    this.weight = weight;
    this.hasPeriod = h.period !== undefined;
    this.inRecord = true;
    this.singleLine = false;
  }

  /**
   * One whole record from `buf`: the header `[headerStart, headerEnd)` and the frame lines after
   * it, up to its blank line, all before `end`. Returns the offset after that blank line and its
   * line number, or `no: 0` when the record needs the line-by-line path (nothing was read then).
   * A record cut by the end of the buffer is read as far as it goes, and the line path goes on.
   */
  private record(buf: Buffer, headerStart: number, headerEnd: number, end: number, no: number): BlockResult {
    const leafStart = headerEnd + 1;
    const leafEnd = buf.indexOf(10, leafStart);
    if (leafEnd === -1 || leafEnd >= end || !isFrameLine(buf, leafStart, leafEnd)) return { next: 0, no: 0 };
    const h = parseHeader(buf.toString("utf8", headerStart, headerEnd));
    if (h === null || h.rest !== "" || h.event?.startsWith("PERF_RECORD_") || h.comm.includes("PERF_RECORD_LOST")) return { next: 0, no: 0 };
    const weight = h.period === undefined ? 1 : Number(h.period);
    if (!Number.isFinite(weight) || !(Number.isFinite(h.time) || Number.isNaN(h.time))) return { next: 0, no: 0 };
    const restStart = leafEnd + 1;
    const firstEnd = restStart < end && buf[restStart] !== 10 ? buf.indexOf(10, restStart) : -1;
    const hit = firstEnd !== -1 && firstEnd < end ? this.blocks.find(buf, restStart, firstEnd + 1, end) : undefined;

    this.flush();
    this.start(h, weight);
    this.frameLine(buf, leafStart, leafEnd);
    if (hit !== undefined) {
      if (this.pending.length > 0) this.resolvePending(hit.module);
      this.emit(hit.stack, this.ids.length);
      return { next: restStart + hit.bytes.length + 1, no: no + 2 + hit.lines + 1 };
    }
    // Not seen before: read it line by line; cache it when it is all frame lines up to a blank line.
    const leafIds = this.ids.length;
    let line = no + 2;
    let physical: string | null = null;
    let pos = restStart;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl === -1 || nl >= end) return { next: pos, no: line }; // cut by the buffer: the line path goes on
      const c = buf[pos];
      if (nl === pos) break; // the blank line
      if ((c === 9 || c === 32) && buf[nl - 1] !== 13 && this.frameLine(buf, pos, nl)) {
        if (physical === null && this.lastFrame!.ids !== null) physical = this.lastFrame!.module;
        line++;
        pos = nl + 1;
        continue;
      }
      // something else (a srcline, a header without a blank line before it…): the line path goes on from here
      return { next: pos, no: line };
    }
    if (this.pending.length > 0) this.resolvePending("");
    let s = -1;
    for (let k = this.ids.length - 1; k >= leafIds; k--) s = this.b.stack(s, this.ids[k]!);
    if (pos > restStart) this.blocks.add(buf, restStart, firstEnd + 1, pos, { stack: s, module: physical ?? "", lines: line - no - 2 });
    this.emit(s, leafIds);
    return { next: pos + 1, no: line + 1 };
  }

  /** A line at column 0 inside a record: a frame line when it is `hex sym…` and not a header. */
  private unindentedFrame(buf: Buffer, start: number, end: number): boolean {
    let i = start;
    while (i < end && isHex(buf[i]!)) i++;
    if (i === start || i >= end || (buf[i] !== 32 && buf[i] !== 9)) return false;
    if (parseHeader(buf.toString("utf8", start, end)) !== null) return false;
    const line = Buffer.concat([Buffer.from("\t"), buf.subarray(start, end)]);
    return this.frameLine(line, 0, line.length);
  }

  /** Reads `<ws> addr <ws> rest`; false when the line is not a frame line. The hot path: no regex, no decoding on a cache hit. */
  private frameLine(buf: Buffer, start: number, end: number): boolean {
    let i = start + 1;
    while (buf[i] === 32 || buf[i] === 9) i++;
    const a = i;
    let addr = 0;
    for (; i < end; i++) {
      const ch = buf[i]!;
      if (ch >= 48 && ch <= 57) addr = addr * 16 + (ch - 48);
      else if (ch >= 97 && ch <= 102) addr = addr * 16 + (ch - 87);
      else break;
    }
    if (i === a || (i < end && buf[i] !== 32 && buf[i] !== 9)) return false;
    const addrEnd = i;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    const from = this.addrs ? a : i;
    const len = end - from;
    // Parsed frame lines are cached by (address, length); a hit is verified with a byte compare.
    // Kernel addresses lose precision in a double, which only makes a bucket a little larger.
    const key = (addr % 4294967296) * 4096 + (len & 4095);
    let f: ParsedFrame | undefined;
    const bucket = this.cache.get(key);
    if (bucket !== undefined) {
      for (let k = 0; k < bucket.length && f === undefined; k++) {
        const rest = bucket[k]!.rest;
        if (rest.length === len && buf.compare(rest, 0, len, from, end) === 0) f = bucket[k];
      }
    }
    if (f === undefined) {
      f = this.parseFrame(Buffer.from(buf.subarray(from, end)), buf.toString("latin1", a, addrEnd), buf.toString("utf8", i, end)); // a copy: a view would pin the whole chunk
      if (bucket === undefined) this.cache.set(key, [f]);
      else bucket.push(f);
    }
    this.lastFrame = f;
    if (f.ids === null) {
      this.pendingAt.push(this.ids.length);
      this.pending.push(f);
      this.pendingInlined.push(f.inlined);
      this.ids.push(-1);
    } else {
      if (this.pending.length > 0) this.resolvePending(f.module);
      for (let k = 0; k < f.ids.length; k++) this.ids.push(f.ids[k]!);
    }
    return true;
  }

  private parseFrame(rest: Buffer, addr: string, text: string): ParsedFrame {
    const t = parseFrameText(text, addr, { cleanNames: this.clean, addrs: this.addrs });
    // Inlined frames, and frames printed without a dso, take the dso of the physical frame below.
    const deferred = t.inlined || t.module === "";
    let ids: number[] | null = null;
    if (!deferred) {
      // innermost first: `outer->inner` is `inner` inlined into `outer`
      ids = t.names.map((name, k) => this.b.frame(name, t.module, k > 0 ? { inlined: true } : {})).reverse();
    }
    return { rest, names: t.names, module: t.module, inlined: t.inlined, ids, deferred: deferred ? new Map() : null, lastModule: null, lastInlined: false, lastId: -1 };
  }

  private resolvePending(module: string): void {
    for (let k = 0; k < this.pending.length; k++) {
      const f = this.pending[k]!;
      const inlined = this.pendingInlined[k]!;
      let id: number;
      if (f.lastModule === module && f.lastInlined === inlined) id = f.lastId; // the usual case: same dso as last time
      else {
        const key = inlined ? `${module}\u0000i` : module;
        const known = f.deferred!.get(key);
        id = known ?? this.b.frame(f.names[0]!, module, { inlined });
        if (known === undefined) f.deferred!.set(key, id);
        f.lastModule = module;
        f.lastInlined = inlined;
        f.lastId = id;
      }
      this.ids[this.pendingAt[k]!] = id;
    }
    this.pending.length = 0;
    this.pendingAt.length = 0;
    this.pendingInlined.length = 0;
  }

  /** An indented line that is not a frame: a srcline, a right-aligned header, blank, or stray. */
  private otherIndentedLine(text: string, no: number): void {
    const trimmed = text.trim();
    if (trimmed.length === 0) return this.flush();
    const s = this.inRecord ? SRCLINE.exec(trimmed) : null;
    if (s) return this.srcline(s[1], s[2], s[3] !== undefined);
    const h = parseHeader(trimmed);
    if (h !== null && (h.event !== undefined || !Number.isNaN(h.time))) {
      this.flush();
      return this.header(trimmed, no);
    }
    if (!this.seenHeader) throw new FormatError(FORMAT, no, `${HEADER_EXAMPLE} before frame lines`, text, { fix: FIX });
    this.skip(text, no, "");
  }

  /** A line that is neither a header nor a frame line, after the first header: skipped, and counted for one warning. */
  private skip(text: string, no: number, expected: string): void {
    if (!this.seenHeader) throw new FormatError(FORMAT, no, expected || HEADER_EXAMPLE, text, { fix: FIX });
    if (this.skipped++ === 0) this.firstSkipped = `the first at line ${no}: '${text.length > 60 ? text.slice(0, 60) + "…" : text}'`;
  }

  private srcline(file: string | undefined, line: string | undefined, inlined: boolean): void {
    this.seenSrcline = true;
    const f = this.lastFrame;
    if (!f) return;
    const last = this.pending.length - 1;
    if (inlined && last >= 0 && this.pending[last] === f) this.pendingInlined[last] = true;
    // a line number past 2^53 (a corrupt srcline) is dropped rather than stored as Infinity
    if (file && f.ids !== null && /^\d+$/.test(line ?? "") && Number.isSafeInteger(Number(line))) {
      this.b.frame(f.names.at(-1)!, f.module, { file, line: Number(line), inlined: f.names.length > 1 });
    }
  }

  private flush(): void {
    if (!this.inRecord) return;
    if (this.pending.length > 0) this.resolvePending("");
    let s = -1;
    for (let k = this.ids.length - 1; k >= 0; k--) s = this.b.stack(s, this.ids[k]!);
    this.emit(s, 0);
  }

  /** Emits the record's sample: the stack `s` of ids[from..] with ids[0..from) on top. */
  private emit(stack: number, from: number): void {
    let s = stack;
    for (let k = from - 1; k >= 0; k--) s = this.b.stack(s, this.ids[k]!);
    if (this.switches !== null) this.switches.sample(s, this.thread, this.event, this.tid, this.time, this.weight, this.hasPeriod);
    else this.b.sample(s, this.thread, this.event, this.time, this.weight);
    this.records++;
    if (this.hasPeriod) this.withPeriod++;
    if (s >= 0) this.recordsWithFrames++;
    this.inRecord = false;
    this.clearRecord();
  }

  private clearRecord(): void {
    this.ids.length = 0;
    this.pending.length = 0;
    this.pendingAt.length = 0;
    this.pendingInlined.length = 0;
    this.lastFrame = null;
    this.singleLine = false;
  }
}

function isHex(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || (ch >= 97 && ch <= 102);
}

/** `<ws> hex (<ws> …)?` up to `end` (a "\n"), without CR: what frameLine accepts. */
function isFrameLine(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && (buf[i] === 9 || buf[i] === 32)) i++;
  if (i === start) return false;
  const a = i;
  while (i < end && isHex(buf[i]!)) i++;
  return i > a && (i === end || buf[i] === 32 || buf[i] === 9) && buf[end - 1] !== 13;
}
