import type { FrameKind } from "./profile.js";

// Bracketed perf modules that are user-space memory, not the kernel.
const USER_BRACKETS = new Set(["[unknown]", "[heap]", "[stack]", "[anon]", "[uprobes]", "[vectors]", "[sigpage]"]);
// `vmlinux`, `vmlinux-6.1.0-18-amd64`, `vmlinux_cloudflare`, `/usr/lib/debug/boot/vmlinux-5.4.14`
const VMLINUX = /(?:^|\/)vmlinux(?:[-_.][A-Za-z0-9._-]*)?$/;
// kernel modules: `xfs.ko`, `/lib/modules/6.1.0/kernel/fs/xfs/xfs.ko.xz`
const KO = /\.ko(?:\.(?:xz|gz|zst))?$/;

/**
 * True when a perf module (dso) is kernel code: `[kernel.kallsyms]` (and `[kernel.kallsyms]_text`,
 * `[guest.kernel.kallsyms]`), a vmlinux image by path or version (`/lib/modules/…/vmlinux`,
 * `[vmlinux-6.1]`), a kernel module (`[nf_conntrack]`, `xfs.ko`), or the kernel's user-space pages
 * `[vdso]`/`[vsyscall]`. `[unknown]`, `[heap]`, `[stack]`, `[anon]` and `[JIT] tid N` are not.
 *
 * @example
 * isKernelModule("[kernel.kallsyms]");                 // true
 * isKernelModule("/lib/modules/6.1.0/build/vmlinux");  // true
 * isKernelModule("[unknown]");                         // false
 */
export function isKernelModule(module: string): boolean {
  if (module.length === 0) return false;
  if (module.charCodeAt(0) === 91 /* [ */) {
    if (USER_BRACKETS.has(module) || module.startsWith("[JIT]") || module.startsWith("[anon:")) return false;
    return /^\[[A-Za-z0-9_.:-]+\](?:_text)?$/.test(module);
  }
  return VMLINUX.test(module) || KO.test(module);
}

/**
 * True when a perf module is JIT-compiled code: a perf map (`/tmp/perf-1234.map`, written by
 * V8's `--perf-basic-prof`, perf-map-agent…), a jitdump image (`jitted-1234-5.so`), or perf's
 * `[JIT] tid 1234`.
 *
 * @example
 * isJitModule("/tmp/perf-10487.map"); // true
 * isJitModule("/usr/bin/node");       // false
 */
export function isJitModule(module: string): boolean {
  return /(?:^|\/)perf-\d+\.map$/.test(module) || /(?:^|\/)jitted-\d+-\d+\.so$/.test(module) || module.startsWith("[JIT]");
}

/**
 * Classifies a frame from its name and module: kernel frames by their module (see
 * {@link isKernelModule}) or a `_[k]` suffix, unresolved ones by `[unknown]`/hex names,
 * Rust by a path separator or a `<T as Trait>` form, anything else as C.
 *
 * @example
 * frameKind("<u64 as alloc::string::ToString>::to_string", "/tmp/wordfreq"); // "rust"
 * frameKind("__libc_malloc", "/usr/lib/x86_64-linux-gnu/libc.so.6");         // "c"
 * frameKind("clear_page_erms", "[kernel.kallsyms]");                          // "kernel"
 */
export function frameKind(name: string, module: string): FrameKind {
  if (isKernelModule(module) || name.endsWith("_[k]")) return "kernel";
  if (name === "[unknown]" || /^(0x)?[0-9a-f]{6,}$/.test(name) || (name.startsWith("[") && name.endsWith("]"))) return "unknown";
  if (name.includes("::") || name.startsWith("<")) return "rust";
  return "c";
}
