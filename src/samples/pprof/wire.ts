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


/** A varint at `at`: [value, next]; value is inexact above 2^53 (only compared with lengths). [-1, end] when cut at `end`, [-1, -1] when over 10 bytes. */
function varint(buf: Uint8Array, at: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < end && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, i + 1];
  }
  return [-1, end - at < 10 ? end : -1];
}

/** Where the framing of a message is wrong: the byte offset, the message, what was expected and what was found. */
export interface Damage {
  readonly at: number;
  readonly message: string;
  readonly expected: string;
  readonly got: string;
}

/** A complete top-level field seen by {@link scanProfile}: its number, wire type, value (varints) or body (length-delimited: [body, end)). */
export interface ScannedField {
  readonly field: number;
  readonly wire: 0 | 2;
  readonly value: number;
  readonly body: number;
  readonly end: number;
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
  const d = scanProfile(buf, false);
  if (d !== null) {
    throw new FormatError(FORMAT, 1, `${d.expected} in ${d.message} at byte offset ${d.at}`, d.got, {
      fix: "The profile is truncated or corrupt (or not a pprof profile); check that it is a complete .pb.gz written by a pprof producer.",
    });
  }
}

/**
 * Walks the framing of a (gunzipped) profile.proto message as {@link checkFraming} does, and
 * returns the first damage or null. `window`: the bytes are the head of a longer message, so a
 * field cut at their end is not damage (the walk checks what there is of it and stops).
 * `visit` sees each complete top-level field, in order.
 *
 * @example
 * scanProfile(head, true, (f) => void (f.field === 1 && sampleTypes++)); // null: frames as pprof so far
 */
export function scanProfile(buf: Uint8Array, window: boolean, visit?: (f: ScannedField) => void): Damage | null {
  return walk(buf, 0, buf.length, PROFILE, window, visit);
}

function walk(buf: Uint8Array, start: number, end: number, msg: Message, window: boolean, visit?: (f: ScannedField) => void): Damage | null {
  const damage = (at: number, expected: string, got: string): Damage => ({ at, message: msg.name, expected, got });
  for (let i = start; i < end; ) {
    const at = i;
    const tag = buf[i++]!;
    const field = tag >> 3;
    const wire = tag & 7;
    if (tag >= 0x80 || field === 0) return damage(at, "a field tag with a field number 1-15", `tag byte 0x${tag.toString(16).padStart(2, "0")}`);
    const expected = msg.wire[field] ?? -1;
    if (wire !== expected && (expected !== -1 || (wire !== 0 && wire !== 2))) {
      return damage(at, `wire type ${expected === -1 ? "0 or 2" : expected} for field ${field}`, `wire type ${wire}`);
    }
    const [v, next] = varint(buf, i, end);
    if (next < 0) return damage(at, `a varint of at most 10 bytes for field ${field}`, "a longer one");
    if (v < 0) return window ? null : damage(at, `a complete ${wire === 0 ? "varint" : "length"} for field ${field}`, `a ${wire === 0 ? "varint" : "length"} cut off at the end of the message`);
    if (wire === 0) {
      visit?.({ field, wire, value: v, body: next, end: next });
      i = next;
      continue;
    }
    const inner = msg.messages[field];
    if (v > end - next) {
      if (!window) return damage(at, `field ${field} to fit in its ${end - next} remaining bytes`, `length ${v}`);
      return inner ? walk(buf, next, end, inner, true) : null; // cut by the window: check what there is
    }
    if (inner) {
      const d = walk(buf, next, next + v, inner, false);
      if (d !== null) return d;
    } else if (msg.packed.includes(field) && v > 0 && buf[next + v - 1]! >= 0x80) return damage(at, `packed varints in field ${field}`, "a varint cut off");
    visit?.({ field, wire: 2, value: v, body: next, end: next + v });
    i = next + v;
  }
  return null;
}
