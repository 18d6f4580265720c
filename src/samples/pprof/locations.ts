// Format: google/pprof proto/profile.proto `Mapping`/`Location`/`Line`/`Function`
// (https://github.com/google/pprof/blob/main/proto/profile.proto), written: the inverse of pprof-frames.
import { Function as PprofFunction, Line, Location, Mapping, type StringTable } from "pprof-format";
import { frameKind } from "../../model/frame-kind.js";
import type { Profile } from "../../model/profile.js";
import { INLINED_SUFFIX, KERNEL_SUFFIX } from "./frames.js";

/**
 * The pprof Mappings, Functions and Locations for a profile's frames, created as stacks need them:
 * one Mapping per module, one Function per (name, file), one Location per physical frame with the
 * frames inlined into it (Lines innermost first). An inlined frame with no physical frame of its
 * module below it gets a Location alone and the `_[i]` suffix; kernel frames outside a `[kernel…]`
 * module get `_[k]`.
 *
 * @example
 * const table = new LocationTable(profile, strings);
 * new Sample({ locationId: table.ofStack(profile.samples.stack[0]), value: [1] });
 */
export class LocationTable {
  readonly mappings: Mapping[] = [];
  readonly functions: PprofFunction[] = [];
  readonly locations: Location[] = [];
  private readonly mappingIds = new Map<string, number>();
  private readonly functionIds = new Map<string, number>();
  private readonly locationIds = new Map<string, number>();
  private readonly byStack = new Map<number, number[]>();
  private readonly has: { filenames: boolean; lineNumbers: boolean; inlineFrames: boolean };

  constructor(
    private readonly profile: Profile,
    private readonly strings: StringTable,
  ) {
    const { file, line, inlined } = profile.frames;
    this.has = { filenames: file.some((x) => x !== null), lineNumbers: line.some((x) => x !== null), inlineFrames: inlined.some(Boolean) };
  }

  /** Location ids of stack `s`, leaf first (pprof's order). */
  ofStack(s: number): number[] {
    let ids = this.byStack.get(s);
    if (ids !== undefined) return ids;
    const { stacks, frames } = this.profile;
    ids = [];
    for (let at = s; at >= 0; ) {
      // the leaf-most frame, the frames it is inlined into, up to the physical frame that holds them
      const group = [stacks.frame[at]!];
      at = stacks.parent[at]!;
      while (frames.inlined[group[group.length - 1]!] && at >= 0) {
        group.push(stacks.frame[at]!);
        at = stacks.parent[at]!;
      }
      const physical = group[group.length - 1]!;
      if (!frames.inlined[physical] && group.every((f) => frames.module[f] === frames.module[physical])) ids.push(this.location(group, false));
      else for (const f of group) ids.push(this.location([f], frames.inlined[f]!));
    }
    this.byStack.set(s, ids);
    return ids;
  }

  /** The Location for frames leaf first, the last one physical (or one inlined frame alone: `lone`). */
  private location(group: number[], lone: boolean): number {
    const key = lone ? `i${group[0]}` : group.join(",");
    let id = this.locationIds.get(key);
    if (id === undefined) {
      const { line, module } = this.profile.frames;
      id = this.locations.length + 1;
      this.locationIds.set(key, id);
      this.locations.push(
        new Location({
          id,
          mappingId: this.mapping(module[group[group.length - 1]!]!),
          line: group.map((f) => new Line({ functionId: this.function(f, lone), line: validLine(line[f]) })),
        }),
      );
    }
    return id;
  }

  private function(f: number, lone: boolean): number {
    const { name, module, file, kind } = this.profile.frames;
    // a [kernel…] module tells the importer; else the suffix does (doubled when the name has one)
    const marked = kind[f] === "kernel" && (frameKind("", module[f]!) !== "kernel" || name[f]!.endsWith(KERNEL_SUFFIX));
    let exported = marked ? name[f]! + KERNEL_SUFFIX : name[f]!;
    if (lone) exported += INLINED_SUFFIX;
    const key = `${exported}\u0000${file[f] ?? ""}`;
    let id = this.functionIds.get(key);
    if (id === undefined) {
      id = this.functions.length + 1;
      this.functionIds.set(key, id);
      const n = this.strings.dedup(exported);
      this.functions.push(new PprofFunction({ id, name: n, systemName: n, filename: this.strings.dedup(file[f] ?? "") }));
    }
    return id;
  }

  private mapping(module: string): number {
    if (module === "") return 0;
    let id = this.mappingIds.get(module);
    if (id === undefined) {
      id = this.mappings.length + 1;
      this.mappingIds.set(module, id);
      const { filenames, lineNumbers, inlineFrames } = this.has;
      const filename = this.strings.dedup(module);
      this.mappings.push(new Mapping({ id, filename, hasFunctions: true, hasFilenames: filenames, hasLineNumbers: lineNumbers, hasInlineFrames: inlineFrames }));
    }
    return id;
  }
}

function validLine(line: number | null | undefined): number {
  return line != null && Number.isSafeInteger(line) && line > 0 ? line : 0;
}
