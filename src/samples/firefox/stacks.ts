// Format: the stack tables of the Firefox Profiler formats (gecko and processed): row `i` is
// frame `frame[i]` called from row `prefix[i]` (null for a root). Helper of ./firefox.ts.
import type { ProfileBuilder } from "../../model/profile-builder.js";

/**
 * Maps rows of a Firefox stack table to {@link ProfileBuilder} stacks, lazily: only the rows a
 * sample uses and their prefixes are read, each once. Prefix chains are walked iteratively, so
 * deep stacks cannot overflow the call stack, and a chain that comes back to itself is reported
 * through `onCycle` instead of looping forever. Rows may come in any order.
 *
 * @example
 * const stacks = new StackResolver(rows, (r) => prefix[r] ?? -1, (r) => frameId(frame[r]), b, (r) => doc.fail(…));
 * b.sample(stacks.resolve(sampleStack), thread, event, time, 1);
 */
export class StackResolver {
  /** Builder stack per row; -1 while not resolved. */
  private readonly out: Int32Array;
  /** The walk that last visited a row, to notice cycles. */
  private readonly seen: Int32Array;
  private walk = 0;
  private readonly chain: number[] = [];

  /**
   * @param rows the number of rows (the length of the frame column)
   * @param prefixOf a row's prefix row, or -1 for a root; validates the index
   * @param frameOf the builder frame id of a row's frame; validates it
   * @param onCycle reports a row whose prefix chain leads back to itself
   */
  constructor(
    rows: number,
    private readonly prefixOf: (row: number) => number,
    private readonly frameOf: (row: number) => number,
    private readonly b: ProfileBuilder,
    private readonly onCycle: (row: number) => never,
  ) {
    this.out = new Int32Array(rows).fill(-1);
    this.seen = new Int32Array(rows);
  }

  /** The builder stack of `row` (an index already checked to be below `rows`). */
  resolve(row: number): number {
    const done = this.out[row]!;
    if (done >= 0) return done;
    const walk = ++this.walk;
    const chain = this.chain;
    chain.length = 0;
    let r = row;
    while (r >= 0 && this.out[r]! < 0) {
      if (this.seen[r] === walk) this.onCycle(r);
      this.seen[r] = walk;
      chain.push(r);
      r = this.prefixOf(r);
    }
    let s = r < 0 ? -1 : this.out[r]!;
    for (let k = chain.length - 1; k >= 0; k--) {
      const at = chain[k]!;
      s = this.b.stack(s, this.frameOf(at));
      this.out[at] = s;
    }
    return s;
  }
}
