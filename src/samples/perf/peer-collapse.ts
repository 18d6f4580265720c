// Format: Linux `perf script` text, read exactly as the two reference collapsers read it, for
// `flamebook collapse --compat perl|inferno`: Brendan Gregg's FlameGraph `stackcollapse-perf.pl`
// (2019–2024 versions; options --pid --tid --kernel --jit --all --addrs --event-filter, without
// --inline/--context/--srcline, which need addr2line) and inferno's `inferno-collapse-perf`
// (0.11–0.12; the same options). Their output is reproduced byte for byte, including their
// choices that flamebook's own reader does not make: names cut at the first `(`, quotes dropped,
// the Java `L` prefix dropped, spaces in process names turned into `_`, `?` for an unknown pid;
// Perl also drops the last record when no blank line follows it and reads bytes, not UTF-8.
// These rules were read from the two programs' documented behaviour and their test suites.
import type { BlockResult, LineParser } from "../importer.js";

/** Which collapser to reproduce. */
export type PeerDialect = "perl" | "inferno";

/** Options of {@link PeerCollapser}: the reference tools' flags. Every option documents its default. */
export interface PeerCollapseOptions {
  dialect: PeerDialect;
  /** `--pid`: the pid joins the process name (`comm-pid`). Default: false. */
  pid?: boolean;
  /** `--tid`: pid and tid join it (`comm-pid/tid`). Default: false. */
  tid?: boolean;
  /** `--kernel`: kernel frames get `_[k]`. Default: false. */
  kernel?: boolean;
  /** `--jit`: JIT frames get `_[j]`. Default: false. */
  jit?: boolean;
  /** `--all`: both of the above. Default: false. */
  all?: boolean;
  /** `--addrs`: unresolved frames show their address, `[libc.so <7f12>]`. Default: false. */
  addrs?: boolean;
  /** `--event-filter`: the event to keep. Default: the first one seen. */
  event?: string;
}

/** What a peer collapse produced. */
export interface PeerCollapseResult {
  /** The folded stacks, sorted, `stack count\n` each, in the tool's byte encoding. */
  output: Buffer;
  /** Distinct stacks. */
  stacks: number;
  /** What the tool would have printed on stderr, summarised. */
  warnings: string[];
}

// The Perl script's three line patterns, on bytes (`\s` is ASCII whitespace, `.` any byte but
// "\n"), are matched by the linear functions perlHeader, perlEvent and perlStack below instead of
// regular expressions: V8 would backtrack exponentially or quadratically on inputs where Perl does
// not (test/samples/peer-collapse.test.ts checks them against the patterns on short inputs):
//   header  /^(\S.+?)\s+(\d+)\/*(\d+)*\s+/
//   event   /:\s*(\d+)*\s+(\S+):\s*$/
//   stack   /^\s*(\w+)\s*(.+) \((.*)\)/

/**
 * Folds `perf script` text the way stackcollapse-perf.pl or inferno-collapse-perf does, so that
 * a user can diff flamebook against an existing pipeline byte for byte. Memory is bounded by the
 * distinct stacks. Not a profile reader: use the perf-script importer for that.
 *
 * @example
 * const feed = lineFeeder(new PeerCollapser({ dialect: "perl", kernel: true }));
 * feed.write(perfScriptText); process.stdout.write(feed.end().output);
 */
export class PeerCollapser implements LineParser<PeerCollapseResult> {
  private readonly o: Required<Omit<PeerCollapseOptions, "event">>;
  private readonly perl: boolean;
  private readonly counts = new Map<string, bigint>();
  private eventFilter: string | undefined;
  private eventDefaulted = false;
  /** The first event skipped when the filter was the first event seen (Perl warns about it). */
  private filterWarned = "";
  private unrecognized = 0;
  private firstUnrecognized = "";
  // Perl's state
  private stack: string[] = [];
  private pname: string | undefined;
  private period = "";
  // inferno's state
  private inEvent = false;
  private skip = false;
  private frames: string[] = [];
  private iname = "";
  private iperiod: bigint | null = null;

  constructor(opts: PeerCollapseOptions) {
    const all = opts.all ?? false;
    this.perl = opts.dialect === "perl";
    this.o = {
      dialect: opts.dialect,
      pid: (opts.pid ?? false) || (!this.perl && (opts.tid ?? false)),
      tid: opts.tid ?? false,
      kernel: all || (opts.kernel ?? false),
      jit: all || (opts.jit ?? false),
      all,
      addrs: opts.addrs ?? false,
    };
    this.eventFilter = opts.event;
  }

  line(text: string, no: number): void {
    const bytes = Buffer.from(text, "utf8");
    this.blockBytes(Buffer.concat([bytes, Buffer.from("\n")]), 0, bytes.length + 1, no - 1);
  }

  /** Reads every "\n"-terminated line (CR stays part of the line, as both tools read it). */
  blockBytes(buf: Buffer, start: number, end: number, no: number): BlockResult {
    let pos = start;
    let n = no;
    for (let nl = buf.indexOf(10, pos); nl !== -1 && nl < end; nl = buf.indexOf(10, pos)) {
      n++;
      if (this.perl) this.perlLine(buf.toString("latin1", pos, nl));
      else this.infernoLine(buf.toString("utf8", pos, nl));
      pos = nl + 1;
    }
    return { next: pos, no: n };
  }

  end(unterminated: string): PeerCollapseResult {
    // Perl records a stack only at a blank line: a last line without one changes nothing.
    if (!this.perl) {
      if (unterminated !== "") this.infernoLine(unterminated);
      if (this.frames.length > 0) this.infernoEnd();
    }
    const keys = [...this.counts.keys()].sort(this.perl ? byCodeUnit : byCodePoint);
    const text = keys.map((k) => `${k} ${this.counts.get(k)!}\n`).join("");
    const warnings: string[] = [];
    if (this.filterWarned !== "") warnings.push(`folded only events of type ${this.eventFilter}, the first seen; skipped ${this.filterWarned} (and any other) — choose one with --event`);
    if (this.unrecognized > 0) warnings.push(`${this.unrecognized} unrecognized line${this.unrecognized === 1 ? "" : "s"} skipped, the first: ${this.firstUnrecognized}`);
    return { output: Buffer.from(text, this.perl ? "latin1" : "utf8"), stacks: keys.length, warnings };
  }

  private add(stack: string, count: bigint): void {
    this.counts.set(stack, (this.counts.get(stack) ?? 0n) + count);
  }

  private unknownLine(line: string): void {
    if (this.unrecognized++ === 0) this.firstUnrecognized = JSON.stringify(line.length > 80 ? line.slice(0, 80) + "…" : line);
  }

  // ---- stackcollapse-perf.pl ----

  private perlLine(line: string): void {
    if (line.startsWith("#")) return;
    if (line === "") {
      if (!perlTrue(this.pname)) return;
      this.stack.unshift(this.pname!);
      this.add(this.stack.join(";"), BigInt(this.period));
      this.stack = [];
      this.pname = undefined;
      return;
    }
    const h = perlHeader(line);
    if (h) {
      const comm = h[0];
      let pid = h[1];
      let tid: string | undefined = h[2];
      let period = "";
      if (!perlTrue(tid)) {
        tid = pid;
        pid = "?";
      }
      const e = perlEvent(line);
      if (e) {
        period = e[0];
        const event = e[1];
        if (this.eventFilter === undefined || this.eventFilter === "") {
          this.eventFilter = event;
          this.eventDefaulted = true;
        } else if (event !== this.eventFilter) {
          if (this.eventDefaulted && this.filterWarned === "") this.filterWarned = event;
          return;
        }
      }
      this.period = perlTrue(period) ? period : "1";
      const name = this.o.tid ? `${comm}-${pid}/${tid}` : this.o.pid ? `${comm}-${pid}` : comm;
      this.pname = name.replace(/ /g, "_");
      return;
    }
    const s = perlStack(line);
    if (!s) return this.unknownLine(line);
    if (!perlTrue(this.pname)) return;
    const [pc, raw, mod] = s;
    const rawfunc = raw.replace(/\+0x[\da-f]+$/, "");
    if (rawfunc.startsWith("(")) return;
    const parts = rawfunc.split("->");
    while (parts.length > 0 && parts.at(-1) === "") parts.pop(); // Perl's split drops trailing empty fields
    const inline: string[] = [];
    for (const part of parts) {
      let func = part;
      if (func === "[unknown]") {
        func = mod !== "[unknown]" ? mod.replace(/^[^\n]*\//, "") : "unknown";
        func = this.o.addrs ? `[${func} <${pc}>]` : `[${func}]`;
      }
      func = func.replace(/;/g, ":");
      if (!looksLikeGoMethod(func)) func = func.replace(/\((?!anonymous namespace\))[^\n]*/, "");
      func = func.replace(/["']/g, "");
      if (this.pname!.startsWith("java") && func.includes("/")) func = func.replace(/^L/, "");
      if (inline.length > 0) {
        if (!func.includes("_[i]")) func += "_[i]";
      } else if (this.o.kernel && /^\[|vmlinux$/.test(mod) && !mod.includes("unknown")) {
        func += "_[k]";
      } else if (this.o.jit && /\/tmp\/perf-\d+\.map/.test(mod)) {
        if (!func.includes("_[j]")) func += "_[j]";
      }
      inline.push(func);
    }
    this.stack.unshift(...inline);
  }

  // ---- inferno-collapse-perf ----

  private infernoLine(raw: string): void {
    if (raw.startsWith("#")) return;
    const line = rustTrimEnd(raw);
    if (line === "") return this.infernoEnd();
    if (this.inEvent) return this.infernoStack(line);
    this.infernoEvent(line);
    if (this.frames.length > 0) this.infernoEnd();
  }

  private infernoEvent(line: string): void {
    this.inEvent = true;
    const parts = eventLineParts(line);
    if (parts === null) {
      this.unknownLine(line);
      this.inEvent = false;
      return;
    }
    const [comm, pid, tid, end] = parts;
    const byColons = splitn(line.slice(end), ":", 3).slice(1);
    const periodAndEvent = byColons[0];
    if (periodAndEvent !== undefined) {
      const words = periodAndEvent.split(" ");
      const event = words[words.length - 1]!;
      const period = words.length >= 2 ? words[words.length - 2]! : undefined;
      this.iperiod = period !== undefined && /^\+?\d+$/.test(period) && BigInt(period) < 2n ** 64n ? BigInt(period) : null;
      if (this.eventFilter !== undefined) {
        if (event !== this.eventFilter) {
          if (this.eventDefaulted && this.filterWarned === "") this.filterWarned = event;
          this.skip = true;
          return;
        }
      } else {
        this.eventFilter = event;
        this.eventDefaulted = true;
      }
    }
    let single: string | null = null;
    const postEvent = byColons[1];
    if (postEvent !== undefined) {
      const at = postEvent.search(/[: ]/);
      const rest = rustTrim(postEvent.slice(at === -1 ? 0 : at + 1));
      if (rest !== "") single = rest;
    }
    this.iname = comm.replace(/ /g, "_");
    if (this.o.tid) this.iname += `-${pid}/${tid}`;
    else if (this.o.pid) this.iname += `-${pid}`;
    if (single !== null) {
      this.infernoStack(single);
      this.inEvent = false;
    }
  }

  private infernoStack(line: string): void {
    if (this.skip) return;
    const parts = stackLineParts(line);
    if (parts === null) return this.unknownLine(line);
    const [pc, module] = parts;
    let rawfunc = parts[2];
    const off = rawfunc.lastIndexOf("+0x");
    if (off !== -1 && /^[0-9a-fA-F]*$/.test(rawfunc.slice(off + 3))) rawfunc = rawfunc.slice(0, off);
    if (rawfunc.startsWith("(")) return;
    rawfunc = infernoFixRust(rawfunc);
    const chain: string[] = [];
    for (const part of rawfunc.split("->")) {
      let func = withModuleFallback(module, part, pc, this.o.addrs);
      func = tidyGeneric(func);
      if (this.iname.startsWith("java") && func.startsWith("L") && func.includes("/")) func = func.slice(1);
      if (chain.length > 0) {
        if (!func.includes("_[i]")) func += "_[i]";
      } else if (this.o.kernel && isKernel(module)) {
        func += "_[k]";
      } else if (this.o.jit && ((module.startsWith("/tmp/perf-") && module.endsWith(".map")) || (module.includes("/jitted-") && module.endsWith(".so"))) && !func.includes("_[j]")) {
        func += "_[j]";
      }
      chain.push(func);
    }
    this.frames.unshift(...chain);
  }

  private infernoEnd(): void {
    if (this.frames.length > 0) this.add(`${this.iname};${this.frames.join(";")}`, this.iperiod ?? 1n);
    this.inEvent = false;
    this.skip = false;
    this.frames = [];
    this.iperiod = null;
  }
}

const isPerlSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * `/^(\S.+?)\s+(\d+)\/*(\d+)*\s+/` in linear time: [comm, pid, tid ("" when none)] or null. The
 * lazy comm ends at the first whitespace run (at index ≥ 1) followed by `digits[/…/digits]` and
 * whitespace; every position inside one run gives the same answer, so each run is tried once.
 *
 * @example
 * perlHeader("java 24636/25607 [000] 94564.109216: 100 cycles:"); // ["java", "24636", "25607"]
 */
export function perlHeader(line: string): [string, string, string] | null {
  if (line.length < 2 || isPerlSpace(line.charCodeAt(0))) return null;
  for (let e = 2; e < line.length; e++) {
    if (!isPerlSpace(line.charCodeAt(e))) continue;
    let i = e;
    while (i < line.length && isPerlSpace(line.charCodeAt(i))) i++;
    const pidStart = i;
    while (i < line.length && isDigit(line.charCodeAt(i))) i++;
    const pidEnd = i;
    while (i < line.length && line.charCodeAt(i) === 47) i++;
    const tidStart = i;
    while (i < line.length && isDigit(line.charCodeAt(i))) i++;
    if (pidEnd > pidStart && i < line.length && isPerlSpace(line.charCodeAt(i))) return [line.slice(0, e), line.slice(pidStart, pidEnd), line.slice(tidStart, i)];
    while (e + 1 < line.length && isPerlSpace(line.charCodeAt(e + 1))) e++; // the rest of this run gives the same answer
  }
  return null;
}

/**
 * `/:\s*(\d+)*\s+(\S+):\s*$/` in linear time: [period ("" when none), event] or null. The event is
 * the last word before the final `:`, and the colon that starts the match is the one just
 * before `\s* digits \s+` in front of that word.
 *
 * @example
 * perlEvent("java 1 [000] 1.0:    250000 cpu-clock:ppp: "); // ["250000", "cpu-clock:ppp"]
 */
export function perlEvent(line: string): [string, string] | null {
  let end = line.length;
  while (end > 0 && isPerlSpace(line.charCodeAt(end - 1))) end--;
  if (end < 2 || line.charCodeAt(end - 1) !== 58) return null;
  let w = end - 1;
  while (w > 0 && !isPerlSpace(line.charCodeAt(w - 1))) w--;
  if (w === end - 1 || w === 0) return null; // no word, or nothing before it
  let i = w;
  while (i > 0 && isPerlSpace(line.charCodeAt(i - 1))) i--; // \s+ (at least one: w > 0 and line[w-1] is a space)
  const digitsEnd = i;
  while (i > 0 && isDigit(line.charCodeAt(i - 1))) i--;
  const digitsStart = i;
  if (digitsStart < digitsEnd) while (i > 0 && isPerlSpace(line.charCodeAt(i - 1))) i--; // \s* before the digits
  if (i === 0 || line.charCodeAt(i - 1) !== 58) return null;
  return [line.slice(digitsStart, digitsEnd), line.slice(w, end - 1)];
}

/**
 * `/^\s*(\w+)\s*(.+) \((.*)\)/` in linear time: [pc, rawfunc, module] or null. The greedy `(.+)`
 * ends at the last ` (` that has a `)` after it; when that leaves `(.+)` nothing, the regex gives
 * back whitespace, then characters of the address (a blank symbol takes the address's last digit).
 *
 * @example
 * perlStack("\t7f5338999 main+0x1f (/bin/app)"); // ["7f5338999", "main+0x1f", "/bin/app"]
 */
export function perlStack(line: string): [string, string, string] | null {
  let s = 0;
  while (s < line.length && isPerlSpace(line.charCodeAt(s))) s++;
  let w = s;
  while (w < line.length && isWord(line.charCodeAt(w))) w++;
  if (w === s) return null;
  const close = line.lastIndexOf(")");
  // the last " (" with a ")" after it
  const j = close >= 2 ? line.lastIndexOf(" (", close - 2) : -1;
  if (j < 0) return null;
  const module = line.slice(j + 2, close);
  let t = w;
  while (t < line.length && isPerlSpace(line.charCodeAt(t))) t++;
  if (j >= t + 1) return [line.slice(s, w), line.slice(t, j), module];
  if (j - 1 >= w) return [line.slice(s, w), line.slice(j - 1, j), module]; // \s* gives back one whitespace
  if (j - 1 > s) return [line.slice(s, j - 1), line.slice(j - 1, j), module]; // (\w+) gives back its last character
  return null;
}

/** The Perl script's `$func =~ m/\.\(.*\)\./` (a Go method like `net/http.(*Client).Do`), in linear time. */
function looksLikeGoMethod(func: string): boolean {
  const open = func.indexOf(".(");
  return open >= 0 && func.lastIndexOf(").") >= open + 2;
}

/** Perl's truth of a string: undefined, "" and "0" are false. */
function perlTrue(s: string | undefined): boolean {
  return s !== undefined && s !== "" && s !== "0";
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** UTF-8 byte order (Rust's `String` order): code points, not UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

const RUST_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** Rust's `str::trim_end`: Unicode White_Space (not U+FEFF, unlike JavaScript's trimEnd). A loop: a `…+$` pattern is quadratic in V8. */
function rustTrimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && RUST_SPACE.test(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Rust's `str::splitn(n, sep)`. */
function splitn(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (out.length < n - 1) {
    const at = s.indexOf(sep, from);
    if (at === -1) break;
    out.push(s.slice(from, at));
    from = at + sep.length;
  }
  out.push(s.slice(from));
  return out;
}

/** inferno's event line split: the first all-digit word (`pid` or `pid/tid`) followed by a space. */
function eventLineParts(line: string): [string, string, string, number] | null {
  let wordStart = 0;
  let allDigits = false;
  let lastWasSpace = false;
  let slash = -1;
  for (let idx = 0; idx < line.length; idx++) {
    const c = line[idx]!;
    if (c === " ") {
      if (allDigits && !lastWasSpace) {
        const [pid, tid] = slash !== -1 ? [line.slice(wordStart, slash), line.slice(slash + 1, idx)] : ["?", line.slice(wordStart, idx)];
        return [rustTrim(line.slice(0, wordStart - 1)), pid, tid, idx + 1];
      }
      wordStart = idx + 1;
      allDigits = true;
    } else if (c === "/") {
      if (allDigits) slash = idx;
    } else if (!(c >= "0" && c <= "9")) {
      allDigits = false;
      slash = -1;
    }
    lastWasSpace = c === " ";
  }
  return null;
}

function rustTrim(s: string): string {
  return rustTrimEnd(s).replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, "");
}

/** inferno's stack line split: `pc` up to the first space, `(module)` after the last one. */
function stackLineParts(line: string): [string, string, string] | null {
  const t = line.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, "");
  const sp = t.indexOf(" ");
  if (sp === -1) return null;
  const pc = rustTrimEnd(t.slice(0, sp));
  const rest = t.slice(sp + 1);
  const last = rest.lastIndexOf(" ");
  if (last === -1) return null;
  let module = rest.slice(last + 1);
  if (!module.startsWith("(") || !module.endsWith(")")) return null;
  module = module.slice(1, -1);
  const func = rustTrim(rest.slice(0, last));
  return [pc, module, func === "" ? " " : func];
}

function withModuleFallback(module: string, func: string, pc: string, addrs: boolean): string {
  if (func !== "[unknown]") return func;
  let name: string;
  if (module === "[unknown]") {
    if (!addrs) return func;
    name = "unknown";
  } else name = module.slice(module.lastIndexOf("/") + 1);
  return addrs ? `[${name} <${pc}>]` : `[${name}]`;
}

/** inferno's `tidy_generic`: `;` → `:`, then cut at the first `(` outside `<…>`, `{…}`, `[…]`, unless Go's `.(` or C++'s `(anonymous namespace)`. */
function tidyGeneric(name: string): string {
  const func = name.replace(/;/g, ":");
  let depth = 0;
  let lastDot = -1;
  for (let idx = 0; idx < func.length; idx++) {
    const c = func[idx];
    if (c === "<" || c === "{" || c === "[") depth++;
    else if (c === ">" || c === "}" || c === "]" || c === ")") depth--;
    else if (c === "(") {
      if (depth === 0 && lastDot !== idx && !func.startsWith("(anonymous namespace)", idx)) return func.slice(0, idx);
      depth++;
    } else if (c === ".") lastDot = idx + 1;
  }
  return func;
}

/** inferno's kernel test: `[…]` (not `[unknown]`), `.ko`, or a vmlinux image. */
function isKernel(s: string): boolean {
  const vm = s.lastIndexOf("vmlinux");
  const vmlinux = vm !== -1 && /^[A-Za-z0-9._-]*$/.test(s.slice(vm));
  return (s.startsWith("[") || s.endsWith(".ko") || vmlinux) && s !== "[unknown]";
}

const INFERNO_ESCAPES: [string, string][] = [
  ["$SP$", "@"], ["$BP$", "*"], ["$RF$", "&"], ["$LT$", "<"], ["$GT$", ">"], ["$LP$", "("], ["$RP$", ")"], ["$C$", ","],
  ["$u7e$", "~"], ["$u20$", " "], ["$u27$", "'"], ["$u3d$", "="], ["$u5b$", "["], ["$u5d$", "]"], ["$u7b$", "{"], ["$u7d$", "}"],
  ["$u3b$", ";"], ["$u2b$", "+"], ["$u21$", "!"], ["$u22$", '"'],
];

/** inferno's `fix_partially_demangled_rust_symbol`: only for a name ending in a 17-character `h<hex>` hash. */
function infernoFixRust(symbol: string): string {
  const tail = symbol.slice(-17);
  if (symbol.length < 17 || !/^h[0-9a-fA-F]{16}$/.test(tail)) return symbol;
  let rest = symbol.slice(0, -17);
  if (rest.endsWith("::")) rest = rest.slice(0, -2);
  if (rest.startsWith("_$")) rest = rest.slice(1);
  let out = "";
  while (rest !== "") {
    if (rest.startsWith(".")) {
      if (rest[1] === ".") {
        out += "::";
        rest = rest.slice(2);
      } else {
        out += ".";
        rest = rest.slice(1);
      }
    } else if (rest.startsWith("$")) {
      const esc = INFERNO_ESCAPES.find(([k]) => rest.startsWith(k));
      if (esc === undefined) {
        out += rest;
        break;
      }
      out += esc[1];
      rest = rest.slice(esc[0].length);
    } else {
      const at = rest.search(/[$.]/);
      const upto = at === -1 ? rest.length : at;
      out += rest.slice(0, upto);
      rest = rest.slice(upto);
    }
  }
  return out;
}
