const HASH = /::h[0-9a-f]{16}(?=$|[^0-9a-zA-Z_])/g;
const CLOSURE = /\{\{closure\}\}|\{closure#\d+\}/g;

/** Which parts of a Rust name {@link cleanRustName} removes. Every option documents its default. */
export interface CleanRustNameOptions {
  /** Remove legacy-mangling hashes `::h<16 hex>`. Default: true. */
  hashes?: boolean;
  /** Remove generic arguments (`Vec<T,A>::push` → `Vec::push`), keeping `<T as Trait>` qualifiers. Default: false. */
  generics?: boolean;
  /** Write closures as `{closure}` (`{{closure}}`, `{closure#0}` → `{closure}`). Default: false. */
  closures?: boolean;
}

/**
 * Makes a demangled Rust symbol readable: removes hashes (`::h<16 hex>`) wherever they occur,
 * and optionally generic arguments and closure numbers; `<T as Trait>::method` stays readable.
 *
 * @example
 * cleanRustName("wordfreq::process::process::h1a2b3c4d5e6f7081");                 // "wordfreq::process::process"
 * cleanRustName("alloc::vec::Vec<T,A>::extend_trusted", { generics: true });       // "alloc::vec::Vec::extend_trusted"
 * cleanRustName("<alloc::vec::Vec<u8> as core::fmt::Write>::write_str", { generics: true }); // "<alloc::vec::Vec as core::fmt::Write>::write_str"
 */
export function cleanRustName(name: string, opts: CleanRustNameOptions = {}): string {
  let out = (opts.hashes ?? true) && name.includes("::h") ? name.replace(HASH, "") : name;
  if (opts.generics) out = removeGenerics(out);
  if (opts.closures) out = out.replace(CLOSURE, "{closure}");
  return out;
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
