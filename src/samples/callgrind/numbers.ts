// Format: the numbers of valgrind's "Callgrind Format Specification" (valgrind manual, callgrind
// chapter): `Number := 0x<hex> | <decimal>`, `SubPosition := Number | "+" Number | "-" Number | "*"`.
// Shared by the callgrind and cachegrind importers.

/**
 * Reads an unsigned decimal or `0x` hex number from `text[start..end)`; NaN when it is not one
 * or is too large to be exact in a double (2^53).
 *
 * @example
 * readNumber("calls=12 0x1f", 6, 8);   // 12
 * readNumber("0x1f", 0, 4);            // 31
 * readNumber("1e5", 0, 3);             // NaN
 */
export function readNumber(text: string, start: number, end: number): number {
  if (start >= end) return NaN;
  let v = 0;
  if (end - start > 2 && text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 32) === 120) {
    for (let i = start + 2; i < end; i++) {
      const c = text.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if ((c | 32) >= 97 && (c | 32) <= 102) d = (c | 32) - 87;
      else return NaN;
      v = v * 16 + d;
    }
  } else {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      v = v * 10 + (c - 48);
    }
  }
  return v <= Number.MAX_SAFE_INTEGER ? v : NaN;
}

/**
 * Reads a subposition: an absolute number, `+N`/`-N` relative to `previous`, or `*` (same as
 * `previous`). NaN when it is none of these.
 *
 * @example
 * readSubposition("+3", 0, 2, 10); // 13
 * readSubposition("*", 0, 1, 10);  // 10
 */
export function readSubposition(text: string, start: number, end: number, previous: number): number {
  const c = text.charCodeAt(start);
  if (c === 42) return end - start === 1 ? previous : NaN; // *
  if (c === 43) return previous + readNumber(text, start + 1, end); // +
  if (c === 45) return previous - readNumber(text, start + 1, end); // -
  return readNumber(text, start, end);
}

/**
 * Reads a cost line `subpositions… costs…` into `pos` (absolute positions, updated from their
 * previous values) and `costs` (missing trailing costs are 0). A line of positions only may
 * give fewer positions than `pos` has (the others stay, as callgrind_annotate reads it).
 * Returns null when the line is good, else what was expected (for a FormatError). `pos` is
 * only changed on success.
 *
 * @example
 * const pos = new Float64Array([16]), costs = new Float64Array(3);
 * readCostLine("+2 5 1", pos, costs, true); // null; pos[0] === 18, costs = [5, 1, 0]
 */
export function readCostLine(text: string, pos: Float64Array, costs: Float64Array, relative: boolean): string | null {
  const nPos = pos.length;
  costs.fill(0);
  const n = text.length;
  let i = 0;
  let k = 0;
  if (scratch.length < nPos) scratch = new Float64Array(nPos);
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    if (k < nPos) {
      const v = relative ? readSubposition(text, start, i, pos[k]!) : readNumber(text, start, i);
      if (Number.isNaN(v)) return `${positionWords(nPos, relative)} then up to ${costs.length} cost${costs.length === 1 ? "" : "s"} (whole numbers)`;
      scratch[k] = v;
    } else {
      const e = k - nPos;
      if (e >= costs.length) return `at most ${costs.length} cost${costs.length === 1 ? "" : "s"} after the position${nPos === 1 ? "" : "s"} (one per event)`;
      const v = readNumber(text, start, i);
      if (Number.isNaN(v)) return `whole-number costs after the position${nPos === 1 ? "" : "s"}`;
      costs[e] = v;
    }
    k++;
  }
  if (k === 0 && nPos > 0) return `${positionWords(nPos, relative)} at the start of the cost line`;
  for (let j = 0; j < nPos && j < k; j++) pos[j] = scratch[j]!;
  return null;
}

/**
 * Reads a list of subpositions only (the target of `calls=`/`jump=`), without changing `pos`.
 * Returns null when every token is a subposition (relative ones to `pos`, or to 0 past its
 * end: the target is not used, so its length is not checked).
 *
 * @example
 * readTargetPosition("+61 154", new Float64Array([10, 150])); // null
 */
export function readTargetPosition(text: string, pos: Float64Array): string | null {
  const tokens = text.trim().split(/[ \t]+/).filter((t) => t !== "");
  for (let k = 0; k < tokens.length; k++) {
    if (Number.isNaN(readSubposition(tokens[k]!, 0, tokens[k]!.length, pos[k] ?? 0))) return `${positionWords(pos.length, true)} after the count`;
  }
  return null;
}

let scratch = new Float64Array(4);

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function positionWords(n: number, relative: boolean): string {
  const what = relative ? "position (a number, 0x…, +N, -N or *)" : "line number";
  return n === 1 ? `a ${what}` : `${n} positions (numbers, 0x…, +N, -N or *)`;
}
