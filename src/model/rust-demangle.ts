// Format: mangled Rust symbols, both manglings rustc emits:
// - legacy (the default for user crates): `_ZN` {<len><ident>} `E`, Itanium-like, the last
//   element a hash `17h<16 hex>`; identifiers escape `<>&*@(),` and other characters as
//   `$LT$ $GT$ $RF$ $BP$ $SP$ $LP$ $RP$ $C$ $u<hex>$` and `::` inside them as `..`;
// - v0 (RFC 2603; std on recent toolchains, 1.95 here): `_R…`, see rust-demangle-v0.ts.
// Windows tools drop the leading `_` (`ZN…`, `R…`), macOS adds one (`__ZN…`, `__R…`). After the
// symbol may come a `.suffix` added by LLVM or the linker (`.llvm.<HEX>` is dropped, any other
// `.cold.1`, `.0`… is kept). Written after rustc-demangle's lib.rs and legacy.rs.
import { demangleV0, MAX_DEMANGLED_LENGTH } from "./rust-demangle-v0.js";

/** How {@link demangleRust} prints a symbol. Every option documents its default. */
export interface DemangleRustOptions {
  /**
   * Keep what tells instances apart: legacy hashes (`::h<16 hex>`), v0 crate disambiguators
   * (`alloc[fdfd2bd8633a6659]`) and the types of const generic arguments (`<3: usize>`), as GNU
   * c++filt prints them. `false` gives the short form flamebook shows (rustc-demangle's `{:#}`).
   * Default: true.
   */
  hashes?: boolean;
}

/**
 * Demangles a whole Rust symbol, legacy (`_ZN…E`) or v0 (`_R…`); null when the text is not a
 * Rust symbol or is malformed. Never throws; the work is bounded (500 levels of nesting,
 * 1,000,000 characters of output, as in rustc-demangle). By default the output is what GNU
 * c++filt 2.40 prints; `{ hashes: false }` leaves out hashes, crate disambiguators and const types.
 *
 * @example
 * demangleRust("_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc");                     // "alloc[fdfd2bd8633a6659]::alloc::realloc"
 * demangleRust("_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc", { hashes: false });  // "alloc::alloc::realloc"
 * demangleRust("_ZN8wordfreq4main17h1b57d1bf1794a36eE");                          // "wordfreq::main::h1b57d1bf1794a36e"
 * demangleRust("_ZN8wordfreq4main17h1b57d1bf1794a36eE", { hashes: false });       // "wordfreq::main"
 * demangleRust("main");                                                          // null
 */
export function demangleRust(symbol: string, opts: DemangleRustOptions = {}): string | null {
  const c = symbol.charCodeAt(0);
  if (c !== 95 /* _ */ && c !== 90 /* Z */ && c !== 82 /* R */) return null; // the common case: not Rust
  try {
    return demangle(symbol, opts.hashes ?? true);
  } catch {
    return null;
  }
}

function demangle(symbol: string, verbose: boolean): string | null {
  let s = symbol;
  // ThinLTO renames internal symbols `<sym>.llvm.<HEX>`: not part of the name.
  const llvm = s.indexOf(".llvm.");
  if (llvm !== -1 && /^[A-F0-9@]*$/.test(s.slice(llvm + 6))) s = s.slice(0, llvm);
  let found: { text: string; end: number } | null = null;
  const legacyAt = s.startsWith("_ZN") ? 3 : s.startsWith("ZN") ? 2 : s.startsWith("__ZN") ? 4 : -1;
  if (legacyAt !== -1) found = demangleLegacy(s, legacyAt, verbose);
  if (found === null) {
    const v0At = s.startsWith("_R") && s.length > 2 ? 2 : s.startsWith("R") && s.length > 1 ? 1 : s.startsWith("__R") && s.length > 3 ? 3 : -1;
    if (v0At === -1) return null;
    const v0 = demangleV0(s.slice(v0At), verbose);
    if (v0 === null) return null;
    found = { text: v0.text, end: v0At + v0.end };
  }
  // Other words LLVM or a linker appends (`.cold.1`, `.0`) are kept, when they look like a symbol's.
  const suffix = s.slice(found.end);
  if (suffix !== "" && !/^\.[\x21-\x7e]*$/.test(suffix)) return null;
  if (found.text === "" || found.text.length > MAX_DEMANGLED_LENGTH) return null;
  return found.text + suffix;
}

/**
 * A legacy symbol from `at` (after `_ZN`): `<len><ident>` elements up to `E`, joined with `::`,
 * escapes undone; the last element is left out when it is a hash `h<hex>` and `verbose` is false.
 */
function demangleLegacy(s: string, at: number, verbose: boolean): { text: string; end: number } | null {
  if (!/^[\x00-\x7f]*$/.test(s)) return null;
  const idents: string[] = [];
  let i = at;
  while (s.charCodeAt(i) !== 69 /* E */) {
    let len = 0;
    let digits = 0;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) {
      len = len * 10 + (c - 48);
      digits++;
      if (len > s.length) return null;
    }
    if (digits === 0 || i + len > s.length) return null; // also the end of the input (NaN)
    idents.push(s.slice(i, i + len));
    i += len;
  }
  const last = idents.length - 1;
  if (last < 0 || (last === 0 && HASH_ELEMENT.test(idents[0]!))) return null; // nothing but a hash
  const parts: string[] = [];
  for (let k = 0; k <= last; k++) {
    if (k === last && !verbose && HASH_ELEMENT.test(idents[k]!)) break;
    parts.push(unescapeLegacy(idents[k]!));
  }
  return { text: parts.join("::"), end: i + 1 };
}

/** The last element of a legacy symbol that the short form leaves out (rustc-demangle's test). */
const HASH_ELEMENT = /^h[0-9a-fA-F]*$/;
const LEGACY_ESCAPES = new Map(Object.entries({ SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," }));

/**
 * One legacy identifier: `..` → `::`, `$LT$`… → `<`…, `$u<hex>$` → the character (not a control
 * character), and the `_` put before a leading `$` dropped. An unknown escape ends the decoding:
 * the rest is printed as it is.
 */
function unescapeLegacy(ident: string): string {
  let rest = ident.startsWith("_$") ? ident.slice(1) : ident;
  let out = "";
  while (rest !== "") {
    if (rest.startsWith(".")) {
      const dots = rest.startsWith("..");
      out += dots ? "::" : ".";
      rest = rest.slice(dots ? 2 : 1);
    } else if (rest.startsWith("$")) {
      const end = rest.indexOf("$", 1);
      if (end === -1) break;
      const escape = rest.slice(1, end);
      let ch = LEGACY_ESCAPES.get(escape);
      if (ch === undefined && /^u[0-9a-f]+$/.test(escape)) {
        const digits = escape.slice(1).replace(/^0+/, "");
        const cp = digits.length <= 8 ? parseInt(digits || "0", 16) : -1;
        const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
        if (valid && !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))) ch = String.fromCodePoint(cp);
      }
      if (ch === undefined) break;
      out += ch;
      rest = rest.slice(end + 1);
    } else {
      const stop = rest.search(/[$.]/);
      if (stop === -1) break;
      out += rest.slice(0, stop);
      rest = rest.slice(stop);
    }
  }
  return out + rest;
}
