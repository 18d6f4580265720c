import { createReadStream } from "node:fs";
import { open as openFile, readFile } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { FormatError } from "../model/errors.js";
import type { Profile } from "../model/profile.js";
import { cachegrind } from "./callgrind/cachegrind.js";
import { callgrind } from "./callgrind/callgrind.js";
import { cpuprofile } from "./chrome/cpuprofile.js";
import { firefox } from "./firefox/firefox.js";
import { folded } from "./folded/folded.js";
import type { ImportOptions, Importer } from "./importer.js";
import { perfScript } from "./perf/perf-script.js";
import { pprof } from "./pprof/pprof.js";
import { parseInput } from "./read-lines.js";
import { speedscope } from "./speedscope/speedscope.js";
import { decodeText, textEncodingOf } from "./text-encoding.js";
import { gunzipHead, gunzipIfNeeded, isGzip } from "./gzip.js";

/**
 * Every importer, in sniffing order: binary and JSON formats first (their sniffers are
 * precise), then the line formats, folded last (its shape is the loosest).
 */
export const importers: readonly Importer[] = [pprof, firefox, speedscope, cpuprofile, callgrind, cachegrind, perfScript, folded];

/** Options of {@link openProfile}. */
export interface OpenOptions extends ImportOptions {
  /** The format by name (see `importers`); it wins over sniffing. Default: sniffed from the content. */
  format?: string;
  /** pprof only: which sample type to read, by name or index. Default: the file's default, then cpu, samples, the last. */
  sampleType?: string;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Opens a profile of any supported format from a path or bytes: gzip is detected and
 * unpacked, then the content (not the file name) decides the format, unless `format` is given.
 * Line formats are streamed from files, so a large perf script never sits in memory whole.
 * An unknown format gives an error that lists the supported ones.
 *
 * @example
 * const p = await openProfile("profile.json.gz");            // samply / Firefox Profiler
 * const q = await openProfile(bytes, { format: "folded" });
 */
export async function openProfile(input: string | Uint8Array, opts: OpenOptions = {}): Promise<Profile> {
  const source = opts.source ?? (typeof input === "string" ? input : undefined);
  const o: OpenOptions = { ...opts, source };
  const head = typeof input === "string" ? await readHead(input) : input.subarray(0, HEAD_BYTES);
  const gz = isGzip(head);
  // the first KB of the content itself, for sniffing
  const content = gz ? gunzipHead(head, HEAD_BYTES) : head;
  if (gz && content.length === 0) throw new FormatError("gzip", 1, "a gzip stream", "bytes that do not unpack", { fix: "The file may be truncated or not really gzip." });
  const importer = opts.format !== undefined ? byName(opts.format) : sniff(content, source);

  if (importer.decode) {
    const bytes = typeof input === "string" ? await readFile(input) : input;
    return withSource(() => importer.decode!(gunzipIfNeeded(bytes, importer.name), o), source);
  }
  const parser = importer.parser!(o);
  if (textEncodingOf(content).encoding !== "utf-8") {
    // UTF-16 text: decode whole, then feed as text
    const bytes = typeof input === "string" ? await readFile(input) : input;
    return parseInput(parser, decodeText(withSource(() => gunzipIfNeeded(bytes, importer.name), source)), source);
  }
  if (typeof input !== "string") return parseInput(parser, withSource(() => gunzipIfNeeded(input, importer.name), source), source);
  if (!gz) return parseInput(parser, { path: input }, source);
  return parseInput(parser, createReadStream(input).pipe(createGunzip()), source);
}

/** The importer named `name`, or an error listing the names. @example byName("speedscope").name // "speedscope" */
export function byName(name: string): Importer {
  const found = importers.find((i) => i.name === name);
  if (!found) throw new Error(`flamebook: unknown format '${name}'. Supported: ${importers.map((i) => i.name).join(", ")}.`);
  return found;
}

/**
 * The first importer whose sniffer accepts the content, or an error naming the file, what it
 * starts with, and the supported formats.
 *
 * @example
 * sniff(Buffer.from("main;work 3\n")).name; // "folded"
 */
export function sniff(content: Uint8Array, source?: string): Importer {
  const text = decodeText(content.subarray(0, HEAD_BYTES));
  for (const i of importers) if (i.sniff(text, content)) return i;
  const shown = JSON.stringify(text.slice(0, 60));
  const utf16 = utf16WithoutBom(content);
  throw new Error(
    `flamebook: ${source ?? "this input"}: unknown profile format (it starts with ${shown}). ` +
      `Supported: ${importers.map((i) => i.name).join(", ")}. Pass { format } to choose one.` +
      (utf16 ? `\nIt looks like UTF-16 text without a byte-order mark; convert it: \`iconv -f ${utf16} -t UTF-8\`.` : ""),
  );
}

/** "UTF-16LE"/"UTF-16BE" when the head looks like that text without a BOM (a NUL in most odd/even bytes), else null. */
function utf16WithoutBom(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8 || textEncodingOf(bytes).bom > 0) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  if (odd > 0.8 * (n / 2) && even < 0.1 * (n / 2)) return "UTF-16LE";
  if (even > 0.8 * (n / 2) && odd < 0.1 * (n / 2)) return "UTF-16BE";
  return null;
}

async function readHead(path: string): Promise<Uint8Array> {
  let fh;
  try {
    fh = await openFile(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`flamebook: no such file: ${path}`);
    throw e;
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function withSource<T>(f: () => T, source: string | undefined): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FormatError && source !== undefined && e.source === undefined) throw e.withSource(source);
    throw e;
  }
}
