import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/**
 * A pass-through stream that hashes (sha256) and counts what flows through it.
 *
 * @example
 * const h = new HashingPassThrough();
 * await pipeline(createReadStream(file), h, sink);
 * h.digest(); h.bytes;
 */
export class HashingPassThrough extends Transform {
  private readonly hash = createHash("sha256");
  /** Bytes seen so far. */
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
    cb(null, chunk);
  }
  /** The sha256 of everything seen, in hex (call once, at the end). */
  digest(): string {
    return this.hash.digest("hex");
  }
}
