// Format: DHAT's call stacks (`fs`, innermost frame first), where valgrind and dhat-rs write every
// inlined function at an instruction address as its own entry before the function it was inlined
// into, all with the same address (valgrind's InlIPCursor, backtrace-rs's `symbols()`).

/**
 * Which entries of a call stack are inlined frames. A run of entries with the same address is one
 * machine frame: the last entry is the real function, the ones before it were inlined into it.
 * Recursion through one call site repeats the whole group (`visit, visit` at the same address, or
 * `a, b, a, b`), so the run is cut into copies of its shortest repeating unit and only the last
 * entry of each copy is real. Entries without an address (`""`) are never inlined.
 *
 * @example
 * inlinedFlags([5, 6, 7, 8], ["0x1", "0x1", "0x1", "0x2"]); // [true, true, false, false]
 * inlinedFlags([4, 4], ["0x9", "0x9"]);                    // [false, false]: recursion
 */
export function inlinedFlags(frames: ArrayLike<number>, addresses: ArrayLike<string>): boolean[] {
  const n = frames.length;
  const out = new Array<boolean>(n).fill(false);
  let i = 0;
  while (i < n) {
    const address = addresses[i]!;
    let j = i + 1;
    if (address !== "") while (j < n && addresses[j] === address) j++;
    const len = j - i;
    if (len > 1) {
      const period = shortestPeriod(frames, i, len);
      for (let k = 0; k < len; k++) out[i + k] = (len - 1 - k) % period !== 0;
    }
    i = j;
  }
  return out;
}

/**
 * The smallest p such that frames[from + k] === frames[from + k - p] for every k ≥ p in the run:
 * the run's length minus its longest proper border (the prefix function of Knuth–Morris–Pratt), in
 * linear time however long the run.
 */
function shortestPeriod(frames: ArrayLike<number>, from: number, len: number): number {
  const border = new Int32Array(len);
  for (let k = 1; k < len; k++) {
    let b = border[k - 1]!;
    while (b > 0 && frames[from + k] !== frames[from + b]) b = border[b - 1]!;
    if (frames[from + k] === frames[from + b]) b++;
    border[k] = b;
  }
  return len - border[len - 1]!;
}
