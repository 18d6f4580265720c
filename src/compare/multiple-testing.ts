// Multiple-testing correction: Benjamini–Hochberg false discovery rate.

/**
 * Benjamini–Hochberg adjusted p-values (q-values): q(i) = min over j with p(j) ≥ p(i) of
 * p(j)·m / rank(j), capped at 1, returned in the input order. Calling every test with q < α
 * keeps the expected share of false discoveries among the calls at most α. NaN p-values stay
 * NaN and do not count towards m.
 *
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03, 0.005]); // [0.02, 0.04, 0.04, 0.02]
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): Float64Array {
  const n = pValues.length;
  const out = new Float64Array(n).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(pValues[i]!)) order.push(i);
  order.sort((a, b) => pValues[a]! - pValues[b]!);
  const m = order.length;
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k]!;
    running = Math.min(running, (pValues[i]! * m) / (k + 1));
    out[i] = running;
  }
  return out;
}
