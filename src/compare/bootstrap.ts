// The bootstrap confidence interval of a ratio of medians (percentile method).
import { DEFAULT_SEED, seededRandom } from "./random.js";
import { quantileInPlace } from "./summary.js";

/** Options of {@link bootstrapRatioOfMedians}. */
export interface BootstrapOptions {
  /** Coverage of the interval. Default 0.95. */
  confidence?: number;
  /** Number of bootstrap resamples. Default 10 000. */
  resamples?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
}

/**
 * The median of a resample of `sorted` given as counts per position (`counts[i]` copies of
 * `sorted[i]`, summing to n): O(n), no sorting.
 */
function resampledMedian(sorted: Float64Array, counts: Int32Array, n: number): number {
  const h = n >> 1; // 0-based rank of the upper middle value
  const lowRank = n % 2 === 1 ? h : h - 1;
  let seen = 0;
  let low = NaN;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (Number.isNaN(low) && seen > lowRank) low = sorted[i]!;
    if (seen > h) return (low + sorted[i]!) / 2;
  }
  return low;
}

function drawCounts(counts: Int32Array, n: number, rnd: () => number): void {
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(rnd() * n)]!++;
}

/**
 * A bootstrap confidence interval of median(after) / median(before), by the **percentile
 * method**: each side is resampled independently with replacement (same sizes), the ratio of
 * the resampled medians is computed `resamples` times, and the interval is the
 * (1 − confidence)/2 and (1 + confidence)/2 quantiles of those ratios. Deterministic for a seed.
 *
 * @example
 * const [lo, hi] = bootstrapRatioOfMedians([48, 49, 47, 48.5], [41, 42, 40.5, 41.2]);
 * // lo ≈ 0.835, hi ≈ 0.877: after takes 84–88% of before's time
 */
export function bootstrapRatioOfMedians(before: ArrayLike<number>, after: ArrayLike<number>, opts: BootstrapOptions = {}): [number, number] {
  const confidence = opts.confidence ?? 0.95;
  const B = opts.resamples ?? 10_000;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`flamebook: confidence must be between 0 and 1, got ${confidence}.`);
  if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`flamebook: resamples must be a positive integer, got ${B}.`);
  const nb = before.length;
  const na = after.length;
  if (nb === 0 || na === 0) throw new Error(`flamebook: the bootstrap needs values on both sides, got ${nb} and ${na}.`);
  const rnd = seededRandom(opts.seed ?? DEFAULT_SEED);
  const sortedB = Float64Array.from(before).sort();
  const sortedA = Float64Array.from(after).sort();
  const countB = new Int32Array(nb);
  const countA = new Int32Array(na);
  const ratios = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    drawCounts(countB, nb, rnd);
    drawCounts(countA, na, rnd);
    ratios[b] = resampledMedian(sortedA, countA, na) / resampledMedian(sortedB, countB, nb);
  }
  const tail = (1 - confidence) / 2;
  return [quantileInPlace(ratios, tail), quantileInPlace(ratios, 1 - tail)];
}
