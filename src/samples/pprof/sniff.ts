// Format: google/pprof proto/profile.proto (https://github.com/google/pprof/blob/main/proto/profile.proto),
// recognised by its structure, not by its first byte: producers write the Profile fields in any
// order. Go's runtime/pprof (1.19) starts a CPU profile with time_nanos (field 9) and a heap
// profile with period_type (11) and writes the string table last; pprof-rs, pprof-format and
// flamebook's toPprof start with sample_type (1).
import { scanProfile } from "./wire.js";

/** The sniffer looks at most this far into the unpacked content (the registry's head). */
const WINDOW = 64 * 1024;
const SAMPLE_TYPE = 1;
const STRING_TABLE = 6;
const PERIOD_TYPE = 11;

/**
 * A sniff of a (gunzipped) head of a profile.proto message, by structure:
 *
 * - every top-level field in the first 64 KB has a profile.proto field number (1–15) and its wire
 *   type (messages, strings and packed fields length-delimited, the others varints), and the
 *   framing of every message in it (Sample, Label, Location, Line, Mapping, Function, ValueType)
 *   is sound, as far as the head goes: a field cut at the end of the head is fine;
 * - every complete sample_type / period_type holds a ValueType: 2+ bytes of type and unit varints only;
 * - the first string_table entry, when the head holds it, is "" (profile.proto requires it);
 * - there is at least one complete sample_type, or the string table starts in the head ("" and one
 *   more string): a protobuf of some other kind, text, JSON or random bytes almost never pass.
 *
 * Cheap: one pass over at most 64 KB.
 *
 * @example
 * looksLikePprof(gunzipHead(bytes)); // true for a .pb.gz written by Go, pprof-rs or toPprof
 */
export function looksLikePprof(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, WINDOW);
  let sampleTypes = 0;
  let strings = 0;
  let ok = true;
  const damage = scanProfile(head, true, (f) => {
    if (f.field === SAMPLE_TYPE || f.field === PERIOD_TYPE) {
      if (!isValueType(head, f.body, f.end)) ok = false;
      else if (f.field === SAMPLE_TYPE) sampleTypes++;
    } else if (f.field === STRING_TABLE) {
      if (strings === 0 && f.end !== f.body) ok = false;
      strings++;
    }
  });
  return damage === null && ok && (sampleTypes > 0 || strings >= 2);
}

/** A ValueType: 2+ bytes, only tags 0x08 (type) and 0x10 (unit), each with a varint (framing is checked already). */
function isValueType(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 2) return false;
  for (let i = start; i < end; i++) {
    if (buf[i] !== 0x08 && buf[i] !== 0x10) return false;
    while (buf[++i]! >= 0x80);
  }
  return true;
}
