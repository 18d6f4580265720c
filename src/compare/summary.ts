// Descriptive statistics of one side of an experiment: centre, spread and Tukey outliers.

/** Outliers by Tukey's fences: values below q1 − 1.5·IQR or above q3 + 1.5·IQR. */
export interface Outliers {
  readonly count: number;
  /** Positions in the input array (run order), ascending. */
  readonly indices: readonly number[];
  /** The outlying values, in the order of `indices`. */
  readonly values: readonly number[];
  readonly lowFence: number;
  readonly highFence: number;
}

/** A summary of one sample of measurements (see {@link summarize}). */
export interface SampleSummary {
  readonly n: number;
  readonly median: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 denominator); 0 for n = 1. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Coefficient of variation sd / mean (0 when the mean is 0). */
  readonly cv: number;
  /** Median absolute deviation from the median, unscaled (× 1.4826 estimates a normal sd). */
  readonly mad: number;
  /** First and third quartiles (linear interpolation, R's type 7). */
  readonly q1: number;
  readonly q3: number;
  readonly outliers: Outliers;
}

function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * The `p`-quantile (0 ≤ p ≤ 1) of already sorted values, by linear interpolation between order
 * statistics (R's type 7, numpy's default). NaN for an empty array.
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantileSorted(sortedValues: ArrayLike<number>, p: number): number {
  const n = sortedValues.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sortedValues[lo]! + (h - lo) * (sortedValues[hi]! - sortedValues[lo]!);
}

/**
 * The median (the mean of the two middle values for an even count). NaN for no values.
 *
 * @example
 * median([48.1, 47.9, 52.0, 48.4]); // 48.25
 */
export function median(values: ArrayLike<number>): number {
  return quantileSorted(sorted(values), 0.5);
}

/**
 * The arithmetic mean. NaN for no values.
 *
 * @example
 * mean([1, 2, 3, 6]); // 3
 */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length > 0 ? s / values.length : NaN;
}

/**
 * The sample standard deviation (n − 1 denominator); 0 for a single value, NaN for none.
 *
 * @example
 * standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]); // 2.138…
 */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  if (n === 1) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * Summarizes one side of an experiment: n, median, mean, sd, min, max, cv, MAD, quartiles and
 * Tukey outliers (outside q1 − 1.5·IQR … q3 + 1.5·IQR, with their run indices).
 *
 * @example
 * const s = summarize([48.2, 48.5, 48.1, 60.3, 48.4]);
 * s.median;          // 48.4
 * s.outliers.indices; // [3]
 */
export function summarize(values: readonly number[]): SampleSummary {
  const n = values.length;
  if (n === 0) throw new Error("flamebook: summarize needs at least one value, got none.");
  const s = sorted(values);
  const med = quantileSorted(s, 0.5);
  const m = mean(values);
  const sd = standardDeviation(values);
  const dev = Float64Array.from(values, (v) => Math.abs(v - med)).sort();
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const iqr = q3 - q1;
  const lowFence = q1 - 1.5 * iqr;
  const highFence = q3 + 1.5 * iqr;
  const indices: number[] = [];
  const outValues: number[] = [];
  values.forEach((v, i) => {
    if (v < lowFence || v > highFence) {
      indices.push(i);
      outValues.push(v);
    }
  });
  return {
    n,
    median: med,
    mean: m,
    sd,
    min: s[0]!,
    max: s[n - 1]!,
    cv: m !== 0 ? sd / Math.abs(m) : 0,
    mad: quantileSorted(dev, 0.5),
    q1,
    q3,
    outliers: { count: indices.length, indices, values: outValues, lowFence, highFence },
  };
}

/** Puts the k-th smallest value of `a[lo..hi]` at position k (smaller before, larger after). */
function selectInPlace(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The `p`-quantile (type 7, like {@link quantileSorted}) of unsorted values, by quickselect in
 * O(n) on average. Reorders `values` in place (pass a copy to keep the order).
 *
 * @example
 * quantileInPlace(new Float64Array([5, 1, 4, 2, 3]), 0.25); // 2
 */
export function quantileInPlace(values: Float64Array, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const k = Math.floor(h);
  selectInPlace(values, k, 0, n - 1);
  const lo = values[k]!;
  if (h === k || k + 1 >= n) return lo;
  let next = Infinity;
  for (let i = k + 1; i < n; i++) if (values[i]! < next) next = values[i]!;
  return lo + (h - k) * (next - lo);
}
