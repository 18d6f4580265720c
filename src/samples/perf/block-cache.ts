// Format: none; a helper of the perf-script parser (./parser.ts). Most samples of a recording
// repeat a call chain seen before, byte for byte, below the sampled frame: the same return
// addresses, symbols and dsos. The parser looks such a block of frame lines up here as a whole
// and reuses its stack, instead of reading it line by line again.

/** What a block of frame lines (everything below the leaf line of a record) parsed to. */
export interface CachedBlock {
  /** The block's bytes, a copy. */
  readonly bytes: Buffer;
  /** The stack id of the block's frames (root first, the leaf's caller last). */
  readonly stack: number;
  /** The dso of the block's first physical frame: the leaf takes it when perf printed none (inlined frames). */
  readonly module: string;
  /** How many lines the block has. */
  readonly lines: number;
}

/** Cached bytes at most, so memory stays bounded on system-wide profiles with many distinct chains. */
const MAX_BYTES = 64 << 20;

/**
 * Blocks of frame lines by content. A block is looked up by its first line (the leaf's caller,
 * with its return address, which mostly decides the rest of the chain), then confirmed with a
 * byte comparison of the whole block and a blank line after it, so a hit is always exact and
 * never needs a search for the record's end.
 *
 * @example
 * const cache = new BlockCache();
 * cache.add(buf, 10, 40, 90, { stack: 3, module: "/bin/app", lines: 2 }); // first line ends at 40
 * cache.find(buf, 10, 40, buf.length)?.stack; // 3, when buf[10..90) is the same block and buf[90] is "\n"
 */
export class BlockCache {
  private readonly buckets = new Map<number, CachedBlock[]>();
  private bytes = 0;

  /**
   * The cached block whose bytes start at `start` in `buf` (its first line ends at `firstEnd`) and
   * are followed by a blank line, within `buf[..end)`; undefined when there is none.
   */
  find(buf: Buffer, start: number, firstEnd: number, end: number): CachedBlock | undefined {
    const bucket = this.buckets.get(hash(buf, start, firstEnd));
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      const b = bucket[i]!;
      const stop = start + b.bytes.length;
      if (stop < end && buf[stop] === 10 && buf.compare(b.bytes, 0, b.bytes.length, start, stop) === 0) return b;
    }
    return undefined;
  }

  /** Remembers what the block `buf[start..stop)` (first line ending at `firstEnd`) parsed to, unless the cache is full. */
  add(buf: Buffer, start: number, firstEnd: number, stop: number, parsed: { stack: number; module: string; lines: number }): void {
    if (this.bytes + (stop - start) > MAX_BYTES) return;
    this.bytes += stop - start;
    const block: CachedBlock = { bytes: Buffer.from(buf.subarray(start, stop)), ...parsed };
    const key = hash(buf, start, firstEnd);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, [block]);
    // the most recent first: a hot chain is found at once
    else bucket.unshift(block);
  }
}

/** FNV-1a of a line's bytes. */
function hash(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}
