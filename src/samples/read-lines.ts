import { isAscii } from "node:buffer";
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { FormatError } from "../model/errors.js";
import type { LineParser } from "./importer.js";

/** Text, bytes, or a stream of chunks (a Node Readable, `process.stdin`, a child's stdout…). */
export type TextInput = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** Something to write chunks to, then end to get the parser's result. */
export interface LineFeeder<T> {
  write(chunk: string | Uint8Array): void;
  end(): T;
}

/**
 * Feeds text to a push parser line by line: "\n" and "\r\n" line ends, chunks split anywhere
 * (even inside a UTF-8 character). Parsers with a `lineBytes` fast path get raw bytes.
 *
 * @example
 * const feed = lineFeeder(perfScript.parser());
 * feed.write("comm 1 1.0: 1 cpu-clock:\n"); const profile = feed.end();
 */
export function lineFeeder<T>(parser: LineParser<T>): LineFeeder<T> {
  if (parser.blockBytes) return blockFeeder(parser, parser.blockBytes.bind(parser));
  return parser.lineBytes ? byteFeeder(parser, parser.lineBytes.bind(parser)) : textFeeder(parser);
}

function textFeeder<T>(parser: LineParser<T>): LineFeeder<T> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let no = 0;
  return {
    write(chunk) {
      // ASCII chunks skip UTF-8 decoding. A chunk that ends inside a multi-byte character is
      // not ASCII, so the decoder's carried-over state stays right.
      const text = typeof chunk === "string" ? chunk : isAscii(chunk) ? toBuffer(chunk).toString("latin1") : decoder.write(toBuffer(chunk));
      const all = rest.length > 0 ? rest + text : text;
      let start = 0;
      for (let nl = all.indexOf("\n"); nl !== -1; nl = all.indexOf("\n", start)) {
        const end = nl > start && all.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        parser.line(all.slice(start, end), ++no);
        start = nl + 1;
      }
      rest = start === 0 ? all : all.slice(start);
    },
    end() {
      const tail = rest + decoder.end();
      rest = "";
      return parser.end(tail, no + 1);
    },
  };
}

function byteFeeder<T>(parser: LineParser<T>, lineBytes: (buf: Buffer, start: number, end: number, no: number) => void): LineFeeder<T> {
  let rest: Buffer = Buffer.alloc(0);
  let no = 0;
  const lines = (buf: Buffer, from: number): number => {
    let start = from;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      lineBytes(buf, start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl, ++no);
      start = nl + 1;
    }
    return start;
  };
  return {
    write(chunk) {
      let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : toBuffer(chunk);
      let from = 0;
      if (rest.length > 0) {
        // Finish the line carried over from the previous chunk without copying the whole chunk.
        const nl = buf.indexOf(10);
        if (nl === -1) {
          rest = Buffer.concat([rest, buf]);
          return;
        }
        const first = Buffer.concat([rest, buf.subarray(0, nl + 1)]);
        lines(first, 0);
        from = nl + 1;
      }
      const start = lines(buf, from);
      rest = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
    },
    end() {
      const tail = rest.toString("utf8");
      rest = Buffer.alloc(0);
      return parser.end(tail, no + 1);
    },
  };
}

function blockFeeder<T>(parser: LineParser<T>, blockBytes: NonNullable<LineParser<T>["blockBytes"]>): LineFeeder<T> {
  // The unterminated last line, in pieces: a line longer than many chunks is joined once, when its
  // end arrives, not once per chunk.
  let parts: Buffer[] = [];
  let no = 0;
  const keep = (buf: Buffer, from: number) => {
    // a copy: a view would pin the whole chunk
    if (from < buf.length) parts.push(Buffer.from(buf.subarray(from)));
  };
  return {
    write(chunk) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : toBuffer(chunk);
      let from = 0;
      if (parts.length > 0) {
        // finish the carried line without copying the whole chunk
        const nl = buf.indexOf(10);
        if (nl === -1) return keep(buf, 0);
        parts.push(buf.subarray(0, nl + 1));
        const first = Buffer.concat(parts);
        parts = [];
        no = blockBytes(first, 0, first.length, no).no;
        from = nl + 1;
      }
      const r = blockBytes(buf, from, buf.length, no);
      no = r.no;
      keep(buf, r.next);
    },
    end() {
      const rest = Buffer.concat(parts);
      parts = [];
      return parser.end(rest.toString("utf8"), no + 1);
    },
  };
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Runs a push parser over text, bytes, a stream or a file path (`{ path }`), naming the file in
 * any FormatError it throws.
 *
 * @example
 * const profile = await parseInput(perfScript.parser(), { path: "perf.txt" });
 */
export async function parseInput<T>(parser: LineParser<T>, input: TextInput | { path: string }, source?: string): Promise<T> {
  const feed = lineFeeder(parser);
  const path = isPathInput(input) ? input.path : undefined;
  const name = source ?? path;
  try {
    if (typeof input === "string" || input instanceof Uint8Array) feed.write(input);
    else {
      const chunks = isPathInput(input) ? createReadStream(input.path, { highWaterMark: 1 << 20 }) : input;
      for await (const chunk of chunks) feed.write(chunk);
    }
    return feed.end();
  } catch (e) {
    if (e instanceof FormatError && name !== undefined && e.source === undefined) throw e.withSource(name);
    if ((e as NodeJS.ErrnoException).code === "ENOENT" && path !== undefined) {
      throw new Error(`flamebook: no such file: ${path}`);
    }
    throw e;
  }
}

function isPathInput(input: TextInput | { path: string }): input is { path: string } {
  return typeof input === "object" && !(input instanceof Uint8Array) && !(Symbol.asyncIterator in input) && "path" in input;
}
