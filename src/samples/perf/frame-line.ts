// Format: one call-chain line of Linux `perf script` text (perf-script(1)), after its address:
// `sym[+off] (dso)`, `sym (inlined)` for perf's own inline unwinding, `[unknown] (dso)`,
// `(dso)` with a blank symbol, `sym` without a dso (`-F ip,sym`), or nothing (`-F ip`). JIT
// agents write inline chains into one symbol (`Lfoo;::a->Lbar;::b`, perf-map-agent's unfoldall).
import { demangleRust } from "../../model/rust-demangle.js";
import { cleanRustName, demangleLegacyEscapes } from "../../model/rust-names.js";

/** How {@link parseFrameText} names frames. */
export interface FrameTextOptions {
  /** Strip Rust hashes and crate disambiguators (see cleanRustName). Default: false. */
  cleanNames?: boolean;
  /** Name unresolved frames with their address, `[libc.so.6 <7f12ab>]`, like stackcollapse-perf --addrs. Default: false. */
  addrs?: boolean;
}

/** One frame line, parsed. */
export interface FrameText {
  /** The frame's names, outermost (the physical frame) first; more than one for an inline chain `a->b`. */
  names: string[];
  /** The dso, "" when the line has none (or perf printed `[unknown]`/`unknown`). */
  module: string;
  /** Marked `(inlined)` by perf. */
  inlined: boolean;
}

const OFFSET = /\+0x[0-9a-f]+$/;

/**
 * Splits `sym+off (dso)` into names and module. The dso is the last balanced `(…)` group after a
 * space (paths like `(/bin/x (deleted))` nest); the `+0x…` offset is dropped; mangled Rust
 * symbols are demangled as c++filt prints them (`_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc` →
 * `alloc[fdfd2bd8633a6659]::alloc::realloc`; with `cleanNames`, `alloc::alloc::realloc`) and
 * half-demangled legacy names finished (`_$LT$std..io..Stdin$GT$` → `<std::io::Stdin>`); an unresolved
 * frame is named after its binary (`[libc.so.6]`, or `[unknown]`), with its address when `addrs`
 * is set. Inline chains `a->b` are split (never at ` -> `, which Rust and C++ types print with
 * spaces, nor at `operator->`).
 *
 * @example
 * parseFrameText("main+0x1f (/tmp/app)", "55d0c1a2").names; // ["main"]
 * parseFrameText("[unknown] (/usr/lib/libc.so.6)", "7f12", { addrs: true }).names; // ["[libc.so.6 <7f12>]"]
 */
export function parseFrameText(text: string, addr: string, opts: FrameTextOptions = {}): FrameText {
  let sym = text.trimEnd();
  let module = "";
  if (sym.endsWith(")")) {
    let depth = 0;
    let k = sym.length - 1;
    for (; k >= 0; k--) {
      const ch = sym.charCodeAt(k);
      if (ch === 41) depth++;
      else if (ch === 40 && --depth === 0) break;
    }
    if (k === 0) {
      // `(dso)` alone: a blank symbol
      module = sym.slice(1, -1);
      sym = "";
    } else if (k > 0 && (sym.charCodeAt(k - 1) === 32 || sym.charCodeAt(k - 1) === 9)) {
      module = sym.slice(k + 1, -1);
      sym = sym.slice(0, k).trimEnd();
    }
  }
  const inlined = module === "inlined";
  if (inlined || module === "unknown" || module === "[unknown]") module = "";
  const bare = sym.replace(OFFSET, "");
  if (bare === "" || bare === "[unknown]") return { names: [unresolvedName(module, addr, opts.addrs)], module, inlined };
  // Rust symbols that perf left mangled (`_R…`: perf without a v0 demangler, `--no-demangle`) or
  // half done (`_$LT$…$GT$`) are always demangled; cleanNames also drops the hashes.
  const names = module !== "" && !inlined ? splitInlineChain(bare) : [bare];
  return { names: names.map(opts.cleanNames ? (n) => cleanRustName(n) : demangleFrameName), module, inlined };
}

/** A whole mangled Rust symbol demangled (c++filt's form), else half-demangled legacy escapes finished. */
function demangleFrameName(name: string): string {
  return demangleRust(name) ?? demangleLegacyEscapes(name);
}

/** Like stackcollapse-perf: an unresolved frame is named after its binary, else `[unknown]`. */
function unresolvedName(module: string, addr: string, addrs: boolean | undefined): string {
  const base = module.slice(module.lastIndexOf("/") + 1) || "unknown";
  return addrs && addr !== "" ? `[${base} <${addr}>]` : `[${base}]`;
}

/**
 * Splits a JIT agent's inline chain `outer->inner->innermost` (outermost first). Only `->`
 * between two non-space characters splits, and not the C++ `operator->`.
 *
 * @example
 * splitInlineChain("Lfoo;::a->Lbar;::b"); // ["Lfoo;::a", "Lbar;::b"]
 * splitInlineChain("<fn() -> u8 as Fn>::call"); // ["<fn() -> u8 as Fn>::call"]
 */
export function splitInlineChain(name: string): string[] {
  if (!name.includes("->")) return [name];
  const out: string[] = [];
  let from = 0;
  for (let at = name.indexOf("->"); at !== -1; at = name.indexOf("->", at + 2)) {
    const before = name.charCodeAt(at - 1);
    const after = name.charCodeAt(at + 2);
    if (at === 0 || at + 2 >= name.length || before === 32 || after === 32 || name.endsWith("operator", at) || after === 42 /* ->* */) continue;
    out.push(name.slice(from, at));
    from = at + 2;
  }
  out.push(name.slice(from));
  return out.some((n) => n === "") ? [name] : out;
}
