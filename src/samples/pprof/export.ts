// Format: pprof, google/pprof's proto/profile.proto (https://github.com/google/pprof/blob/main/proto/profile.proto),
// gzipped, encoded with pprof-format. The inverse of the pprof importer: decoding what this writes
// gives back the same folded stacks, weights, threads and inlined marks.
import { gzipSync } from "node:zlib";
import { Label, Profile as PprofMessage, Sample, StringTable, ValueType } from "pprof-format";
import type { Profile } from "../../model/profile.js";
import { LocationTable } from "./locations.js";
import { pprofUnit } from "./sample-type.js";
import { profileOf, type ProfileLike } from "../../model/profile-like.js";

/** Options of {@link toPprof}. Every option documents its default. */
export interface ToPprofOptions {
  /** Export only this event, by name. Default: every event, one `sample_type` each (the first is `default_sample_type`). */
  event?: string;
  /** Gzip the protobuf, as pprof files usually are. Default: true. */
  gzip?: boolean;
}

/**
 * Writes a profile as pprof (gzipped profile.proto), for `go tool pprof`, speedscope, Pyroscope…
 *
 * - `sample_type`: one per event, named after the event ("cpu-clock"), unit from the profile's
 *   unit ("nanoseconds", samples → "count", "bytes"…); `period_type` is "cpu"/nanoseconds for time
 *   profiles, else "samples"/count, and `period` the most common sample weight.
 * - Samples with the same stack and thread are summed into one pprof Sample (times are not kept;
 *   `duration_nanos` is the span of the sample times when known).
 * - One Function per (name, file), one Mapping per module. Inlined frames are folded into the
 *   Location of the physical frame they are inlined into (Lines innermost first, as profile.proto
 *   says). Inlined frames with no physical frame below them (a stack cut at its root), or with another
 *   module than it, get a Location of their own, and their Function FlameGraph's `_[i]` suffix so
 *   they come back inlined.
 * - Threads are labels: "thread" (str, the comm), "pid" and "tid" (num, when known).
 * - Kernel frames whose module does not say so (folded `_[k]` frames) get the `_[k]` suffix.
 *   The importer reads both suffixes back, so the round trip is exact (but for file/line: pprof
 *   has no line 0, which comes back as unknown).
 *
 * Weights must be integers (pprof values are int64): fractional weights throw.
 *
 * @example
 * writeFileSync("cpu.pb.gz", toPprof(profile)); // then: go tool pprof -top cpu.pb.gz
 */
export function toPprof(input: ProfileLike, opts: ToPprofOptions = {}): Uint8Array {
  const profile = profileOf(input);
  const events = exportedEvents(profile, opts.event);
  const strings = new StringTable();
  const unit = strings.dedup(pprofUnit(profile.unit));
  const sampleType = events.map((e) => new ValueType({ type: strings.dedup(profile.events[e] || "samples"), unit }));
  if (sampleType.length === 0) sampleType.push(new ValueType({ type: strings.dedup("samples"), unit }));
  const slot = new Int32Array(profile.events.length).fill(-1);
  events.forEach((e, i) => (slot[e] = i));

  const { samples } = profile;
  const rows = new Map<string, { stack: number; thread: number; values: number[] }>();
  for (let i = 0; i < samples.stack.length; i++) {
    const at = slot[samples.event[i]!] ?? -1;
    if (at < 0) continue;
    const key = `${samples.stack[i]},${samples.thread[i]}`;
    let row = rows.get(key);
    if (row === undefined) rows.set(key, (row = { stack: samples.stack[i]!, thread: samples.thread[i]!, values: sampleType.map(() => 0) }));
    row.values[at]! += samples.weight[i]!;
  }

  const locations = new LocationTable(profile, strings);
  const labels = profile.threads.map((t) => threadLabels(t, strings));
  const sample = [...rows.values()].map(
    (r) =>
      new Sample({
        locationId: locations.ofStack(r.stack),
        value: r.values.map(checkedValue),
        label: labels[r.thread] ?? [],
      }),
  );
  const timeProfile = profile.unit === "nanoseconds";
  const message = new PprofMessage({
    sampleType,
    sample,
    mapping: locations.mappings,
    location: locations.locations,
    function: locations.functions,
    stringTable: strings,
    durationNanos: durationNanos(samples.time),
    periodType: new ValueType({ type: strings.dedup(timeProfile ? "cpu" : "samples"), unit: strings.dedup(timeProfile ? "nanoseconds" : "count") }),
    period: commonWeight(profile, events[0]),
    comment: [strings.dedup(`flamebook: exported from ${profile.format}`)],
    defaultSampleType: sampleType[0]!.type,
  });
  const bytes = message.encode();
  if (opts.gzip === false) return bytes;
  const gz = gzipSync(bytes);
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

function exportedEvents(profile: Profile, event: string | undefined): number[] {
  if (event === undefined) return profile.events.map((_, i) => i);
  const i = profile.events.indexOf(event);
  if (i < 0) throw new Error(`flamebook: toPprof: no event '${event}' in this profile; it has: ${profile.events.join(", ") || "none"}.`);
  return [i];
}

function checkedValue(v: number): number {
  if (Number.isSafeInteger(v) && v >= 0) return v;
  throw new Error(`flamebook: toPprof: pprof values are integers; a stack weighs ${v}. Scale the weights to whole numbers (e.g. counts, nanoseconds) first.`);
}

function threadLabels(t: Profile["threads"][number], strings: StringTable): Label[] {
  const out = [new Label({ key: strings.dedup("thread"), str: strings.dedup(t.comm) })];
  if (Number.isSafeInteger(t.pid) && t.pid >= 0) out.push(new Label({ key: strings.dedup("pid"), num: t.pid }));
  if (Number.isSafeInteger(t.tid) && t.tid >= 0) out.push(new Label({ key: strings.dedup("tid"), num: t.tid }));
  return out;
}

/** The span of the sample times in nanoseconds, 0 when the profile has none. */
function durationNanos(time: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const t of time) {
    if (!Number.isFinite(t)) continue;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const span = Math.round((max - min) * 1e9);
  return Number.isSafeInteger(span) && span > 0 ? span : 0;
}

/** The most common weight of one sample of `event` (perf's sampling period), 1 for counted samples. */
function commonWeight(profile: Profile, event: number | undefined): number {
  if (profile.unit === "samples" || event === undefined) return 1;
  const seen = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < profile.samples.weight.length; i++) {
    if (profile.samples.event[i] !== event) continue;
    const w = profile.samples.weight[i]!;
    const n = (seen.get(w) ?? 0) + 1;
    seen.set(w, n);
    if (n > bestCount) [best, bestCount] = [w, n];
  }
  return Number.isSafeInteger(best) && best > 0 ? best : 1;
}
