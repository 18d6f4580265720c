// What a file that is not a profile flamebook reads looks like, from its first bytes, so an
// "unknown profile format" error can say "this is a PNG image" instead of printing binary bytes.
// Magic numbers: perf.data (tools/perf/util/header.c: "PERFILE2" as a u64, either byte order,
// and the legacy "PERFFILE"), ELF, Mach-O, PE, zip, tar (ustar), zstd, xz, bzip2, PNG, JPEG,
// GIF, WebP, PDF; SVG and HTML by their first tag.

/** A kind of content flamebook does not read as a profile, and what to do about it. */
export interface ContentKind {
  /** Short name, e.g. "png", "elf", "perf.data", "binary". */
  readonly name: string;
  /** What it is, as a noun phrase: "a PNG image". */
  readonly what: string;
  /** What to do instead, as a sentence. Default: none. */
  readonly fix?: string;
}

const PICTURE_FIX =
  "flamebook reads the profile a flamegraph is drawn from (perf script output, folded stacks, perf.data, pprof…), not a picture of one.";
const PROGRAM_FIX = "Record it first (`flamebook record -- ./program`, or perf.record in a notebook), then open the recording.";
const ARCHIVE_FIX = "Unpack it and open the profile inside.";
const unpack = (tool: string) => `Decompress it first (\`${tool}\`): flamebook unpacks gzip only.`;

/**
 * Magic numbers: `bytes` at offset `at` (default 0); `and` also there; `binary`: only when the
 * head is binary (short magic that text may start with); `test`: a further check of the bytes.
 */
interface Magic {
  readonly bytes: readonly number[];
  readonly at?: number;
  readonly and?: { readonly bytes: readonly number[]; readonly at: number };
  readonly binary?: boolean;
  readonly test?: (bytes: Uint8Array) => boolean;
  readonly kind: ContentKind;
}

/**
 * After a perf.data magic comes the header's size as a u64 (104 for a file, 16 for a pipe), in
 * either byte order: at least 4 of those 8 bytes are 0. Text starting with "PERFILE2" has none.
 */
const perfHeaderSize = (b: Uint8Array): boolean => b.length >= 16 && b.subarray(8, 16).filter((x) => x === 0).length >= 4;

const MAGIC: readonly Magic[] = [
  { bytes: ascii("PERFILE2"), test: perfHeaderSize, kind: perfKind() },
  { bytes: ascii("2ELIFREP"), test: perfHeaderSize, kind: perfKind() }, // PERFILE2 written by a big-endian machine
  { bytes: ascii("PERFFILE"), test: perfHeaderSize, kind: perfKind() }, // the legacy header
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: { name: "elf", what: "an ELF executable or shared library (a program, not a profile)", fix: PROGRAM_FIX } },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], kind: { name: "mach-o", what: "a Mach-O executable (a program, not a profile)", fix: PROGRAM_FIX } },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], kind: { name: "mach-o", what: "a Mach-O executable (a program, not a profile)", fix: PROGRAM_FIX } },
  { bytes: ascii("MZ"), binary: true, kind: { name: "pe", what: "a Windows executable or DLL (a program, not a profile)", fix: PROGRAM_FIX } },
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: { name: "zip", what: "a zip archive", fix: ARCHIVE_FIX } },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: { name: "zip", what: "an empty zip archive", fix: ARCHIVE_FIX } },
  { bytes: ascii("ustar"), at: 257, kind: { name: "tar", what: "a tar archive", fix: ARCHIVE_FIX } },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], kind: { name: "zstd", what: "zstd-compressed data", fix: unpack("zstd -d FILE") } },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: { name: "xz", what: "xz-compressed data", fix: unpack("xz -d FILE") } },
  { bytes: ascii("BZh"), binary: true, kind: { name: "bzip2", what: "bzip2-compressed data", fix: unpack("bzip2 -d FILE") } },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: { name: "png", what: "a PNG image", fix: PICTURE_FIX } },
  { bytes: [0xff, 0xd8, 0xff], kind: { name: "jpeg", what: "a JPEG image", fix: PICTURE_FIX } },
  { bytes: ascii("GIF87a"), kind: { name: "gif", what: "a GIF image", fix: PICTURE_FIX } },
  { bytes: ascii("GIF89a"), kind: { name: "gif", what: "a GIF image", fix: PICTURE_FIX } },
  { bytes: ascii("RIFF"), and: { bytes: ascii("WEBP"), at: 8 }, kind: { name: "webp", what: "a WebP image", fix: PICTURE_FIX } },
  { bytes: ascii("%PDF-"), kind: { name: "pdf", what: "a PDF document", fix: PICTURE_FIX } },
];

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

function perfKind(): ContentKind {
  return {
    name: "perf.data",
    what: "a perf.data file (the binary output of `perf record`)",
    fix: "flamebook reads it by running `perf script` on it: open it with `flamebook open FILE` or open(FILE) from flamebook, or convert it yourself: `perf script -i FILE > FILE.txt`.",
  };
}

/**
 * True when `bytes` start with a perf.data header: the magic "PERFILE2" (either byte order) or
 * the legacy "PERFFILE", then the header's size as a u64. A `perf record -o -` pipe file starts
 * the same way.
 *
 * @example
 * isPerfData(readFileSync("perf.data")); // true
 */
export function isPerfData(bytes: Uint8Array): boolean {
  return contentKind(bytes)?.name === "perf.data";
}

/**
 * What the content is when it is recognisably not a profile flamebook reads: a perf.data file,
 * an executable, an archive, a compressed stream other than gzip, an image, a PDF, an SVG or
 * HTML page, or other binary data (NUL or control bytes, invalid UTF-8). Undefined for text
 * (which may be a profile, or text of an unknown format). UTF-16 text without a byte-order
 * mark counts as text.
 *
 * @example
 * contentKind(readFileSync("flame.png"))?.what; // "a PNG image"
 * contentKind(Buffer.from("main;work 3\n"));     // undefined
 */
export function contentKind(bytes: Uint8Array): ContentKind | undefined {
  const has = (magic: readonly number[], at: number) => bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
  for (const m of MAGIC) {
    if (has(m.bytes, m.at ?? 0) && (!m.and || has(m.and.bytes, m.and.at)) && (!m.binary || looksBinary(bytes)) && (!m.test || m.test(bytes))) return m.kind;
  }
  const markup = markupKind(bytes);
  if (markup) return markup;
  if (looksBinary(bytes)) return { name: "binary", what: `binary data (it starts with the bytes ${hexBytes(bytes, 8)}), not text` };
  return undefined;
}

/** SVG or HTML: the first tag after an optional BOM, whitespace, `<?xml …?>`, doctype and comments. */
function markupKind(bytes: Uint8Array): ContentKind | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString("latin1").replace(/^\xef\xbb\xbf/, "");
  if (!/^\s*</.test(text)) return undefined;
  const rest = text.replace(/^(\s*(<\?[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE svg[^>]*>))*\s*/i, "");
  if (/^<svg[\s>]/i.test(rest)) {
    return { name: "svg", what: "an SVG image (a flamegraph drawn by flamegraph.pl or inferno, perhaps)", fix: PICTURE_FIX };
  }
  if (/^(<!doctype html[\s>]|<html[\s>])/i.test(rest)) {
    return { name: "html", what: "an HTML page (a flamegraph page, perhaps)", fix: PICTURE_FIX };
  }
  return undefined;
}

/**
 * True when the first 4 KB hold a NUL byte, many control bytes, or much invalid UTF-8 —
 * except UTF-16 text (with a byte-order mark, or without one: NULs in every other byte).
 */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  if (n === 0) return false;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  if (utf16WithoutBom(bytes) !== null) return false;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
  }
  if (controls > n * 0.05) return true;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, n).toString("utf8");
  let bad = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return bad > 4 && bad > text.length * 0.1; // a cut multi-byte character at the end is not binary
}

/**
 * "UTF-16LE"/"UTF-16BE" when the first 512 bytes look like that text without a byte-order mark
 * (a NUL in most odd or most even bytes, few in the others), else null.
 *
 * @example
 * utf16WithoutBom(Buffer.from("main;work 3\n", "utf16le")); // "UTF-16LE"
 */
export function utf16WithoutBom(bytes: Uint8Array): "UTF-16LE" | "UTF-16BE" | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8 || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const half = n / 2;
  if (odd > 0.8 * half && even < 0.1 * half) return "UTF-16LE";
  if (even > 0.8 * half && odd < 0.1 * half) return "UTF-16BE";
  return null;
}

/**
 * The first `n` bytes as hex, e.g. "7f 45 4c 46 02 01 01 00".
 *
 * @example
 * hexBytes(new Uint8Array([0x1f, 0x8b]), 8); // "1f 8b"
 */
export function hexBytes(bytes: Uint8Array, n: number): string {
  return [...bytes.subarray(0, n)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}
