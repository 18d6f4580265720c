import type { FrameKind } from "./profile.js";

/**
 * Classifies a frame from its name and module: kernel frames by their module
 * (`[kernel.kallsyms]`, `[vdso]`…) or a `_[k]` suffix, unresolved ones by `[unknown]`/hex names,
 * Rust by a path separator or a `<T as Trait>` form, anything else as C.
 *
 * @example
 * frameKind("<u64 as alloc::string::ToString>::to_string", "/tmp/wordfreq"); // "rust"
 * frameKind("__libc_malloc", "/usr/lib/x86_64-linux-gnu/libc.so.6");         // "c"
 * frameKind("clear_page_erms", "[kernel.kallsyms]");                          // "kernel"
 */
export function frameKind(name: string, module: string): FrameKind {
  if (module.startsWith("[kernel") || name.endsWith("_[k]")) return "kernel";
  if (name === "[unknown]" || /^(0x)?[0-9a-f]{6,}$/.test(name) || (name.startsWith("[") && name.endsWith("]"))) return "unknown";
  if (name.includes("::") || name.startsWith("<")) return "rust";
  return "c";
}
