// gzip (RFC 1952) as profile files use it: detection, a capped full gunzip with FormatErrors,
// and a tolerant gunzip of a file's first KB for sniffing.
import { constants, gunzipSync } from "node:zlib";
import { FormatError } from "../model/errors.js";

/** The largest unpacked profile read: 1 GiB (a gzip bomb is a FormatError, not an out-of-memory crash). */
export const MAX_UNPACKED_BYTES = 2 ** 30;

/**
 * True when `bytes` starts with the gzip magic 1f 8b.
 *
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The bytes, gunzipped when they start with the gzip magic. A truncated or corrupt stream, or
 * one that unpacks to more than `maxBytes`, is a FormatError of `format`.
 *
 * @example
 * const raw = gunzipIfNeeded(readFileSync("cpu.pb.gz"), "pprof"); // the profile.proto message
 */
export function gunzipIfNeeded(bytes: Uint8Array, format: string, maxBytes = MAX_UNPACKED_BYTES): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    const tooLarge = (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    throw new FormatError(
      format,
      1,
      tooLarge ? `a gzip stream that unpacks to at most ${maxBytes} bytes` : "a complete gzip stream",
      tooLarge ? "more" : (e as Error).message,
      { fix: "The file is truncated or corrupt; copy it again, or re-run the profiler." },
    );
  }
}

/**
 * What the first compressed bytes unpack to, as far as they go (a cut stream is fine); empty
 * when they are not gzip that can be read. At most 4 MiB: when the first `compressedBytes`
 * unpack to more (repetitive text compresses up to 1000:1), fewer of them are unpacked. For
 * sniffing only.
 *
 * @example
 * looksLikePprof(gunzipHead(head)); // sniff a gzipped file from its first KB
 */
export function gunzipHead(bytes: Uint8Array, compressedBytes = 2048): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  for (let n = compressedBytes; ; n = Math.floor(n / 4)) {
    try {
      return gunzipSync(bytes.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 22 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ERR_BUFFER_TOO_LARGE" || n < 64) return new Uint8Array(0);
    }
  }
}
