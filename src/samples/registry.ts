import { createReadStream } from "node:fs";
import { open as openFile, readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { FormatError } from "../model/errors.js";
import type { Profile } from "../model/profile.js";
import { cachegrind } from "./callgrind/cachegrind.js";
import { callgrind } from "./callgrind/callgrind.js";
import { cpuprofile } from "./chrome/cpuprofile.js";
import { dhat } from "./dhat/dhat.js";
import { contentKind, isPerfData } from "./content-kind.js";
import { firefox } from "./firefox/firefox.js";
import { folded } from "./folded/folded.js";
import type { ImportOptions, Importer } from "./importer.js";
import { perfScript } from "./perf/perf-script.js";
import { pprof } from "./pprof/pprof.js";
import { parseInput } from "./read-lines.js";
import { speedscope } from "./speedscope/speedscope.js";
import { decodeText, textEncodingOf } from "./text-encoding.js";
import { gunzipHead, gunzipIfNeeded, isGzip } from "./gzip.js";
import { perfDataError, unknownFormatError } from "./unknown-format.js";
import { wideHead } from "./wide-head.js";

/**
 * Every importer, in sniffing order: binary and JSON formats first (their sniffers are
 * precise), then the line formats, folded last (its shape is the loosest).
 */
export const importers: readonly Importer[] = [pprof, firefox, speedscope, cpuprofile, dhat, callgrind, cachegrind, perfScript, folded];

/** The format name of perf.data files, which are read through `perf script` by a {@link PerfDataReader}. */
export const PERF_DATA = "perf.data";

/** Every format name `format` takes: the importers' and {@link PERF_DATA}. */
export const formatNames: readonly string[] = [...importers.map((i) => i.name), PERF_DATA];

/**
 * Reads a perf.data file (a path, or its bytes) into a profile by running `perf script`.
 * flamebook's `readPerfData` is one; the samples layer runs no programs, so callers pass it in.
 */
export type PerfDataReader = (input: string | Uint8Array, opts: ImportOptions) => Promise<Profile>;

/** Options of {@link openProfile}. */
export interface OpenOptions extends ImportOptions {
  /** The format by name (see {@link formatNames}); it wins over sniffing. Default: sniffed from the content. */
  format?: string;
  /** pprof only: which sample type to read, by name or index. Default: the file's default, then cpu, samples, the last. */
  sampleType?: string;
  /**
   * Reads perf.data files (found by their magic number, or `format: "perf.data"`). flamebook's
   * `open()` and CLI pass `readPerfData`, which runs `perf script`. Default: none, and a
   * perf.data file is an error that says how to open it.
   */
  readPerfData?: PerfDataReader;
  /** How the user picks a format, for error messages: the CLI passes "--format <name>". Default: "{ format }". */
  formatFlag?: string;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Opens a profile of any supported format from a path or bytes: gzip is detected and
 * unpacked, then the content (not the file name) decides the format, unless `format` is given.
 * Line formats are streamed from files, so a large perf script never sits in memory whole.
 * When no importer recognises the first 64 KB and they end inside a line (a folded stack longer
 * than that), the sniffers look again at that line's end and what follows it.
 * perf.data files go to `readPerfData`. An unknown format gives an error that says what the
 * input looks like (empty, an image, an executable…) and lists the supported formats.
 *
 * @example
 * const p = await openProfile("profile.json.gz");            // samply / Firefox Profiler
 * const q = await openProfile(bytes, { format: "folded" });
 * const r = await openProfile("perf.data", { readPerfData }); // readPerfData from flamebook
 */
export async function openProfile(input: string | Uint8Array, opts: OpenOptions = {}): Promise<Profile> {
  const source = opts.source ?? (typeof input === "string" ? input : undefined);
  const o: OpenOptions = { ...opts, source };
  const { head, complete } = typeof input === "string" ? await readHead(input) : { head: input.subarray(0, HEAD_BYTES), complete: input.length <= HEAD_BYTES };
  const gz = isGzip(head);
  // the first KB of the content itself, for sniffing
  const content = gz ? gunzipHead(head, HEAD_BYTES) : head;
  if (gz && content.length === 0) throw new FormatError("gzip", 1, "a gzip stream", "bytes that do not unpack", { fix: "The file may be truncated or not really gzip." });
  if (opts.format === PERF_DATA || (opts.format === undefined && isPerfData(content))) return readPerfDataInput(input, gz, o);
  const importer = opts.format !== undefined ? byName(opts.format) : (findImporter(content) ?? (await sniffAgain(input, content, gz, complete)));
  if (!importer) {
    const whole = complete && (!gz || content.length < HEAD_BYTES); // a short gzip that unpacked whole
    throw unknownFormatError(content, { source, supported: formatNames, formatFlag: opts.formatFlag, gzipped: gz, complete: whole });
  }

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
  if (!found) throw new Error(`flamebook: unknown format '${name}'. Supported: ${formatNames.join(", ")}.`);
  return found;
}

/** Options of {@link sniff}. Every option documents its default. */
export interface SniffOptions {
  /** How the user picks a format, for the error: the CLI passes "--format <name>". Default: "{ format }". */
  formatFlag?: string;
  /** `content` was unpacked from gzip. Default: false. */
  gzipped?: boolean;
  /** `content` is the whole input (so the error may say "empty" or "only whitespace"). Default: false. */
  complete?: boolean;
}

/**
 * The first importer whose sniffer accepts the content, or an error naming the file, what it
 * looks like (empty, only whitespace, perf.data, an image, an executable, an archive, binary
 * data, or how its text starts; raw bytes are never printed), and the supported formats.
 *
 * @example
 * sniff(Buffer.from("main;work 3\n")).name; // "folded"
 * sniff(png, "flame.png", { formatFlag: "--format <name>" }); // throws "… it is a PNG image. …"
 */
export function sniff(content: Uint8Array, source?: string, opts: SniffOptions = {}): Importer {
  const found = findImporter(content);
  if (found) return found;
  throw unknownFormatError(content, { source, supported: formatNames, ...opts });
}

/** The first importer whose sniffer accepts the head (its first 64 KB as text; all of it as bytes). */
function findImporter(content: Uint8Array, textBytes = HEAD_BYTES): Importer | undefined {
  const text = decodeText(content.subarray(0, textBytes));
  return importers.find((i) => i.sniff(text, content));
}

/**
 * The importer that recognises the wide head ({@link wideHead}: the head, the end of the line it
 * cut, what follows), when the input goes on past the head and is not a known binary kind.
 */
async function sniffAgain(input: string | Uint8Array, content: Uint8Array, gz: boolean, complete: boolean): Promise<Importer | undefined> {
  const head = content.subarray(0, HEAD_BYTES);
  if (head.length < HEAD_BYTES || (complete && !gz) || contentKind(head) !== undefined) return undefined;
  // the bytes after the head: the file or the bytes from there on, or all of them through gunzip
  const from = gz ? 0 : head.length;
  const source = typeof input === "string" ? createReadStream(input, { start: from }) : Readable.from([input.subarray(from)]);
  let view: Uint8Array | undefined;
  try {
    view = await wideHead(head, gz ? skip(source.pipe(createGunzip()), head.length) : source);
  } catch {
    return undefined; // a broken gzip stream: the first look's error stands
  } finally {
    source.destroy();
  }
  return view === undefined ? undefined : findImporter(view, view.length);
}

/** The chunks of `stream` after its first `n` bytes. */
async function* skip(stream: Readable, n: number): AsyncGenerator<Uint8Array> {
  let left = n;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      if (left >= b.length) {
        left -= b.length;
        continue;
      }
      yield b.subarray(left);
      left = 0;
    }
  } finally {
    stream.destroy();
  }
}

/** perf.data: through the caller's `readPerfData` (gunzipped first), or the error that says how to open it. */
async function readPerfDataInput(input: string | Uint8Array, gz: boolean, o: OpenOptions): Promise<Profile> {
  const importOpts: ImportOptions = { source: o.source, cleanNames: o.cleanNames, keepSamples: o.keepSamples };
  if (!o.readPerfData) throw perfDataError(o.source, gz);
  if (!gz) return o.readPerfData(input, importOpts);
  const bytes = typeof input === "string" ? await readFile(input) : input;
  return o.readPerfData(withSource(() => gunzipIfNeeded(bytes, PERF_DATA), o.source), importOpts);
}

/** The file's first 64 KB, and whether that is all of it. Directories and unreadable files are clear errors. */
async function readHead(path: string): Promise<{ head: Uint8Array; complete: boolean }> {
  let fh;
  try {
    fh = await openFile(path, "r");
  } catch (e) {
    throw fileError(e, path);
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES + 1);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES + 1, 0);
    return { head: buf.subarray(0, Math.min(bytesRead, HEAD_BYTES)), complete: bytesRead <= HEAD_BYTES };
  } catch (e) {
    throw fileError(e, path);
  } finally {
    await fh.close();
  }
}

/** A clear error for a path that cannot be read as a file; other errors pass through. */
function fileError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new Error(`flamebook: no such file: ${path}`);
  if (code === "EISDIR") return new Error(`flamebook: ${path} is a directory, not a profile file: give the path of a profile in it.`);
  if (code === "EACCES" || code === "EPERM") return new Error(`flamebook: ${path}: permission denied: this user may not read it.`);
  return e;
}

function withSource<T>(f: () => T, source: string | undefined): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FormatError && source !== undefined && e.source === undefined) throw e.withSource(source);
    throw e;
  }
}
