// Format: Linux `perf script` text output (perf-script(1)): one record per sample, a header line
// `comm  pid/tid [cpu] time: period event:` followed by one indented frame line per call-chain
// entry, leaf first (`\t addr sym+off (dso)`, or `(inlined)` for inlined frames), then a blank line.
// With `-F +srcline` each frame line is followed by `  file:line` (`  file:line (inlined)`);
// without a call graph the sampled ip is on the header line, which perf then right-aligns.
import { FormatError } from "../../model/errors.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import type { ImportOptions, LineImporter, LineParser } from "../importer.js";

const FORMAT = "perf-script";
const HEADER_EXAMPLE = "a sample header like 'wordfreq  2206/2206 [001] 1969.165950:    1003009 cpu-clock:'";
const FRAME_EXAMPLE = "a frame line like '\\t    55d0c1a2 main+0x1f (/path/bin)'";
const FIX = "Is this `perf script` output? Produce it with `perf script -i perf.data > out.txt`; a cut-off file may be truncated.";

// comm (may contain spaces) · pid[/tid] · [cpu] · time: · rest (period, event, …)
// The comm ends with a non-space, so a long run of spaces is not tried once per split (quadratic).
const HEADER_WITH_TIME = /^(\S(?:.*?\S)?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s*(.*)$/;
// Without a time field an event is required, or any line would look like a header.
const HEADER_NO_TIME = /^(\S(?:.*?\S)?)\s+(-?\d+)(?:\/(-?\d+))?(?:\s+\[(\d+)\])?(?:\s+(\d+))?\s+(\S+):(?:\s+(.*))?$/;
// After the time: [period] [event:] [anything else, e.g. `addr sym (dso)` when there is no call chain]
const AFTER_TIME = /^(?:(\d+)\s+)?(?:(\S+):(?=\s|$)\s*)?(.*)$/;
// Matched after the leading whitespace (trimStart), which a backtracking `^\s+` would make quadratic.
// `  src/main.rs:12`, `  rtld.c:1153 (inlined)`, `  :0`, `  ??:0`, `  [kernel.kallsyms][ffffffff8160d8d1]`
const SRCLINE = /^(?:(.*?):(\d+|\?+)( \(inlined\))?|\[.*\]\[[0-9a-fx]+\])$/;
const OFFSET = /\+0x[0-9a-f]+$/;

/** One distinct frame line (after the address), parsed once and cached. */
interface ParsedFrame {
  /** The bytes of the frame line after the address, exactly as in the input. */
  rest: Buffer;
  name: string;
  /** The dso, "" when the line has none. */
  module: string;
  /** Marked `(inlined)` by perf. */
  inlined: boolean;
  /** Interned frame id, or -1 when the frame waits for the dso of the physical frame below it. */
  id: number;
  /** Ids of a deferred frame, per dso (and inlined mark), and the last one looked up. */
  ids: Map<string, number> | null;
  lastModule: string | null;
  lastInlined: boolean;
  lastId: number;
}

class PerfScriptParser implements LineParser<Profile> {
  private readonly b: ProfileBuilder;
  private readonly clean: boolean;
  private readonly cache = new Map<number, ParsedFrame[]>();
  // the record being read
  private inRecord = false;
  private thread = 0;
  private event = 0;
  private time = NaN;
  /** The record's period (perf's weight: ns for cpu-clock), or 1 when the header has none. */
  private weight = 1;
  private withPeriod = 0;
  /** Frame ids, leaf first; -1 where a deferred frame waits for its dso. */
  private readonly ids: number[] = [];
  /** Deferred frames (inlined, or without a dso), their positions in `ids`, and srcline inlined marks. */
  private readonly pending: ParsedFrame[] = [];
  private readonly pendingAt: number[] = [];
  private readonly pendingInlined: boolean[] = [];
  private lastFrame: ParsedFrame | null = null;
  private records = 0;
  private lost = 0;

  constructor(opts: ImportOptions) {
    this.b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
    this.clean = opts.cleanNames ?? false;
  }

  line(text: string, no: number): void {
    const bytes = Buffer.from(text, "utf8");
    this.lineBytes(bytes, 0, bytes.length, no);
  }

  lineBytes(buf: Buffer, start: number, end: number, no: number): void {
    const c = buf[start];
    if (c === 9 || c === 32) {
      if (this.inRecord && this.frameLine(buf, start, end)) return;
      this.otherIndentedLine(buf.toString("utf8", start, end), no);
    } else {
      this.flush();
      if (end > start) this.header(buf.toString("utf8", start, end), no);
    }
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.trim().length > 0) {
      // Outside a record, the cut line must at least start like a header, or this is not perf script output.
      if (!this.inRecord && !/^\s/.test(unterminated) && !HEADER_WITH_TIME.test(unterminated) && !HEADER_NO_TIME.test(unterminated)) {
        throw new FormatError(FORMAT, no, HEADER_EXAMPLE, unterminated, { fix: FIX });
      }
      this.inRecord = false; // the record being written when the file was cut is not complete
      this.clearRecord();
      this.b.warn(`perf-script line ${no}: the file ends in the middle of a line (truncated?); dropped the last, incomplete record.`);
    }
    this.flush();
    if (this.lost > 0) {
      this.b.warn(`perf reported ${this.lost} lost events: samples are missing (the machine was overloaded or the buffer too small; try a lower frequency or perf record -m).`);
    }
    if (this.records === 0) this.b.warn("no samples in this perf script output (was the program too short, or did perf record fail?).");
    // Like perf report and stackcollapse-perf, samples are weighted by their period when perf printed it.
    if (this.withPeriod > 0 && this.withPeriod === this.records) this.b.setUnit(/clock$/.test(this.b.eventName(0)) ? "nanoseconds" : "events");
    else if (this.withPeriod > 0) this.b.warn(`only ${this.withPeriod} of ${this.records} samples have a period; weights mix periods and counts.`);
    return this.b.finish();
  }

  private header(text: string, no: number): void {
    if (text.includes("PERF_RECORD_LOST") || /^LOST \d+/.test(text)) {
      const m = /(?:lost|LOST)\D*(\d+)/.exec(text);
      this.lost += m ? Number(m[1]) : 1;
      return;
    }
    let comm: string, pid: string, tid: string | undefined, event: string | undefined, rest: string | undefined, period: string | undefined;
    let time = NaN;
    const m = HEADER_WITH_TIME.exec(text);
    if (m) {
      [, comm, pid, tid] = m as unknown as [string, string, string, string | undefined];
      time = Number(m[5]);
      if (!Number.isFinite(time)) throw new FormatError(FORMAT, no, "a time in seconds that fits in a number", m[5]!, { fix: FIX });
      const r = AFTER_TIME.exec(m[6]!)!;
      period = r[1];
      event = r[2];
      rest = r[3];
    } else {
      const n = HEADER_NO_TIME.exec(text);
      // a time inside the "comm" means the fields are in an order perf never prints
      if (!n || /\d\.\d+:/.test(n[1]!)) throw new FormatError(FORMAT, no, HEADER_EXAMPLE, text, { fix: FIX });
      [, comm, pid, tid] = n as unknown as [string, string, string, string | undefined];
      period = n[5];
      event = n[6];
      rest = n[7];
    }
    // perf's default prints only the tid; the pid is then unknown (-1).
    this.thread = tid === undefined ? this.b.thread(comm, -1, Number(pid)) : this.b.thread(comm, Number(pid), Number(tid));
    this.event = this.b.event(event ?? "samples");
    this.time = time;
    this.weight = period === undefined ? 1 : Number(period);
    if (!Number.isFinite(this.weight)) throw new FormatError(FORMAT, no, "a period that fits in a number", period!, { fix: FIX });
    if (period !== undefined) this.withPeriod++;
    this.inRecord = true;
    // No call chain: the sampled ip follows on the header line itself.
    if (rest && /^[0-9a-f]+\s+\S/.test(rest)) {
      const line = Buffer.from("\t" + rest, "utf8");
      if (!this.frameLine(line, 0, line.length)) throw new FormatError(FORMAT, no, HEADER_EXAMPLE, text, { fix: FIX });
    }
  }

  /** Reads `\t addr rest`; false when the line is not a frame line. The hot path: no regex, no decoding on a cache hit. */
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
    if (i === a || buf[i] !== 32 || i + 1 >= end) return false;
    const from = i + 1;
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
      f = this.parseFrame(Buffer.from(buf.subarray(from, end))); // a copy: a view would pin the whole chunk
      if (bucket === undefined) this.cache.set(key, [f]);
      else bucket.push(f);
    }
    this.lastFrame = f;
    if (f.id < 0) {
      this.pendingAt.push(this.ids.length);
      this.pending.push(f);
      this.pendingInlined.push(f.inlined);
      this.ids.push(-1);
    } else {
      if (this.pending.length > 0) this.resolvePending(f.module);
      this.ids.push(f.id);
    }
    return true;
  }

  private parseFrame(rest: Buffer): ParsedFrame {
    let sym = rest.toString("utf8").trimEnd();
    let module = "";
    if (sym.endsWith(")")) {
      // the dso is the last balanced (...) group: paths like "(/bin/x (deleted))" nest
      let depth = 0;
      let k = sym.length - 1;
      for (; k >= 0; k--) {
        const ch = sym.charCodeAt(k);
        if (ch === 41) depth++;
        else if (ch === 40 && --depth === 0) break;
      }
      if (k > 0 && sym.charCodeAt(k - 1) === 32) {
        module = sym.slice(k + 1, -1);
        sym = sym.slice(0, k - 1);
      }
    }
    const inlined = module === "inlined";
    if (inlined || module === "unknown" || module === "[unknown]") module = "";
    let name = sym.replace(OFFSET, "");
    if (this.clean) name = cleanRustName(name);
    if (name === "" || name === "[unknown]") {
      // Like stackcollapse-perf: an unresolved frame is named after its binary.
      const base = module.slice(module.lastIndexOf("/") + 1);
      name = base ? `[${base}]` : "[unknown]";
    }
    // Inlined frames, and frames printed without a dso, take the dso of the physical frame below.
    const deferred = inlined || module === "";
    const id = deferred ? -1 : this.b.frame(name, module);
    return { rest, name, module, inlined, id, ids: deferred ? new Map() : null, lastModule: null, lastInlined: false, lastId: -1 };
  }

  private resolvePending(module: string): void {
    for (let k = 0; k < this.pending.length; k++) {
      const f = this.pending[k]!;
      const inlined = this.pendingInlined[k]!;
      let id: number;
      if (f.lastModule === module && f.lastInlined === inlined) id = f.lastId; // the usual case: same dso as last time
      else {
        const key = inlined ? `${module}\u0000i` : module;
        const known = f.ids!.get(key);
        id = known ?? this.b.frame(f.name, module, { inlined });
        if (known === undefined) f.ids!.set(key, id);
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

  /** An indented line that is not a frame: a srcline, a right-aligned header, blank, or an error. */
  private otherIndentedLine(text: string, no: number): void {
    const s = this.inRecord && /^\s/.test(text) ? SRCLINE.exec(text.trimStart()) : null;
    if (s) return this.srcline(s[1], s[2], s[3] !== undefined);
    const trimmed = text.trim();
    if (trimmed.length === 0) return this.flush();
    if (HEADER_WITH_TIME.test(trimmed)) {
      this.flush();
      return this.header(trimmed, no);
    }
    throw new FormatError(FORMAT, no, this.inRecord ? FRAME_EXAMPLE : `${HEADER_EXAMPLE} before frame lines`, text, { fix: FIX });
  }

  private srcline(file: string | undefined, line: string | undefined, inlined: boolean): void {
    const f = this.lastFrame;
    if (!f) return;
    const last = this.pending.length - 1;
    if (inlined && last >= 0 && this.pending[last] === f) this.pendingInlined[last] = true;
    // a line number past 2^53 (a corrupt srcline) is dropped rather than stored as Infinity
    if (file && f.id >= 0 && /^\d+$/.test(line ?? "") && Number.isSafeInteger(Number(line))) this.b.frame(f.name, f.module, { file, line: Number(line) });
  }

  private flush(): void {
    if (!this.inRecord) return;
    this.inRecord = false;
    if (this.pending.length > 0) this.resolvePending("");
    let s = -1;
    for (let k = this.ids.length - 1; k >= 0; k--) s = this.b.stack(s, this.ids[k]!);
    this.b.sample(s, this.thread, this.event, this.time, this.weight);
    this.records++;
    this.clearRecord();
  }

  private clearRecord(): void {
    this.ids.length = 0;
    this.pending.length = 0;
    this.pendingAt.length = 0;
    this.pendingInlined.length = 0;
    this.lastFrame = null;
  }
}

/**
 * True when a line could be a sample header: `comm pid[/tid] … :` (a colon followed by a space or
 * the line's end, somewhere after the pid). Linear in the line (the sniffer sees 64 KB heads).
 *
 * @example
 * looksLikeHeader("wordfreq 2206/2206 1969.165950: 1003009 cpu-clock:"); // true
 */
export function looksLikeHeader(line: string): boolean {
  const t = line.trimStart();
  const pid = /\s\d+(?:\/\d+)?\s/.exec(t);
  return pid !== null && /:(?:\s|$)/.test(t.slice(pid.index + pid[0].length));
}

/**
 * Reads `perf script` text: several events, every header variant (comm with spaces, pid/tid,
 * cpu, time, period, event), `(inlined)` frames, srclines, `[unknown]` and kernel frames, and
 * a truncated last record (dropped with a warning). Bad input throws a FormatError naming the line.
 *
 * @example
 * const profile = await parseInput(perfScript.parser({ cleanNames: true }), { path: "perf.txt" });
 */
export const perfScript: LineImporter = {
  extensions: [".perf.txt", ".perf-script", ".txt"],
  name: FORMAT,
  sniff: (head) => /^[ \t]+[0-9a-f]+ \S/m.test(head) && head.split("\n", 1000).some(looksLikeHeader),
  parser: (opts = {}) => new PerfScriptParser(opts),
};
