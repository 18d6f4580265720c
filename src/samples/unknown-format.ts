// The error for content no importer recognises. It names the input and what the content looks
// like (empty, only whitespace, a perf.data file, an image, an executable, an archive, binary
// data, or text and how it starts), never printing raw binary bytes, then the supported formats
// and how this caller picks one: `{ format }` in the API, `--format <name>` on the command line.
import { contentKind, utf16WithoutBom } from "./content-kind.js";
import { decodeText } from "./text-encoding.js";

/** Options of {@link unknownFormatError}. Every option documents its default. */
export interface UnknownFormatOptions {
  /** The file name. Default: "this input". */
  source?: string;
  /** The format names to list after "Supported:". Default: none listed. */
  supported?: readonly string[];
  /** How the user picks a format: the CLI passes "--format <name>". Default: "{ format }". */
  formatFlag?: string;
  /** The content was unpacked from gzip. Default: false. */
  gzipped?: boolean;
  /** `content` is the whole input, not just its head (so "empty" and "only whitespace" are true of all of it). Default: false. */
  complete?: boolean;
}

/**
 * The "unknown profile format" error for `content` (the input's first KB, after gunzip): it says
 * what the input looks like and how to choose a format, and never quotes binary bytes.
 *
 * @example
 * unknownFormatError(readFileSync("flame.png"), { source: "flame.png", supported: ["folded"] }).message;
 * // "flamebook: flame.png: unknown profile format: it is a PNG image. flamebook reads the profile … Supported: folded. Pass { format } to choose one."
 */
export function unknownFormatError(content: Uint8Array, opts: UnknownFormatOptions = {}): Error {
  const subject = opts.source ?? "this input";
  const what = opts.source === undefined ? "input" : "file";
  const choose = `${opts.supported?.length ? ` Supported: ${opts.supported.join(", ")}.` : ""} Pass ${opts.formatFlag ?? "{ format }"} to choose one.`;
  const inGzip = opts.gzipped ? "gzip-compressed, and inside is " : "";
  if (content.length === 0 && opts.complete) {
    const unpacked = opts.gzipped ? "it unpacks from gzip to nothing (0 bytes)" : `the ${what} is empty (0 bytes)`;
    return new Error(`flamebook: ${subject}: ${unpacked}: there is no profile in it. Was the profiler stopped before it wrote anything?`);
  }
  const kind = contentKind(content);
  if (kind?.name === "perf.data") return perfDataError(opts.source, opts.gzipped);
  if (kind) {
    const fix = kind.fix ? ` ${kind.fix.replaceAll("FILE", opts.source ?? "FILE")}` : "";
    return new Error(`flamebook: ${subject}: unknown profile format: it is ${inGzip}${kind.what}.${fix}${choose}`);
  }
  const text = decodeText(content);
  if (opts.complete && /^[\s\ufeff]*$/.test(text)) {
    const lines = text.split("\n").length - 1;
    return new Error(
      `flamebook: ${subject}: the ${what} holds only whitespace (${content.length} bytes${lines > 0 ? `, ${lines} line end${lines === 1 ? "" : "s"}` : ""}): there is no profile in it.`,
    );
  }
  const shown = JSON.stringify(text.slice(0, 60));
  const utf16 = utf16WithoutBom(content);
  return new Error(
    `flamebook: ${subject}: unknown profile format (it ${opts.gzipped ? "is gzip-compressed text that " : ""}starts with ${shown}).${choose}` +
      (utf16 ? `\nIt looks like UTF-16 text without a byte-order mark; convert it: \`iconv -f ${utf16} -t UTF-8\`.` : ""),
  );
}

/**
 * The error for a perf.data file where nothing can run `perf script` (openProfile without a
 * `readPerfData`): what to call instead.
 *
 * @example
 * perfDataError("run.perf.data").message; // "flamebook: run.perf.data: it is a perf.data file … Open it with open("run.perf.data") from flamebook …"
 */
export function perfDataError(source: string | undefined, gzipped = false): Error {
  const subject = source ?? "this input";
  const file = source ?? "FILE";
  return new Error(
    `flamebook: ${subject}: it is ${gzipped ? "gzip-compressed, and inside is " : ""}a perf.data file (the binary output of \`perf record\`), which flamebook reads by running \`perf script\` on it; ` +
      `openProfile runs no programs. Open it with open(${JSON.stringify(file)}) from flamebook or \`flamebook open ${file}\`, ` +
      `pass { readPerfData } (from flamebook) to openProfile, or convert it yourself: \`perf script -i ${file} > ${file}.txt\`.`,
  );
}
