const HASH = /::h[0-9a-f]{16}(?=$|[^0-9a-zA-Z_])/g;

/**
 * Makes a demangled Rust symbol readable: removes the legacy-mangling hash suffix
 * (`::h<16 hex>`) wherever it occurs, and keeps `<T as Trait>::method` as it is.
 *
 * @example
 * cleanRustName("wordfreq::process::process::h1a2b3c4d5e6f7081");            // "wordfreq::process::process"
 * cleanRustName("<u64 as alloc::string::ToString>::to_string::h0123456789abcdef"); // "<u64 as alloc::string::ToString>::to_string"
 */
export function cleanRustName(name: string): string {
  return name.includes("::h") ? name.replace(HASH, "") : name;
}
