// Format: the protocol buffer wire format (https://protobuf.dev/programming-guides/encoding/) of
// google/pprof's proto/profile.proto. This file only checks framing (tags, wire types, lengths) and
// gunzips; decoding is pprof-format's. pprof-format trusts its input: a length past the end is
// silently cut short and a multi-byte tag misread, so the importer checks framing first and can
// name the byte offset of the damage.
import { FormatError } from "../../model/errors.js";

const FORMAT = "pprof";

/**
 * A profile.proto message: the wire type of each known field (0 varint, 2 length-delimited, -1
 * either: packed or not), which fields are messages (checked inside) and which are packed varints.
 * Unknown fields may have wire type 0 or 2 (pprof-format skips them).
 */
interface Message {
  readonly name: string;
  readonly wire: Readonly<Record<number, number>>;
  readonly messages: Readonly<Record<number, Message>>;
  readonly packed: readonly number[];
}

const varints = (name: string, fields: number): Message => ({ name, wire: Object.fromEntries(Array.from({ length: fields }, (_, i) => [i + 1, 0])), messages: {}, packed: [] });
const VALUE_TYPE = varints("ValueType", 2);
const SAMPLE: Message = { name: "Sample", wire: { 1: -1, 2: -1, 3: 2 }, messages: { 3: varints("Label", 4) }, packed: [1, 2] };
const LOCATION: Message = { name: "Location", wire: { 1: 0, 2: 0, 3: 0, 4: 2, 5: 0 }, messages: { 4: varints("Line", 3) }, packed: [] };
/** The wire type of each Profile field (13, `comment`, packed or not). */
const PROFILE_WIRE: Readonly<Record<number, number>> = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 0, 8: 0, 9: 0, 10: 0, 11: 2, 12: 0, 13: -1, 14: 0, 15: 0 };
const PROFILE: Message = {
  name: "Profile",
  wire: PROFILE_WIRE,
  messages: { 1: VALUE_TYPE, 2: SAMPLE, 3: varints("Mapping", 10), 4: LOCATION, 5: varints("Function", 5), 11: VALUE_TYPE },
  packed: [13],
};


/** A varint at `at`: [value, end]; value is inexact above 2^53 (only compared with lengths). [-1, at] when cut or over 10 bytes. */
function varint(buf: Uint8Array, at: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < end && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, i + 1];
  }
  return [-1, at];
}

/**
 * Checks the protobuf framing of a profile.proto message: every tag one byte with field 1–15
 * (what pprof-format can read), the wire type profile.proto gives the field (0 or 2 for unknown
 * fields), every varint terminated and every length inside its message, recursively for Sample,
 * Label, Location, Line, ValueType, Mapping and Function.
 * Throws a FormatError naming the byte offset; says nothing about the values.
 *
 * @example
 * checkFraming(gunzipIfNeeded(bytes)); // then Profile.decode cannot misread it
 */
export function checkFraming(buf: Uint8Array): void {
  walk(buf, 0, buf.length, PROFILE);
}

function walk(buf: Uint8Array, start: number, end: number, msg: Message): void {
  const fail = (at: number, expected: string, got: string): never => {
    throw new FormatError(FORMAT, 1, `${expected} in ${msg.name} at byte offset ${at}`, got, {
      fix: "The profile is truncated or corrupt (or not a pprof profile); check that it is a complete .pb.gz written by a pprof producer.",
    });
  };
  for (let i = start; i < end; ) {
    const at = i;
    const tag = buf[i++]!;
    const field = tag >> 3;
    const wire = tag & 7;
    if (tag >= 0x80 || field === 0) fail(at, "a field tag with a field number 1-15", `tag byte 0x${tag.toString(16).padStart(2, "0")}`);
    const expected = msg.wire[field] ?? -1;
    if (wire !== expected && (expected !== -1 || (wire !== 0 && wire !== 2))) {
      fail(at, `wire type ${expected === -1 ? "0 or 2" : expected} for field ${field}`, `wire type ${wire}`);
    }
    if (wire === 0) {
      const [v, next] = varint(buf, i, end);
      if (v < 0) fail(at, `a complete varint for field ${field}`, "a varint cut off at the end of the message");
      i = next;
    } else if (wire === 2) {
      const [len, next] = varint(buf, i, end);
      if (len < 0) fail(at, `a complete length for field ${field}`, "a length cut off at the end of the message");
      if (len > end - next) fail(at, `field ${field} to fit in its ${end - next} remaining bytes`, `length ${len}`);
      const inner = msg.messages[field];
      if (inner) walk(buf, next, next + len, inner);
      else if (msg.packed.includes(field) && len > 0 && buf[next + len - 1]! >= 0x80) fail(at, `packed varints in field ${field}`, "a varint cut off");
      i = next + len;
    }
  }
}

/**
 * A conservative sniff of a (gunzipped) profile.proto head: it must start with a sample_type field
 * (tag 0x0a) holding a ValueType (tags 0x08/0x10 only), and the following top-level fields must
 * have profile.proto's field numbers and wire types, as far as the head goes.
 *
 * @example
 * looksLikePprof(gunzipHead(bytes)); // true for a .pb.gz written by Go, pprof-rs or toPprof
 */
export function looksLikePprof(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x0a) return false;
  for (let i = 0, fields = 0; i < bytes.length && fields < 32; fields++) {
    const tag = bytes[i]!;
    const field = tag >> 3;
    if (tag >= 0x80 || PROFILE_WIRE[field] === undefined) return false;
    const wire = tag & 7;
    if (wire !== PROFILE_WIRE[field] && !(PROFILE_WIRE[field] === -1 && (wire === 0 || wire === 2))) return false;
    const [v, next] = varint(bytes, i + 1, bytes.length);
    if (v < 0) return fields > 0; // the head ends inside this field
    if (wire === 0) {
      i = next;
      continue;
    }
    if (fields === 0 && !isValueType(bytes, next, next + v)) return false;
    i = next + v;
  }
  return true;
}

/** A complete ValueType: 2+ bytes, only tags 0x08 (type) and 0x10 (unit) with varints. */
function isValueType(buf: Uint8Array, start: number, end: number): boolean {
  if (end > buf.length || end - start < 2) return false;
  for (let i = start; i < end; ) {
    if (buf[i] !== 0x08 && buf[i] !== 0x10) return false;
    const [v, next] = varint(buf, i + 1, end);
    if (v < 0) return false;
    i = next;
  }
  return true;
}
