// Format: google/pprof proto/profile.proto `Location`/`Line`/`Function`: "Multiple line indicates
// this location has inlined functions, where the last entry represents the caller into which the
// preceding entries were inlined." A location without lines is an unsymbolized address.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import type { FrameKind } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import { type Numeric, type PprofTables, uint } from "./tables.js";

/**
 * The suffix toPprof gives kernel frames whose module does not say "kernel" (FlameGraph's `_[k]`).
 *
 * @example
 * "do_syscall_64" + KERNEL_SUFFIX; // the pprof Function name of a folded `do_syscall_64_[k]` frame
 */
export const KERNEL_SUFFIX = "_[k]";
/**
 * The suffix toPprof gives inlined frames with no physical frame to fold them into (FlameGraph's `_[i]`).
 *
 * @example
 * "<u64 as Display>::fmt" + INLINED_SUFFIX; // an inlined frame at the root of a cut stack
 */
export const INLINED_SUFFIX = "_[i]";

/**
 * The frames of each pprof location, root first: the physical frame (the last Line) and then the
 * frames inlined into it, marked inlined. module = the mapping's file name, file = the Function's
 * filename, line = the Line's line. A name ending in `_[i]` (inlined) or `_[k]` (kernel), the
 * marks toPprof writes where a Location cannot say it, loses the suffix and gets the mark. Cached per location id.
 *
 * @example
 * const frames = new PprofFrames(tables, builder, false);
 * frames.of(3n, "Sample 0"); // e.g. [physical, inlinedCallee, innermost] frame ids
 */
export class PprofFrames {
  private readonly cache = new Map<number, readonly number[]>();

  constructor(
    private readonly t: PprofTables,
    private readonly b: ProfileBuilder,
    private readonly clean: boolean,
  ) {}

  /** Frame ids of location `id`, root (physical) first. */
  of(id: Numeric, where: string): readonly number[] {
    const key = uint(id, `${where} location_id`);
    let out = this.cache.get(key);
    if (out === undefined) {
      out = this.resolve(key, where);
      this.cache.set(key, out);
    }
    return out;
  }

  private resolve(id: number, where: string): number[] {
    const loc = this.t.location(id, where);
    const at = `Location ${id}`;
    const module = this.t.mapping(loc.mappingId, at);
    const unsymbolized = (): number => this.b.frame(addressName(loc.address, module), module, { kind: "unknown" });
    if (loc.line.length === 0) return [unsymbolized()];
    const out: number[] = [];
    for (let k = loc.line.length - 1; k >= 0; k--) {
      const line = loc.line[k]!;
      const fn = this.t.function(line.functionId, `${at} line ${k}`);
      const lineNo = uint(line.line, `${at} line ${k} line number`);
      if (fn === undefined) {
        out.push(unsymbolized());
        continue;
      }
      let name = fn.name;
      let kind: FrameKind | undefined;
      let inlined = k < loc.line.length - 1;
      if (name.endsWith(INLINED_SUFFIX) && name.length > INLINED_SUFFIX.length) {
        name = name.slice(0, -INLINED_SUFFIX.length);
        inlined = true;
      }
      if (name.endsWith(KERNEL_SUFFIX) && name.length > KERNEL_SUFFIX.length) {
        name = name.slice(0, -KERNEL_SUFFIX.length);
        kind = "kernel";
      }
      if (this.clean) name = cleanRustName(name);
      out.push(this.b.frame(name, module, { inlined, kind, file: fn.file || null, line: lineNo || null }));
    }
    return out;
  }
}

/** `0x<address>`, or `[<binary>]` when the address is 0 (like perf's unresolved frames), or "[unknown]". */
function addressName(address: Numeric, module: string): string {
  if (address !== 0 && address !== 0n) return `0x${address.toString(16)}`;
  const base = module.slice(module.lastIndexOf("/") + 1);
  return base ? `[${base}]` : "[unknown]";
}
