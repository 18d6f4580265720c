import type { Profile } from "../model/profile.js";

/** Options every importer understands. */
export interface ImportOptions {
  /** The file name, for error messages and `profile.source`. Default: none. */
  source?: string;
  /** Remove Rust legacy-mangling hashes (`::h<16 hex>`) from names. Default: false. */
  cleanNames?: boolean;
  /** Keep one row per sample (false merges equal stacks: memory bounded by unique stacks). Default: true. */
  keepSamples?: boolean;
}

/**
 * A push parser: gets every complete line (without "\n" or "\r\n") with its 1-based number,
 * then `end` with the unterminated rest of the input ("" when the input ended with a newline).
 */
export interface LineParser<T> {
  line(text: string, no: number): void;
  /**
   * Optional fast path for hot parsers: the line is the UTF-8 bytes `buf[start..end)`, passed
   * without decoding or copying (`line` is then never called). V8's string scanning is several
   * times slower than `Buffer.indexOf`, so large inputs are split and parsed as bytes.
   */
  lineBytes?(buf: Buffer, start: number, end: number, no: number): void;
  /**
   * Optional fastest path, for parsers that read whole records at once: reads the complete lines
   * of `buf[start..end)` (line `no + 1` starts at `start`) and returns where it stopped, at the
   * start of the unterminated last line, which the feeder gives again with the next chunk after
   * it. `line`/`lineBytes` are then never called by the feeder.
   */
  blockBytes?(buf: Buffer, start: number, end: number, no: number): BlockResult;
  end(unterminated: string, no: number): T;
}

/** Where {@link LineParser.blockBytes} stopped: the offset of the first unread line, and the number of the last line read. */
export interface BlockResult {
  next: number;
  no: number;
}

/**
 * A profile format. Each importer is one file in `src/samples/` that starts with a
 * "// Format:" comment naming its spec. Text formats that can be read line by line give a
 * streaming `parser`; whole-document formats (JSON, protobuf) give `decode`. Exactly one of
 * the two is present.
 */
export interface Importer {
  readonly name: string;
  /** Usual file name endings, e.g. [".folded"], for messages; sniffing never relies on them. */
  readonly extensions?: readonly string[];
  /**
   * True when the input looks like this format: `head` is the first few KB decoded as UTF-8
   * (after gunzip), `bytes` the same KB raw (for binary formats). Cheap; no full parse.
   */
  sniff(head: string, bytes?: Uint8Array): boolean;
  /** A fresh streaming parser (line-based text formats). */
  parser?(opts?: ImportOptions): LineParser<Profile>;
  /** Reads a whole (already gunzipped) document. Throws FormatError on bad input. */
  decode?(bytes: Uint8Array, opts?: ImportOptions): Profile;
}

/** An importer with a streaming parser. */
export type LineImporter = Importer & { parser(opts?: ImportOptions): LineParser<Profile> };
