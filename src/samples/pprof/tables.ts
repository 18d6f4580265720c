// Format: google/pprof proto/profile.proto (https://github.com/google/pprof/blob/main/proto/profile.proto):
// the string table (entry 0 is ""), and mappings, locations and functions referenced by nonzero,
// unique ids. This file turns pprof-format's decoded message into checked lookups: a dangling id,
// an index past the string table or a negative / oversized number is a FormatError, never garbage.
import type { Function as PprofFunction, Location, Profile as PprofMessage } from "pprof-format";
import { FormatError } from "../../model/errors.js";

const FORMAT = "pprof";
const FIX = "The profile is corrupt or was written by a buggy producer; re-export it (`go tool pprof -proto in > out.pb.gz` rewrites a profile it can read).";

/** A number as pprof-format decodes it: varints longer than 4 bytes come back as bigint. */
export type Numeric = number | bigint;

/**
 * A decoded integer as a number: it must be non-negative and exact in a double. int64 fields hold
 * negative numbers as 2^64 − n on the wire; those are named as negative in the error.
 *
 * @example
 * uint(42n, "Sample 3 value"); // 42
 * uint(2n ** 64n - 5n, "Sample 3 value"); // throws FormatError "… got '-5'"
 */
export function uint(v: Numeric, what: string, fix = FIX): number {
  if (typeof v === "number" ? Number.isSafeInteger(v) && v >= 0 : v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  const shown = typeof v === "bigint" && v >= 2n ** 63n && v < 2n ** 64n ? BigInt.asIntN(64, v) : v;
  throw new FormatError(FORMAT, 1, `a non-negative integer below 2^53 for ${what}`, String(shown), { fix });
}

/** A Function's strings. `name` falls back to system_name, then "[unknown]". */
export interface PprofFunctionInfo {
  readonly name: string;
  /** The source file, "" when unknown. */
  readonly file: string;
}

/**
 * Checked lookups into a decoded pprof message: strings by index, mappings, functions and
 * locations by id. Building it checks every id is nonzero and unique and every string index in range.
 *
 * @example
 * const t = new PprofTables(Profile.decode(raw));
 * t.location(sample.locationId[0], "Sample 0"); // the Location, or a FormatError naming the dangling id
 */
export class PprofTables {
  readonly strings: readonly string[];
  private readonly mappings = new Map<number, string>();
  private readonly functions = new Map<number, PprofFunctionInfo>();
  private readonly locations = new Map<number, Location>();

  constructor(p: PprofMessage) {
    this.strings = p.stringTable.strings;
    if (this.strings[0] !== "") {
      throw new FormatError(FORMAT, 1, "string_table[0] (field 6) to be the empty string, as profile.proto requires", this.strings[0] ?? "", { fix: FIX });
    }
    for (const m of p.mapping) this.mappings.set(this.id(m.id, "Mapping", this.mappings), this.str(m.filename, "Mapping.filename"));
    for (const f of p.function) this.functions.set(this.id(f.id, "Function", this.functions), this.functionInfo(f));
    for (const l of p.location) this.locations.set(this.id(l.id, "Location", this.locations), l);
  }

  /** String `index` of the string table. */
  str(index: Numeric, what: string): string {
    const i = uint(index, what);
    if (i >= this.strings.length) {
      throw new FormatError(FORMAT, 1, `a string table index below ${this.strings.length} for ${what}`, String(i), { fix: FIX });
    }
    return this.strings[i]!;
  }

  /** The file name of mapping `id`; "" for id 0 (no mapping). */
  mapping(id: Numeric, where: string): string {
    const i = uint(id, `${where} mapping_id`);
    if (i === 0) return "";
    return this.lookup(this.mappings, i, "mapping", where);
  }

  /** Function `id`; undefined for id 0 (a line without a function). */
  function(id: Numeric, where: string): PprofFunctionInfo | undefined {
    const i = uint(id, `${where} function_id`);
    return i === 0 ? undefined : this.lookup(this.functions, i, "function", where);
  }

  /** Location `id` (never 0). */
  location(id: Numeric, where: string): Location {
    return this.lookup(this.locations, uint(id, `${where} location_id`), "location", where);
  }

  private lookup<T>(table: Map<number, T>, id: number, kind: string, where: string): T {
    const v = table.get(id);
    if (v === undefined) {
      throw new FormatError(FORMAT, 1, `a ${kind} id defined in the profile (${where} refers to ${kind} ${id})`, `no ${kind} with id ${id}`, { fix: FIX });
    }
    return v;
  }

  private id(raw: Numeric, kind: string, seen: Map<number, unknown>): number {
    const id = uint(raw, `${kind}.id`);
    if (id === 0 || seen.has(id)) {
      throw new FormatError(FORMAT, 1, `a nonzero, unique ${kind}.id`, id === 0 ? "0" : `a second ${kind} with id ${id}`, { fix: FIX });
    }
    return id;
  }

  private functionInfo(f: PprofFunction): PprofFunctionInfo {
    const name = this.str(f.name, "Function.name") || this.str(f.systemName, "Function.system_name") || "[unknown]";
    return { name, file: this.str(f.filename, "Function.filename") };
  }
}
