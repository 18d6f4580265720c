// Format: google/pprof proto/profile.proto `sample_type` / `default_sample_type`
// (https://github.com/google/pprof/blob/main/proto/profile.proto) and the units pprof knows
// (https://github.com/google/pprof/blob/main/internal/measurement/measurement.go).
import type { WeightUnit } from "../../model/profile.js";

/** One `sample_type` entry with its strings resolved, e.g. { type: "cpu", unit: "nanoseconds" }. */
export interface PprofValueType {
  readonly type: string;
  readonly unit: string;
}

/**
 * Which value of each sample to read, like `go tool pprof -sample_index`: `requested` by type
 * name (or by index, "1"); else the `default_sample_type`; else "cpu", then "samples"; else the
 * last type (pprof's own default). Returns -1 when `requested` names no type.
 *
 * @example
 * const types = [{ type: "samples", unit: "count" }, { type: "cpu", unit: "nanoseconds" }];
 * chooseSampleType(types);                          // 1 ("cpu")
 * chooseSampleType(types, { requested: "samples" }); // 0
 */
export function chooseSampleType(types: readonly PprofValueType[], opts: { requested?: string; defaultType?: string } = {}): number {
  const named = (name: string) => types.findIndex((t) => t.type === name);
  if (opts.requested !== undefined) {
    const i = named(opts.requested);
    if (i >= 0) return i;
    return /^\d+$/.test(opts.requested) && Number(opts.requested) < types.length ? Number(opts.requested) : -1;
  }
  for (const name of [opts.defaultType, "cpu", "samples"]) {
    const i = name ? named(name) : -1;
    if (i >= 0) return i;
  }
  return types.length - 1;
}

const UNITS: ReadonlyMap<string, readonly [WeightUnit, number]> = new Map([
  ["", ["samples", 1]],
  ["count", ["samples", 1]],
  ["samples", ["samples", 1]],
  ["nanoseconds", ["nanoseconds", 1]],
  ["microseconds", ["nanoseconds", 1e3]],
  ["milliseconds", ["nanoseconds", 1e6]],
  ["seconds", ["nanoseconds", 1e9]],
  ["bytes", ["bytes", 1]],
  ["kilobytes", ["bytes", 1024]],
  ["megabytes", ["bytes", 1024 ** 2]],
  ["instructions", ["instructions", 1]],
  ["events", ["events", 1]],
]);

/**
 * flamebook's weight unit for a pprof unit, and the factor values are multiplied by: time units
 * become nanoseconds, kilo/megabytes bytes, "count" samples; any other unit counts "events".
 *
 * @example
 * weightUnit("milliseconds"); // { unit: "nanoseconds", scale: 1e6 }
 * weightUnit("count");        // { unit: "samples", scale: 1 }
 */
export function weightUnit(unit: string): { unit: WeightUnit; scale: number } {
  const [u, scale] = UNITS.get(unit.toLowerCase()) ?? ["events", 1];
  return { unit: u, scale };
}

/**
 * The pprof unit string for a flamebook weight unit (the inverse of {@link weightUnit}).
 *
 * @example
 * pprofUnit("samples");     // "count"
 * pprofUnit("nanoseconds"); // "nanoseconds"
 */
export function pprofUnit(unit: WeightUnit): string {
  return unit === "samples" ? "count" : unit;
}
