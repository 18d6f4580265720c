// A second look for the sniffers when the head cut a line: a folded stack 20,000 frames deep, or
// one with a 100 KB name, is a single line longer than the 64 KB head, and no sniffer can see its
// count. The wide head is the head, the end of the line it cut (its middle left out when long),
// and what follows that line.

/** Options of {@link wideHead}. Every option documents its default. */
export interface WideHeadOptions {
  /** How much of the cut line's end, and of what follows it, to keep. Default: 32 KiB each. */
  keep?: number;
  /** Give up when the cut line is longer than this many bytes. Default: 64 MiB. */
  maxLine?: number;
}

/**
 * The head, then the last `keep` bytes of the line the head cut (up to and including its
 * newline, or the end of the input), then up to `keep` bytes after that line. `rest` is the
 * content after the head, in chunks; reading stops as soon as enough is seen. Undefined when
 * the line goes on past `maxLine` bytes. The cut line's kept end starts at an even offset of
 * the content, so UTF-16 text stays aligned.
 *
 * @example
 * const view = await wideHead(head, createReadStream(path, { start: head.length }));
 * importers.find((i) => i.sniff(decodeText(view), view));
 */
export async function wideHead(head: Uint8Array, rest: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>, opts: WideHeadOptions = {}): Promise<Uint8Array | undefined> {
  const keep = opts.keep ?? 32 * 1024;
  const maxLine = opts.maxLine ?? 64 * 1024 * 1024;
  let inLine = head.length > 0 && head[head.length - 1] !== 0x0a;
  let tail: Buffer = Buffer.alloc(0);
  let tailEnd = head.length; // content offset just after `tail`
  let scanned = 0;
  const after: Buffer[] = [];
  let afterLength = 0;
  const addToTail = (b: Buffer) => {
    tail = tail.length === 0 ? b : Buffer.concat([tail, b]);
    tailEnd += b.length;
    if (tail.length > 2 * keep) tail = trimmed(tail, tailEnd, keep);
  };
  for await (const raw of rest) {
    let chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (inLine) {
      const nl = chunk.indexOf(0x0a);
      scanned += nl === -1 ? chunk.length : nl + 1;
      if (scanned > maxLine) return undefined;
      if (nl === -1) {
        addToTail(chunk);
        continue;
      }
      addToTail(chunk.subarray(0, nl + 1));
      chunk = chunk.subarray(nl + 1);
      inLine = false;
    }
    const take = chunk.subarray(0, keep - afterLength);
    after.push(take);
    afterLength += take.length;
    if (afterLength >= keep) break;
  }
  return Buffer.concat([head, trimmed(tail, tailEnd, keep), ...after]);
}

/** The last `keep` bytes of `b` (which ends at content offset `end`), starting at an even offset. */
function trimmed(b: Buffer, end: number, keep: number): Buffer {
  if (b.length <= keep) return b;
  let start = b.length - keep;
  if ((end - b.length + start) % 2 === 1) start++;
  return Buffer.from(b.subarray(start));
}
