// The Mann–Whitney U test (Wilcoxon rank-sum), two-sided.
import { normalCdf } from "./normal.js";

/** The result of {@link mannWhitney}. */
export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (x, y) with x > y, ties counting ½. */
  readonly u: number;
  /** The two-sided p-value. */
  readonly p: number;
  /** The z statistic of the normal approximation (0 when the exact distribution was used). */
  readonly z: number;
  /** Whether `p` comes from the exact distribution of U. */
  readonly exact: boolean;
}

/** Options of {@link mannWhitney}. */
export interface MannWhitneyOptions {
  /**
   * "auto" (default): exact when both samples have at most 20 values and there are no ties,
   * else the normal approximation; "exact" forces exact (an error with ties); "normal" forces
   * the approximation.
   */
  method?: "auto" | "exact" | "normal";
}

const exactCache = new Map<string, Float64Array>();

/**
 * The counts of each U value (0…m·n) over all C(m+n, m) orderings without ties: the
 * coefficients of the Gaussian binomial [m+n choose m]_q, built as
 * ∏_{i=1..m} (1 − q^{n+i}) / (1 − q^i). Every intermediate is a polynomial with integer
 * coefficients below C(40, 20) ≈ 1.4e11, exact in doubles for m, n ≤ 20.
 *
 * @example
 * uDistribution(2, 2); // Float64Array [1, 1, 2, 1, 1]  (6 orderings)
 */
export function uDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const hit = exactCache.get(key);
  if (hit) return hit;
  const size = m * n + 1;
  const c = new Float64Array(size + n + m + 1);
  c[0] = 1;
  let deg = 0;
  for (let i = 1; i <= m; i++) {
    const k = n + i;
    deg += k;
    for (let j = deg; j >= k; j--) c[j]! -= c[j - k]!; // × (1 − q^k)
    for (let j = i; j <= deg; j++) c[j]! += c[j - i]!; // ÷ (1 − q^i)
    deg -= i;
  }
  const out = c.slice(0, size);
  exactCache.set(key, out);
  return out;
}

/**
 * The two-sided Mann–Whitney U test of `x` against `y` (are values of one side systematically
 * larger?). Exact when both sides have ≤ 20 values and no ties; otherwise the normal
 * approximation with the tie correction of the variance and a continuity correction of ½.
 * With identical values everywhere p = 1.
 *
 * @example
 * mannWhitney([1, 2, 3], [4, 5, 6]);       // { u: 0, p: 0.1, exact: true, z: 0 }
 * mannWhitney([1, 2, 2, 3], [2, 4, 5, 6]).p; // normal approximation (ties)
 */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>, opts: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error(`flamebook: the Mann–Whitney test needs values on both sides, got ${n1} and ${n2}.`);
  const N = n1 + n2;
  const all = new Float64Array(N);
  const idx = new Int32Array(N);
  for (let i = 0; i < n1; i++) all[i] = x[i]!;
  for (let i = 0; i < n2; i++) all[n1 + i] = y[i]!;
  for (let i = 0; i < N; i++) {
    if (Number.isNaN(all[i]!)) throw new Error("flamebook: the Mann–Whitney test got NaN; every value must be a number.");
    idx[i] = i;
  }
  idx.sort((a, b) => all[a]! - all[b]!);
  // midranks, and the tie term Σ(t³ − t)
  let r1 = 0;
  let tieTerm = 0;
  for (let i = 0; i < N; ) {
    let j = i + 1;
    while (j < N && all[idx[j]!] === all[idx[i]!]) j++;
    const rank = (i + 1 + j) / 2;
    const t = j - i;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k < j; k++) if (idx[k]! < n1) r1 += rank;
    i = j;
  }
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const method = opts.method ?? "auto";
  const canExact = tieTerm === 0 && n1 <= 20 && n2 <= 20;
  if (method === "exact" && !canExact) {
    throw new Error(`flamebook: the exact Mann–Whitney test needs no ties and at most 20 values per side, got ${n1} and ${n2}${tieTerm > 0 ? " with ties" : ""}.`);
  }
  if (method === "exact" || (method === "auto" && canExact)) {
    const dist = uDistribution(n1, n2);
    let total = 0;
    let below = 0;
    let above = 0;
    for (let k = 0; k < dist.length; k++) {
      total += dist[k]!;
      if (k <= u) below += dist[k]!;
      if (k >= u) above += dist[k]!;
    }
    return { u, p: Math.min(1, (2 * Math.min(below, above)) / total), z: 0, exact: true };
  }
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (!(variance > 0)) return { u, p: 1, z: 0, exact: false };
  const z = Math.max(0, Math.abs(u - mu) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalCdf(-z)), z: u >= mu ? z : -z, exact: false };
}
