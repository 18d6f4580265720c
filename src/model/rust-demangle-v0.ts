// Format: Rust's v0 symbol mangling (RFC 2603, "Rust Symbol Mangling (v0)"), as rustc emits it
// for std on recent toolchains (1.95 here) and for any crate built with `-C symbol-mangling-version=v0`:
//   symbol  = "_R" path [instantiating-crate path] ["." suffix]
//   path    = "C" [disambiguator] ident                  crate root
//           | "N" namespace path [disambiguator] ident   nested (closures "C", shims "S", …)
//           | "M" impl-path type | "X" impl-path type path | "Y" type path   impls, <T as Trait>
//           | "I" path {generic-arg} "E" | backref
//   type    = basic | "R"/"Q" [lifetime] type | "P"/"O" type | "A" type const | "S" type
//           | "T" {type} "E" | "F" fn-sig | "D" dyn-bounds lifetime | "W" type pattern | path | backref
//   const   = "p" | int/bool/char leaf (hex nibbles "_") | "e" str | "R"/"Q" const | "A"/"T" {const} "E"
//           | "V" path fields | backref
//   numbers are base 62 ("_" is 0, "<digits>_" is value+1), backrefs `B<n>` point at an earlier
//   position of the symbol, identifiers are `<len>[_]<bytes>`, `u` marks Punycode.
// Written after the RFC and rustc-demangle's v0.rs (its limits: 500 levels of nesting, 1,000,000
// characters of output); the printed forms follow GNU c++filt (libiberty) when `verbose` and
// rustc-demangle's `{:#}` otherwise.

/** Nesting (paths, types, consts, backrefs followed) beyond this is rejected, as rustc-demangle does. */
export const MAX_DEMANGLE_DEPTH = 500;
/** Demangled text longer than this (in UTF-16 units) is rejected, as rustc-demangle does (bytes). */
export const MAX_DEMANGLED_LENGTH = 1_000_000;

/** What a v0 demangling found: the text, and where the symbol's path ended in the input. */
export interface V0Demangled {
  /** The demangled path. */
  text: string;
  /** Index in the input after the path (and the instantiating crate, if any): the suffix starts here. */
  end: number;
}

const U64_MAX = (1n << 64n) - 1n;

/** Thrown inside the printer on malformed input; never leaves this module. */
const MALFORMED: unique symbol = Symbol("malformed v0 symbol");

const BASIC_TYPES: Partial<Record<string, string>> = {
  b: "bool", c: "char", e: "str", u: "()", a: "i8", s: "i16", l: "i32", x: "i64", n: "i128", i: "isize",
  h: "u8", t: "u16", m: "u32", y: "u64", o: "u128", j: "usize", f: "f32", d: "f64", z: "!", p: "_", v: "...",
};
const UNSIGNED = "htmyoj";
const SIGNED = "aslxni";

/** An identifier: its ASCII part and, for `u` identifiers, the Punycode deltas. */
interface Ident {
  ascii: string;
  punycode: string;
}

/**
 * Demangles the part of a v0 symbol after its `_R` prefix. Returns null when it is malformed,
 * nests deeper than {@link MAX_DEMANGLE_DEPTH} or prints more than {@link MAX_DEMANGLED_LENGTH}.
 * `verbose` prints what c++filt prints (crate disambiguators `[hex]`, typed consts `3: usize`);
 * otherwise rustc-demangle's alternate form (`{:#}`) without them.
 *
 * @example
 * demangleV0("NvNtCslNYArtu3iFV_5alloc5alloc7realloc", true);  // { text: "alloc[fdfd2bd8633a6659]::alloc::realloc", end: 38 }
 * demangleV0("NvNtCslNYArtu3iFV_5alloc5alloc7realloc", false); // { text: "alloc::alloc::realloc", end: 38 }
 */
export function demangleV0(inner: string, verbose: boolean): V0Demangled | null {
  if (!/^[A-Z][\x00-\x7f]*$/.test(inner)) return null;
  try {
    // First walk the grammar without printing (backrefs are checked, not followed), to find the
    // end of the path and of the optional instantiating crate, as rustc-demangle does.
    const check = new V0Printer(inner, verbose, false);
    check.path(false);
    if (isUpper(inner.charCodeAt(check.pos))) check.path(false);
    const print = new V0Printer(inner, verbose, true);
    print.path(true);
    if (!print.named) return null; // nothing but crate disambiguators (`_RC0`): no name to show
    return { text: print.out, end: check.pos };
  } catch {
    return null; // MALFORMED, or a RangeError from a stack too small for the depth limit
  }
}

const isUpper = (c: number) => c >= 65 && c <= 90;

/** `x + 1` within a u64. */
function plusOne(x: bigint): bigint {
  if (x + 1n > U64_MAX) throw MALFORMED;
  return x + 1n;
}

/** Reads and prints one symbol; every method consumes its production or throws MALFORMED. */
class V0Printer {
  pos = 0;
  out = "";
  /** Whether anything but a crate disambiguator was printed. */
  named = false;
  private depth = 0;
  /** Lifetimes bound by the `for<…>` binders around the current position (tracked only when printing). */
  private bound = 0;

  constructor(
    private readonly sym: string,
    private readonly verbose: boolean,
    private printing: boolean,
  ) {}

  // ---- reading ----

  private eat(c: string): boolean {
    if (this.sym.charAt(this.pos) !== c) return false;
    this.pos++;
    return true;
  }

  private next(): string {
    if (this.pos >= this.sym.length) throw MALFORMED;
    return this.sym.charAt(this.pos++);
  }

  private enter(): void {
    if (++this.depth > MAX_DEMANGLE_DEPTH) throw MALFORMED;
  }

  private leave(): void {
    this.depth--;
  }

  /**
   * `_` is 0; `<base-62 digits>_` is their value + 1, a u64: a number while it is below 2^53
   * (always, in practice), a bigint beyond.
   */
  private integer62(): number | bigint {
    if (this.eat("_")) return 0;
    let x = 0;
    let big: bigint | null = null;
    for (;;) {
      const c = this.sym.charCodeAt(this.pos);
      if (c === 95) break;
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 122) d = c - 97 + 10;
      else if (c >= 65 && c <= 90) d = c - 65 + 36;
      else throw MALFORMED; // also the end of the input (NaN)
      this.pos++;
      if (big === null) {
        x = x * 62 + d;
        if (x >= 2 ** 47) big = BigInt(x); // one more digit could pass 2^53
      } else {
        big = big * 62n + BigInt(d);
        if (big > U64_MAX) throw MALFORMED;
      }
    }
    this.pos++;
    return big === null ? x + 1 : plusOne(big);
  }

  /** 0 when `tag` is absent, else the integer after it + 1. */
  private optInteger62(tag: string): number | bigint {
    if (!this.eat(tag)) return 0;
    const x = this.integer62();
    return typeof x === "number" ? x + 1 : plusOne(x);
  }

  /** Lowercase hex digits up to `_` (consts). */
  private hexNibbles(): string {
    const start = this.pos;
    for (;;) {
      const c = this.next();
      if (c === "_") return this.sym.slice(start, this.pos - 1);
      if (!((c >= "0" && c <= "9") || (c >= "a" && c <= "f"))) throw MALFORMED;
    }
  }

  private ident(): Ident {
    const puny = this.eat("u");
    let c = this.sym.charCodeAt(this.pos);
    if (!(c >= 48 && c <= 57)) throw MALFORMED;
    this.pos++;
    let len = c - 48;
    if (len !== 0) {
      while ((c = this.sym.charCodeAt(this.pos)) >= 48 && c <= 57) {
        len = len * 10 + (c - 48);
        if (len > this.sym.length) throw MALFORMED; // also keeps `len` exact
        this.pos++;
      }
    }
    this.eat("_");
    const start = this.pos;
    if (start + len > this.sym.length) throw MALFORMED;
    this.pos += len;
    const text = this.sym.slice(start, this.pos);
    if (!puny) return { ascii: text, punycode: "" };
    const sep = text.lastIndexOf("_");
    const ident = sep === -1 ? { ascii: "", punycode: text } : { ascii: text.slice(0, sep), punycode: text.slice(sep + 1) };
    if (ident.punycode === "") throw MALFORMED;
    return ident;
  }

  /** Runs `f` at the target of the backref whose `B` was just read; only checks it when not printing. */
  private backref(f: () => void): void {
    const tagAt = this.pos - 1;
    const target = this.integer62();
    if (Number(target) >= tagAt) throw MALFORMED; // backrefs point strictly backwards
    if (this.depth + 1 > MAX_DEMANGLE_DEPTH) throw MALFORMED; // checked even when not followed, as rustc-demangle does
    if (!this.printing) return;
    const saved = this.pos;
    this.pos = Number(target);
    this.enter();
    f();
    this.leave();
    this.pos = saved;
  }

  // ---- printing ----

  private emit(s: string): void {
    if (!this.printing || s === "") return;
    this.named = true;
    this.out += s;
    if (this.out.length > MAX_DEMANGLED_LENGTH) throw MALFORMED;
  }

  private emitIdent(id: Ident): void {
    if (!this.printing) return;
    if (id.punycode === "") return this.emit(id.ascii);
    const decoded = decodePunycode(id.ascii, id.punycode);
    if (decoded !== null) this.emit(decoded);
    else this.emit(`punycode{${id.ascii === "" ? "" : id.ascii + "-"}${id.punycode}}`);
  }

  private withoutPrinting(f: () => void): void {
    const was = this.printing;
    this.printing = false;
    f();
    this.printing = was;
  }

  /** Prints elements until `E`, separated by `sep`; returns how many. */
  private list(f: () => void, sep: string): number {
    let n = 0;
    while (!this.eat("E")) {
      if (n > 0) this.emit(sep);
      f();
      n++;
    }
    return n;
  }

  /** `'_` for 0, else the lifetime bound by the `lt`-th enclosing binder (`'a`, `'b`, … `'_26`). */
  private lifetime(lt: number | bigint): void {
    if (!this.printing) return;
    this.emit("'");
    if (lt === 0) return this.emit("_");
    const depth = this.bound - Number(lt);
    if (depth < 0) throw MALFORMED;
    this.emit(depth < 26 ? String.fromCharCode(97 + depth) : `_${depth}`);
  }

  /** An optional `G` binder: prints `for<'a, 'b> ` and makes those lifetimes visible to `f`. */
  private binder(f: () => void): void {
    const count = this.optInteger62("G");
    if (!this.printing) return f();
    const n = Number(count); // a huge count ends at the output limit
    if (n > 0) {
      this.emit("for<");
      for (let i = 0; i < n; i++) {
        if (i > 0) this.emit(", ");
        this.bound++;
        this.lifetime(1);
      }
      this.emit("> ");
    }
    f();
    this.bound -= n;
  }

  path(inValue: boolean): void {
    this.enter();
    const tag = this.next();
    switch (tag) {
      case "C": {
        const dis = this.optInteger62("s");
        this.emitIdent(this.ident());
        if (this.verbose && this.printing) this.out += `[${dis.toString(16)}]`; // not a name: see `named`
        break;
      }
      case "N": {
        const ns = this.next();
        const special = ns >= "A" && ns <= "Z";
        if (!special && !(ns >= "a" && ns <= "z")) throw MALFORMED;
        this.path(inValue);
        const dis = this.optInteger62("s");
        const name = this.ident();
        const named = name.ascii !== "" || name.punycode !== "";
        if (special) {
          this.emit(`::{${ns === "C" ? "closure" : ns === "S" ? "shim" : ns}`);
          if (named) {
            this.emit(":");
            this.emitIdent(name);
          }
          this.emit(`#${dis}}`);
        } else if (named) {
          this.emit("::");
          this.emitIdent(name);
        }
        break;
      }
      case "M":
      case "X":
      case "Y":
        if (tag !== "Y") {
          this.optInteger62("s");
          this.withoutPrinting(() => this.path(false)); // the impl's own path is not shown
        }
        this.emit("<");
        this.type();
        if (tag !== "M") {
          this.emit(" as ");
          this.path(false);
        }
        this.emit(">");
        break;
      case "I":
        this.path(inValue);
        this.emit(inValue ? "::<" : "<");
        this.list(() => this.genericArg(), ", ");
        this.emit(">");
        break;
      case "B":
        this.backref(() => this.path(inValue));
        break;
      default:
        throw MALFORMED;
    }
    this.leave();
  }

  private genericArg(): void {
    if (this.eat("L")) this.lifetime(this.integer62());
    else if (this.eat("K")) this.constant(false);
    else this.type();
  }

  private type(): void {
    const tag = this.next();
    const basic = BASIC_TYPES[tag];
    if (basic !== undefined) return this.emit(basic);
    this.enter();
    switch (tag) {
      case "R":
      case "Q":
        this.emit("&");
        if (this.eat("L")) {
          const lt = this.integer62();
          if (lt !== 0) {
            this.lifetime(lt);
            this.emit(" ");
          }
        }
        if (tag === "Q") this.emit("mut ");
        this.type();
        break;
      case "P":
      case "O":
        this.emit(tag === "P" ? "*const " : "*mut ");
        this.type();
        break;
      case "A":
      case "S":
        this.emit("[");
        this.type();
        if (tag === "A") {
          this.emit("; ");
          this.constant(true);
        }
        this.emit("]");
        break;
      case "T": {
        this.emit("(");
        if (this.list(() => this.type(), ", ") === 1) this.emit(",");
        this.emit(")");
        break;
      }
      case "F":
        this.binder(() => this.fnSig());
        break;
      case "D": {
        this.emit("dyn ");
        this.binder(() => void this.list(() => this.dynTrait(), " + "));
        if (!this.eat("L")) throw MALFORMED;
        const lt = this.integer62();
        if (lt !== 0) {
          this.emit(" + ");
          this.lifetime(lt);
        }
        break;
      }
      case "B":
        this.backref(() => this.type());
        break;
      case "W":
        this.type();
        this.emit(" is ");
        this.pattern();
        break;
      default:
        this.pos--; // a path: let `path` read the tag
        this.path(false);
    }
    this.leave();
  }

  /** `[U] [K abi] {type} E return-type` of a fn pointer; the binder was read by the caller. */
  private fnSig(): void {
    const unsafe = this.eat("U");
    let abi: string | null = null;
    if (this.eat("K")) {
      if (this.eat("C")) abi = "C";
      else {
        const id = this.ident();
        if (id.ascii === "" || id.punycode !== "") throw MALFORMED;
        abi = id.ascii.split("_").join("-"); // `C-unwind` is mangled `C_unwind`
      }
    }
    if (unsafe) this.emit("unsafe ");
    if (abi !== null) this.emit(`extern "${abi}" `);
    this.emit("fn(");
    this.list(() => this.type(), ", ");
    this.emit(")");
    if (!this.eat("u")) {
      this.emit(" -> ");
      this.type();
    }
  }

  /** One trait of a `dyn`, with its associated-item bindings inside its `<…>`: `Iterator<Item = u32>`. */
  private dynTrait(): void {
    let open = this.pathMaybeOpenGenerics();
    while (this.eat("p")) {
      this.emit(open ? ", " : "<");
      open = true;
      this.emitIdent(this.ident());
      this.emit(" = ");
      if (this.eat("K")) this.constant(false);
      else this.type();
    }
    if (open) this.emit(">");
  }

  /** A path whose generic arguments, if it has any, are left open (no `>`); says whether they are. */
  private pathMaybeOpenGenerics(): boolean {
    if (this.eat("B")) {
      let open = false;
      this.backref(() => (open = this.pathMaybeOpenGenerics()));
      return open;
    }
    if (this.eat("I")) {
      this.path(false);
      this.emit("<");
      this.list(() => this.genericArg(), ", ");
      return true;
    }
    this.path(false);
    return false;
  }

  /** The pattern of a pattern type (`u32 is 1..=9`). */
  private pattern(): void {
    const tag = this.next();
    if (tag === "R") {
      this.constant(false);
      this.emit("..=");
      this.constant(false);
    } else if (tag === "O") {
      this.enter();
      this.pattern();
      while (!this.eat("E")) {
        this.emit(" | ");
        this.pattern();
      }
      this.leave();
    } else if (tag === "N") this.emit("!null");
    else throw MALFORMED;
  }

  /** A const generic argument or array length; `inValue` when nested in another const (no braces). */
  private constant(inValue: boolean): void {
    const tag = this.next();
    this.enter();
    let braced = false;
    const brace = () => {
      if (inValue) return;
      braced = true;
      this.emit("{");
    };
    if (tag === "p") this.emit("_");
    else if (UNSIGNED.includes(tag)) this.constUint(tag);
    else if (SIGNED.includes(tag)) {
      if (this.eat("n")) this.emit("-");
      this.constUint(tag);
    } else if (tag === "b") {
      const v = hexValue(this.hexNibbles());
      if (v !== 0n && v !== 1n) throw MALFORMED;
      this.emit(v === 1n ? "true" : "false");
      if (this.verbose) this.emit(": bool");
    } else if (tag === "c") {
      const v = hexValue(this.hexNibbles());
      if (v === null || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) throw MALFORMED;
      this.emit(this.verbose ? quoteCharLikeCxxfilt(Number(v)) : `'${escapeDebug(String.fromCodePoint(Number(v)), "'")}'`);
      if (this.verbose) this.emit(": char");
    } else if (tag === "e") {
      brace();
      this.emit("*");
      this.constStr();
    } else if (tag === "R" || tag === "Q") {
      if (tag === "R" && this.eat("e")) this.constStr(); // `"…"`, not `&*"…"`
      else {
        brace();
        this.emit(tag === "R" ? "&" : "&mut ");
        this.constant(true);
      }
    } else if (tag === "A") {
      brace();
      this.emit("[");
      this.list(() => this.constant(true), ", ");
      this.emit("]");
    } else if (tag === "T") {
      brace();
      this.emit("(");
      if (this.list(() => this.constant(true), ", ") === 1) this.emit(",");
      this.emit(")");
    } else if (tag === "V") {
      brace();
      this.path(true);
      const kind = this.next();
      if (kind === "T") {
        this.emit("(");
        this.list(() => this.constant(true), ", ");
        this.emit(")");
      } else if (kind === "S") {
        this.emit(" { ");
        this.list(() => {
          this.optInteger62("s");
          this.emitIdent(this.ident());
          this.emit(": ");
          this.constant(true);
        }, ", ");
        this.emit(" }");
      } else if (kind !== "U") throw MALFORMED;
    } else if (tag === "B") this.backref(() => this.constant(inValue));
    else throw MALFORMED;
    if (braced) this.emit("}");
    this.leave();
  }

  /** An integer leaf: decimal when it fits 64 bits, else `0x` and the digits as written. */
  private constUint(tag: string): void {
    const hex = this.hexNibbles();
    const v = hexValue(hex);
    this.emit(v === null ? `0x${hex}` : v.toString());
    if (this.verbose) this.emit(`: ${BASIC_TYPES[tag]}`);
  }

  /** A `str` const: UTF-8 bytes as hex pairs, printed as a quoted, escaped literal. */
  private constStr(): void {
    const hex = this.hexNibbles();
    if (hex.length % 2 !== 0) throw MALFORMED;
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      throw MALFORMED;
    }
    this.emit(`"${escapeDebug(text, '"')}"`);
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The value of lowercase hex digits (leading zeros ignored), or null beyond 64 bits. */
function hexValue(hex: string): bigint | null {
  const digits = hex.replace(/^0+/, "");
  if (digits.length > 16) return null;
  return digits === "" ? 0n : BigInt(`0x${digits}`);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const GRAPHEME_EXTEND = /\p{Grapheme_Extend}/u;

/**
 * Rust's `char::escape_debug` for each character, as rustc-demangle prints char and str consts;
 * the quote that does not delimit the literal stays unescaped.
 */
function escapeDebug(text: string, quote: "'" | '"'): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\0") out += "\\0";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (cp < 0x7f ? cp < 0x20 : GRAPHEME_EXTEND.test(ch) || (ch !== " " && NOT_PRINTABLE.test(ch))) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** A char const as GNU c++filt 2.40 prints it: `\t` `\r` `\n`, ASCII from `!` to `}` as is, else `\u{hex}`. */
function quoteCharLikeCxxfilt(cp: number): string {
  if (cp === 9) return "'\\t'";
  if (cp === 13) return "'\\r'";
  if (cp === 10) return "'\\n'";
  if (cp > 0x20 && cp < 0x7e) return `'${String.fromCharCode(cp)}'`;
  return `'\\u{${cp.toString(16)}}'`;
}

/**
 * Decodes the Punycode of a `u` identifier (RFC 3492, with `_` as the delimiter rustc uses):
 * the ASCII part, then the insertions. Null when it is invalid or longer than 128 characters
 * (rustc-demangle's bound; the caller then prints `punycode{…}`).
 */
function decodePunycode(ascii: string, deltas: string): string | null {
  const out = Array.from(ascii);
  if (out.length > 128) return null;
  const BASE = 36;
  const T_MIN = 1;
  const T_MAX = 26;
  const LIMIT = 2 ** 40; // larger deltas can only give code points beyond U+10FFFF
  let damp = 700;
  let bias = 72;
  let i = 0;
  let n = 0x80;
  let at = 0;
  for (;;) {
    let delta = 0;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      const t = Math.min(Math.max(k - bias, T_MIN), T_MAX);
      if (at >= deltas.length) return null;
      const c = deltas.charCodeAt(at++);
      const d = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 48 + 26 : -1;
      if (d < 0) return null;
      delta += d * w;
      if (delta > LIMIT) return null;
      if (d < t) break;
      w *= BASE - t;
      if (w > LIMIT) return null;
    }
    const len = out.length + 1;
    i += delta;
    n += Math.floor(i / len);
    i %= len;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    if (out.length >= 128) return null;
    out.splice(i, 0, String.fromCodePoint(n));
    i++;
    if (at === deltas.length) return out.join("");
    delta = Math.floor(delta / damp);
    damp = 2;
    delta += Math.floor(delta / len);
    let k = 0;
    while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
      delta = Math.floor(delta / (BASE - T_MIN));
      k += BASE;
    }
    bias = k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + 38));
  }
}
