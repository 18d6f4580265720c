import { demangleRust } from "./rust-demangle.js";

const HASH = /::h[0-9a-f]{16}(?=$|[^0-9a-zA-Z_])/g;
// What c++filt's v0 output adds to a name: crate disambiguators `alloc[fdfd2bd8633a6659]::`
// (`<f16[0]>`: the new float types are crate roots) and the types of const arguments `<3: usize>`,
// `[u8; 4: usize]`, `<true: bool>`.
const DISAMBIGUATOR = /(?<=[\p{L}\p{N}_])\[[0-9a-f]{1,16}\](?=::|[,;>)\] ]|$)/gu;
const CONST_TYPE = /(?<=[0-9a-f']): (?:[iu](?:8|16|32|64|128|size)|bool|char)(?=[,>\])} ]|$)/g;
// A whole mangled symbol, perhaps with perf's `+0x1f` offset.
const MANGLED = /^(?:_{0,2}ZN|_{0,2}R)[0-9A-Za-z_$.@]*(?:\+0x[0-9a-f]+)?$/;
const OFFSET = /\+0x[0-9a-f]+$/;
const CLOSURE = /\{\{closure\}\}|\{closure#\d+\}/g;

/** Which parts of a Rust name {@link cleanRustName} removes. Every option documents its default. */
export interface CleanRustNameOptions {
  /**
   * Remove legacy-mangling hashes `::h<16 hex>`, and what c++filt prints in v0 names: crate
   * disambiguators `alloc[fdfd2bd8633a6659]` and the types of const arguments `<3: usize>`. Default: true.
   */
  hashes?: boolean;
  /** Remove generic arguments (`Vec<T,A>::push` → `Vec::push`), keeping `<T as Trait>` qualifiers. Default: false. */
  generics?: boolean;
  /** Write closures as `{closure}` (`{{closure}}`, `{closure#0}` → `{closure}`). Default: false. */
  closures?: boolean;
  /**
   * Finish legacy symbols that a C++ demangler left half done (`_$LT$std..io..BufReader$LT$R$GT$$GT$::new`
   * → `<std::io::BufReader<R>>::new`; see {@link demangleLegacyEscapes}). Default: true.
   */
  escapes?: boolean;
}

/**
 * Makes a Rust symbol readable: a whole mangled symbol (`_ZN…E`, v0 `_R…`, perhaps with perf's
 * `+0x…` offset, which is dropped) is demangled (see {@link demangleRust}); hashes (`::h<16 hex>`,
 * v0 crate disambiguators) are removed wherever they occur; optionally generic arguments and
 * closure numbers too; `<T as Trait>::method` stays readable.
 *
 * @example
 * cleanRustName("wordfreq::process::process::h1a2b3c4d5e6f7081");                 // "wordfreq::process::process"
 * cleanRustName("_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc");                      // "alloc::alloc::realloc"
 * cleanRustName("alloc[fdfd2bd8633a6659]::alloc::realloc");                       // "alloc::alloc::realloc"
 * cleanRustName("alloc::vec::Vec<T,A>::extend_trusted", { generics: true });       // "alloc::vec::Vec::extend_trusted"
 * cleanRustName("<alloc::vec::Vec<u8> as core::fmt::Write>::write_str", { generics: true }); // "<alloc::vec::Vec as core::fmt::Write>::write_str"
 */
export function cleanRustName(name: string, opts: CleanRustNameOptions = {}): string {
  const hashes = opts.hashes ?? true;
  let out = demangleWhole(name, hashes) ?? ((opts.escapes ?? true) ? demangleLegacyEscapes(name) : name);
  if (hashes) {
    if (out.includes("::h")) out = out.replace(HASH, "");
    if (out.includes("]")) out = out.replace(DISAMBIGUATOR, "");
    if (out.includes(": ")) out = out.replace(CONST_TYPE, "");
  }
  if (opts.generics) out = removeGenerics(out);
  if (opts.closures) out = out.replace(CLOSURE, "{closure}");
  return out;
}

/** A whole mangled Rust symbol demangled, without hashes when `hashes` (remove them) is set; else null. */
function demangleWhole(name: string, hashes: boolean): string | null {
  if (!MANGLED.test(name)) return null;
  return demangleRust(name.replace(OFFSET, ""), { hashes: !hashes });
}

/**
 * Removes `<…>` generic argument lists (also turbofish `::<…>`), keeping the `<A as B>`
 * qualified-path brackets that start a name.
 */
function removeGenerics(name: string): string {
  let out = "";
  let depth = 0; // depth inside removed generic arguments
  const keep: boolean[] = []; // for each open '<', whether it is kept
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === "<") {
      // a `<A as B>` qualifier starts the name (or directly follows another one: `<<A as B> as C>`)
      const qualifier = depth === 0 && (i === 0 || name[i - 1] === "<");
      keep.push(qualifier);
      if (qualifier) out += c;
      else depth++;
    } else if (c === ">" && keep.length > 0 && name[i - 1] !== "-") {
      const kept = keep.pop()!;
      if (kept) out += c;
      else depth--;
    } else if (depth === 0) out += c;
  }
  return out.replace(/::::/g, "::").replace(/::$/, "");
}

// The escapes of Rust's legacy mangling (rustc's `legacy.rs`): `$LT$` `<`, `$u7b$` `{`, …
const ESCAPES: Record<string, string> = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };
const ESCAPE = /\$(SP|BP|RF|LT|GT|LP|RP|C|u[0-9a-f]{1,6})\$/g;
const HAS_ESCAPE = /\$(?:SP|BP|RF|LT|GT|LP|RP|C|u[0-9a-f]{1,6})\$/;
const LEGACY_HASH = /::h[0-9a-f]{16}$/;

/**
 * Finishes a legacy-mangled Rust symbol that a demangler without Rust support (old perf,
 * `c++filt -s gnu-v3`) left half done: the path is split on `::`, but the escapes `$LT$`, `$GT$`,
 * `$RF$`, `$C$`, `$u20$`…, the `..` path separators inside them, and the `_` that legacy mangling
 * puts before a component starting with `$` are still there. Names without such escapes (and
 * without a `::h<hash>` suffix when they only have `..`) are returned as they are, so C, C++ and
 * fully demangled Rust names are never touched.
 *
 * @example
 * demangleLegacyEscapes("_$LT$std..io..BufReader$LT$R$GT$$GT$::new::h1a2b3c4d5e6f7081"); // "<std::io::BufReader<R>>::new::h1a2b3c4d5e6f7081"
 * demangleLegacyEscapes("rg::main::_$u7b$$u7b$closure$u7d$$u7d$");                       // "rg::main::{{closure}}"
 * demangleLegacyEscapes("std::rt::lang_start");                                          // unchanged
 */
export function demangleLegacyEscapes(name: string): string {
  if (!name.includes("$") && !name.includes("..")) return name;
  if (!HAS_ESCAPE.test(name) && !(name.includes("..") && LEGACY_HASH.test(name))) return name;
  // `_$` starts a component whose first character was escaped: drop the `_`
  const unprefixed = name.replace(/(^|::)_(?=\$)/g, "$1");
  return unprefixed.replace(/\.\./g, "::").replace(ESCAPE, (_, e: string) => {
    if (e[0] !== "u") return ESCAPES[e]!;
    const cp = parseInt(e.slice(1), 16);
    return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : `$${e}$`;
  });
}
