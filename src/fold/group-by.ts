import type { Profile } from "../model/profile.js";
import { renameFrames } from "./transforms.js";

/** How {@link groupBy} groups frames. */
export type Grouping = "crate" | "module" | "kind";

const STD_CRATES = new Set(["std", "core", "alloc", "proc_macro", "test"]);

/**
 * The crate a frame belongs to: std/core/alloc → "std"; `wordfreq::…` → "wordfreq";
 * `<u64 as alloc::string::ToString>::to_string` → "std" (its first path); C frames → their
 * library ("libc"); kernel frames → "kernel"; unresolved → "[unknown]".
 *
 * @example
 * crateOf("<u64 as alloc::string::ToString>::to_string", "/bin/wordfreq", "rust"); // "std"
 * crateOf("__GI___libc_malloc", "/usr/lib/x86_64-linux-gnu/libc.so.6", "c");       // "libc"
 */
export function crateOf(name: string, module: string, kind: string): string {
  if (kind === "kernel") return "kernel";
  if (kind === "rust") {
    const m = /([A-Za-z_][A-Za-z0-9_]*)::/.exec(name);
    if (m) return STD_CRATES.has(m[1]!) ? "std" : m[1]!;
  }
  const base = module.slice(module.lastIndexOf("/") + 1);
  if (base === "" || base === "[unknown]") return "[unknown]";
  return base.replace(/\.so(\.\d+)*$/, "").replace(/^\[|\]$/g, "");
}

/**
 * Replaces each frame by its group and merges consecutive frames of one group, for a coarse
 * picture: `groupBy(p, "crate")` shows how time splits between your crate, std, libc and the kernel.
 *
 * @example
 * toFolded(groupBy(profile, "crate"), { pname: false }); // ["std;wordfreq;std;libc 812", …]
 */
export function groupBy(profile: Profile, by: Grouping): Profile {
  const { module, kind } = profile.frames;
  const label = (name: string, f: number): string => {
    if (by === "module") return module[f] ? module[f]!.slice(module[f]!.lastIndexOf("/") + 1) : "[unknown]";
    if (by === "kind") return kind[f]!;
    return crateOf(name, module[f]!, kind[f]!);
  };
  if (by !== "crate" && by !== "module" && by !== "kind") {
    throw new Error(`flamebook: groupBy takes "crate", "module" or "kind", got ${JSON.stringify(by)}.`);
  }
  return renameFrames(profile, label, { mergeRuns: true, plain: true });
}
