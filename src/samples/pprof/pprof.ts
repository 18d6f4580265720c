// Format: pprof, google/pprof's proto/profile.proto (https://github.com/google/pprof/blob/main/proto/profile.proto),
// usually gzipped: written by Go's runtime/pprof (tested with go1.19 CPU and heap profiles, which
// start with time_nanos / period_type, not sample_type), pprof-rs, Datadog's libraries,
// perf_to_profile and flamebook's own toPprof; any field order (sniff.ts). Decoding is
// pprof-format's; framing, ids, string indices and values are checked here (wire.ts, tables.ts)
// so bad input is a FormatError, never garbage.
import { Profile as PprofMessage } from "pprof-format";
import { FormatError } from "../../model/errors.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import type { ImportOptions, Importer } from "../importer.js";
import { PprofFrames } from "./frames.js";
import { chooseSampleType, weightUnit } from "./sample-type.js";
import { PprofTables, uint } from "./tables.js";
import { PprofThreads } from "./threads.js";
import { gunzipHead, gunzipIfNeeded } from "../gzip.js";
import { looksLikePprof } from "./sniff.js";
import { checkFraming } from "./wire.js";

export { toPprof, type ToPprofOptions } from "./export.js";

const FORMAT = "pprof";
const NEGATIVE_FIX =
  "flamebook weights cannot be negative. Negative values come from diff profiles (`go tool pprof -diff_base`, `-base`): import the two profiles separately and compare them with flamebook.";

/** Options of {@link pprof}'s `decode`. */
export interface PprofOptions extends ImportOptions {
  /**
   * Which value of each sample to read, by `sample_type` name ("cpu", "alloc_space"…) or index
   * ("1"), like `go tool pprof -sample_index`. Default: the profile's `default_sample_type`, else
   * "cpu", else "samples", else the last type (pprof's default). A name the profile lacks throws.
   */
  sampleType?: string;
}

/**
 * Reads pprof profiles (gzipped or not). One sample type becomes the profile's one event
 * ({@link PprofOptions.sampleType}); its unit gives the weight unit (time units → nanoseconds,
 * "count" → samples, "bytes"). A Location with several Lines gives the physical frame (the last
 * Line) and the frames inlined into it, marked inlined; module = mapping file name, file/line =
 * Function.filename + Line.line. Threads come from "thread"/"thread_name"/"tid"/"thread_id"/"pid"
 * labels, else one thread named after the first mapping's file (or "pprof"). Samples whose chosen
 * value is 0 are left out. Dangling ids, out-of-range string indices, negative or oversized values,
 * truncated gzip or protobuf: FormatError.
 *
 * @example
 * const profile = pprof.decode(readFileSync("cpu.pb.gz"), { sampleType: "cpu" });
 * toFolded(profile, { tid: true }); // ["app-?/7;main;work 30000000", …]
 */
export const pprof: Importer & { decode(bytes: Uint8Array, opts?: PprofOptions): Profile } = {
  name: FORMAT,
  extensions: [".pb.gz", ".pprof", ".pb"],
  sniff: (_head, bytes) => bytes !== undefined && looksLikePprof(gunzipHead(bytes)),
  decode(bytes, opts = {}) {
    try {
      return decodePprof(bytes, opts);
    } catch (e) {
      if (e instanceof FormatError && opts.source !== undefined && e.source === undefined) throw e.withSource(opts.source);
      throw e;
    }
  },
};

function decodePprof(bytes: Uint8Array, opts: PprofOptions): Profile {
  const raw = gunzipIfNeeded(bytes, "pprof");
  if (raw.length === 0) {
    throw new FormatError(FORMAT, 1, "a pprof profile (a gzipped profile.proto message)", "empty input", { fix: "The file is empty; re-run the profiler." });
  }
  checkNotOtherFormat(raw);
  let msg: PprofMessage;
  try {
    msg = PprofMessage.decode(raw);
  } catch (e) {
    throw new FormatError(FORMAT, 1, "a profile.proto message pprof-format can decode", (e as Error).message);
  }
  const t = new PprofTables(msg);
  const types = msg.sampleType.map((vt, i) => ({ type: t.str(vt.type, `sample_type[${i}].type`), unit: t.str(vt.unit, `sample_type[${i}].unit`) }));
  const b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
  if (types.length === 0) {
    if (msg.sample.length > 0) {
      throw new FormatError(FORMAT, 1, "sample_type entries (field 1) naming the sample values", `${msg.sample.length} samples and no sample_type`);
    }
    b.event("samples");
    b.warn("pprof: the profile has no sample types and no samples.");
    return b.finish();
  }
  const defaultType = t.str(msg.defaultSampleType, "default_sample_type");
  const index = chooseSampleType(types, { requested: opts.sampleType, defaultType });
  if (index < 0) {
    const from = opts.source ? ` ${opts.source}` : "";
    throw new Error(`flamebook: pprof profile${from} has no sample type '${opts.sampleType}'; it has: ${types.map((v) => v.type).join(", ")}.`);
  }
  if (defaultType && types.every((v) => v.type !== defaultType)) b.warn(`pprof: default_sample_type '${defaultType}' names no sample type; read '${types[index]!.type}'.`);
  const chosen = types[index]!;
  const { unit, scale } = weightUnit(chosen.unit);
  b.setUnit(unit);
  const event = b.event(chosen.type || "samples");
  const frames = new PprofFrames(t, b, opts.cleanNames ?? false);
  const threads = new PprofThreads(t, b, defaultComm(t, msg));
  msg.sample.forEach((s, k) => {
    const where = `Sample ${k}`;
    if (s.value.length !== types.length) {
      throw new FormatError(FORMAT, 1, `${types.length} values in ${where} (one per sample_type)`, `${s.value.length} values`);
    }
    const weight = uint(s.value[index]!, `${where} value '${chosen.type}'`, NEGATIVE_FIX) * scale;
    const thread = threads.of(s, where);
    if (weight === 0) {
      for (const id of s.locationId) t.location(id, where); // still no dangling ids
      return;
    }
    let stack = -1;
    for (let j = s.locationId.length - 1; j >= 0; j--) for (const f of frames.of(s.locationId[j]!, where)) stack = b.stack(stack, f);
    b.sample(stack, thread, event, NaN, weight);
  });
  if (b.sampleCount === 0) b.warn(`pprof: no samples with a nonzero '${chosen.type}' value.`);
  return b.finish();
}

/**
 * Checks the framing (see checkFraming). Damaged framing in bytes that do not even start like
 * pprof (a file of another format opened with `format: "pprof"`) says so and how to open it.
 */
function checkNotOtherFormat(raw: Uint8Array): void {
  try {
    checkFraming(raw);
  } catch (e) {
    if (!(e instanceof FormatError) || looksLikePprof(raw)) throw e;
    // the first bytes, printable ASCII as it is and any other byte as \xNN
    const start = Array.from(raw.subarray(0, 24), (c) => (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`)).join("");
    throw new FormatError(FORMAT, 1, `a pprof profile (a profile.proto message, usually gzipped): ${e.expected}`, e.got, {
      fix:
        `This is not a pprof profile: it starts with "${start}"${raw.length > 24 ? "…" : ""}, not with profile.proto fields. ` +
        "Open it without format 'pprof' to let flamebook detect its format, or give a .pb.gz written by a pprof producer (Go's runtime/pprof, pprof-rs, `go tool pprof -proto`).",
    });
  }
}

/** The thread name for samples without thread labels: the first mapping's file name, or "pprof". */
function defaultComm(t: PprofTables, msg: PprofMessage): string {
  const first = msg.mapping[0];
  const file = first ? t.str(first.filename, "Mapping.filename") : "";
  return file.slice(file.lastIndexOf("/") + 1) || FORMAT;
}
