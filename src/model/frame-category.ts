// What kind of code a frame is, for colouring and for "your code" questions: the one rule set the
// widget (widgets/core/colors.ts), the static SVG (src/render/flame-svg.ts) and the command line
// (`flamebook record --alloc`) share. Pure, imports only a type: widgets/ may import it
// (test/widgets/core/bundle.test.ts lists it).
import type { FrameKind } from "./profile.js";

/**
 * What a frame is, for colouring: your crates, the Rust standard library, other Rust code that is
 * not yours (the toolchain: rustc, cargo), C or C++, the kernel, or unresolved.
 */
export type FrameCategory = "user" | "std" | "rust" | "c" | "kernel" | "unknown";

/** Legend order and labels of the categories. */
export const CATEGORIES: readonly (readonly [FrameCategory, string])[] = [
  ["user", "your crates"],
  ["std", "std / core / alloc"],
  ["rust", "Rust toolchain"],
  ["c", "C / C++"],
  ["kernel", "kernel"],
  ["unknown", "unknown"],
];

const STD_CRATES = new Set(["std", "core", "alloc", "proc_macro", "test", "__rustc", "compiler_builtins", "panic_unwind", "panic_abort", "hashbrown", "std_detect", "rustc_demangle", "addr2line", "gimli", "miniz_oxide"]);

/** C++ libraries by file name: LLVM (inside rustc too), clang, lld, the C++ runtimes. */
const CXX_MODULE = /^(?:libLLVM|libclang|liblld|libstdc\+\+|libc\+\+|rust-lld$|ld\.lld$|lld$)/;
/** Rust toolchain programs and libraries by file name. */
const TOOLCHAIN_MODULE = /^(?:librustc_driver|libstd-[0-9a-f]+\.so$|rustc$|cargo$|rustdoc$|clippy-driver$|rustup$|rust-analyzer$)/;
/** Namespaces of C++ names (`llvm::`, …) that would otherwise read as a Rust crate path. */
const CXX_NAME = /^(?:llvm|clang|lld|mlir|__gnu_cxx|__cxxabiv1|boost|absl|google|v8|icu_\d+)::|^std::__|^\(anonymous namespace\)/;

/**
 * Where a frame's code comes from, by its module (the binary or library path): "c" for C++
 * libraries (LLVM, clang, lld, libstdc++), "rust" for the Rust toolchain (rustc's
 * librustc_driver, cargo, anything under a rustup toolchain), null when the module does not say
 * (your own binary, an unknown module).
 *
 * @example
 * moduleOrigin("/root/.rustup/toolchains/stable/lib/libLLVM.so.22.1-rust-1.95.0-stable"); // "c"
 * moduleOrigin("/root/.rustup/toolchains/stable/lib/librustc_driver-6108105cd7e839cf.so"); // "rust"
 * moduleOrigin("/home/me/wordfreq/target/release/wordfreq");                           // null
 */
export function moduleOrigin(module: string): "c" | "rust" | null {
  if (module === "") return null;
  const base = module.slice(module.lastIndexOf("/") + 1);
  if (CXX_MODULE.test(base)) return "c";
  if (TOOLCHAIN_MODULE.test(base) || module.includes("/.rustup/toolchains/") || module.includes("/rustlib/")) return "rust";
  return null;
}

/** `moduleOrigin` of the modules seen so far (a profile has a few dozen). */
const origins = new Map<string, "c" | "rust" | null>();

/** True for an unresolved address: `0x7f3a12`, `[unknown]`. */
function unresolved(name: string): boolean {
  const c = name.charCodeAt(0);
  if (c === 91 /* [ */) return name.length === 9 && name.toLowerCase() === "[unknown]";
  if (c !== 48 /* 0 */ || (name.charCodeAt(1) | 32) !== 120 /* x */ || name.length < 3) return false;
  for (let i = 2; i < name.length; i++) {
    const d = name.charCodeAt(i) | 32;
    if (!((d >= 48 && d <= 57) || (d >= 97 && d <= 102))) return false;
  }
  return true;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * The first crate of a Rust path in a name (the first `name::`), or null: `core` in
 * `<T as core::fmt::Debug>::fmt`, null in `<u64>::_fmt`.
 *
 * @example
 * firstCrate("<wordfreq::Counter as core::fmt::Debug>::fmt"); // "wordfreq"
 */
export function firstCrate(name: string): string | null {
  for (let at = name.indexOf("::"); at > 0; at = name.indexOf("::", at + 2)) {
    let i = at;
    while (i > 0 && isWordChar(name.charCodeAt(i - 1))) i--;
    while (i < at && name.charCodeAt(i) >= 48 && name.charCodeAt(i) <= 57) i++; // a name starts with a letter or _
    if (i < at) return name.slice(i, at);
  }
  return null;
}

/**
 * The colour category of a frame from its name, kind (`frames.kind`) and module. A Rust frame
 * belongs to the crate of the first `crate::` path in its name (`<T as alloc::string::ToString>::to_string`
 * is std); one without a path (`<u64>::_fmt`) is an inherent impl on a primitive, hence std. A
 * crate is "yours" unless the module is the Rust toolchain's (rustc, cargo: "rust"). C++ names
 * (`llvm::…`) and C++ libraries (libLLVM) are "c" whatever the kind says. Unresolved addresses
 * (`0x7f…`, `[unknown]`) are "unknown" whatever their kind.
 *
 * @example
 * frameCategory("wordfreq::process::process", "rust");                  // "user"
 * frameCategory("<u64>::_fmt", "rust");                                 // "std"
 * frameCategory("__libc_malloc", "c");                                  // "c"
 * frameCategory("llvm::FPPassManager::runOnFunction", "rust", "/x/libLLVM.so.22.1"); // "c"
 * frameCategory("rustc_middle::ty::context::tls::enter_context", "rust", "/x/librustc_driver-61.so"); // "rust"
 */
export function frameCategory(name: string, kind: FrameKind, module = ""): FrameCategory {
  if (unresolved(name)) return "unknown";
  if (kind === "c" || kind === "kernel") return kind;
  let origin = origins.get(module);
  if (origin === undefined) origins.set(module, (origin = moduleOrigin(module)));
  if (origin === "c" || CXX_NAME.test(name) || name.includes("::(anonymous namespace)")) return "c";
  const crate = firstCrate(name);
  if (kind !== "rust" && crate === null) return "unknown";
  if (crate === null || STD_CRATES.has(crate)) return "std";
  return origin === "rust" ? "rust" : "user";
}

/**
 * 32-bit FNV-1a hash of a string: the deterministic source of colour jitter.
 *
 * @example
 * nameHash("main") === nameHash("main"); // true, on every machine
 */
export function nameHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
