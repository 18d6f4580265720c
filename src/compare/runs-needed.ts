// How many runs per side an experiment needs to see a change of a given size.
import { normalCdf, normalQuantile } from "./normal.js";
import { DEFAULT_NOISE } from "./noise.js";
import { median, standardDeviation } from "./summary.js";
import { incompleteBeta } from "./welch.js";

/** Options of {@link runsNeeded}. */
export interface RunsNeededOptions {
  /** The smallest change worth detecting (a fraction, 0.02 = 2%). Default 0.02. */
  noise?: number;
  /** Probability of detecting the change when it is real. Default 0.8. */
  power?: number;
  /** Two-sided false-positive rate. Default 0.05. */
  alpha?: number;
}

/** The largest answer of {@link runsNeeded}: it means "this many or more". */
export const RUNS_NEEDED_MAX = 2000;

function logs(values: readonly number[], side: string): number[] {
  return values.map((v) => {
    if (!(v > 0 && Number.isFinite(v))) throw new Error(`flamebook: runsNeeded needs positive finite times, got ${v} for ${side}.`);
    return Math.log(v);
  });
}

/**
 * The number of runs per side needed to detect a change of size max(|observed change|, noise)
 * with probability `power` at two-sided level `alpha`, from the observed noise.
 *
 * The verdict calls a change when its rank test (Mann–Whitney) and its CI of the ratio of
 * medians agree, so this is the larger of the runs each needs. The noise model is the runs
 * themselves, not a normal curve: the residuals of log(time) from each side's median, pooled,
 * each widened into a small Gaussian (a kernel density; the width is Silverman's rule of thumb
 * on the MAD). A slowdown by the change (the smaller log step, so the harder direction) is
 * then detected
 * - by the rank test: its effect P(slow run > other run) and the two pair probabilities of its
 *   variance give the power at n runs per side (normal approximation, null variance for the
 *   critical value, Lehmann's variance under the alternative); the smallest n reaching `power`;
 * - by the medians: the CI of log(median ratio) excludes 0 when the step exceeds z₁₋α/₂ times
 *   its sd, √(2·Var(sample median of n)); that variance is exact (order statistics of the
 *   kernel density) up to 200 runs and 1/(4·f²·n) above, f the density at the median. (For
 *   normal noise that is the classic n = π·(z₁₋α/₂ + z_power)²·σ²/d².)
 *
 * At least 4 (with 3 per side no Mann–Whitney p goes below 0.1), at most
 * {@link RUNS_NEEDED_MAX}, which means "this many or more". Heavy tails and a second mode
 * (another job coming and going) are modelled as they were seen; a normal model on the standard
 * deviation badly overestimates the runs they need (bench/RESULTS.md, stats); with only 10
 * runs of two-mode noise this estimate tends to the optimistic side instead (the runs rarely
 * show the modes' true mix). A few ms (runs beyond 300 are summarised by 300 quantiles); no
 * randomness.
 *
 * @example
 * runsNeeded(before, after, { noise: 0.05 }); // e.g. 11: with cv 4%, 11 runs per side find a 5% change 80% of the time
 */
export function runsNeeded(before: readonly number[], after: readonly number[], opts: RunsNeededOptions = {}): number {
  const noise = opts.noise ?? DEFAULT_NOISE;
  const power = opts.power ?? 0.8;
  const alpha = opts.alpha ?? 0.05;
  if (!(noise > 0)) throw new RangeError(`flamebook: runsNeeded needs noise > 0, got ${noise}.`);
  if (!(power > 0 && power < 1)) throw new RangeError(`flamebook: runsNeeded needs 0 < power < 1, got ${power}.`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`flamebook: runsNeeded needs 0 < alpha < 1, got ${alpha}.`);
  if (before.length < 2 || after.length < 2) {
    const [side, n] = before.length < 2 ? ["before", before.length] : ["after", after.length];
    throw new Error(`flamebook: runsNeeded needs at least 2 runs per side to estimate the spread, got ${n} for ${side}.`);
  }
  const lb = logs(before, "before");
  const la = logs(after, "after");
  const mb = median(lb);
  const ma = median(la);
  const residuals = Float64Array.from([...lb.map((v) => v - mb), ...la.map((v) => v - ma)]);
  const change = Math.max(Math.abs(Math.exp(ma - mb) - 1), noise);
  const noiseModel = kernelNoise(residuals);
  const step = Math.log(1 + change);
  const effect = rankEffects(noiseModel, step);
  const zAlpha = normalQuantile(1 - alpha / 2);
  const medianVariance = sampleMedianVariance(noiseModel);
  const forMedians = smallestN((n) => normalCdf(step / Math.sqrt(2 * medianVariance(n)) - zAlpha) >= power);
  const forRanks = smallestN((n) => mannWhitneyPower(effect, n, zAlpha) >= power);
  return Math.max(forRanks, forMedians);
}

/** The smallest n in 4…RUNS_NEEDED_MAX for which `reaches` holds (monotone), by bisection. */
function smallestN(reaches: (n: number) => boolean): number {
  if (reaches(4)) return 4;
  if (!reaches(RUNS_NEEDED_MAX)) return RUNS_NEEDED_MAX;
  let lo = 4; // does not reach
  let hi = RUNS_NEEDED_MAX; // reaches
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Up to this many runs the sample median's variance is computed exactly; above, 1/(4f²n). */
const EXACT_MEDIAN_UP_TO = 200;

/**
 * The variance of the median of n runs drawn from the noise, as a function of n. Exact (on a
 * grid) up to {@link EXACT_MEDIAN_UP_TO} runs: the lower median is the ⌈n/2⌉-th order
 * statistic, P(median ≤ x) = P(Binomial(n, F(x)) ≥ ⌈n/2⌉). Few runs of two-mode noise can put
 * the median in the other mode, which the large-n formula 1/(4·f²·n) (f the density at the
 * median) does not see; that formula is used above the exact range.
 */
function sampleMedianVariance(k: KernelNoise): (n: number) => number {
  const lo = Math.min(...k.at) - 5 * k.h;
  const hi = Math.max(...k.at) + 5 * k.h;
  const G = 400;
  const xs = new Float64Array(G);
  const Fs = new Float64Array(G);
  for (let j = 0; j < G; j++) {
    xs[j] = lo + ((hi - lo) * j) / (G - 1);
    Fs[j] = cdf(k, xs[j]!);
  }
  let f = 0;
  {
    let j = 0;
    while (j < G - 1 && Fs[j]! < 0.5) j++;
    for (const e of k.at) f += Math.exp(-0.5 * ((xs[j]! - e) / k.h) ** 2);
    f /= k.at.length * k.h * Math.sqrt(2 * Math.PI);
  }
  return (n) => {
    if (n > EXACT_MEDIAN_UP_TO) return 1 / (4 * f * f * n);
    const r = Math.ceil(n / 2);
    let mean = 0;
    let second = 0;
    let prev = 0;
    for (let j = 0; j < G; j++) {
      // P(Binomial(n, F) ≥ r) = I_F(r, n − r + 1)
      const c = j === G - 1 ? 1 : incompleteBeta(Fs[j]!, r, n - r + 1);
      const w = c - prev;
      prev = c;
      mean += w * xs[j]!;
      second += w * xs[j]! * xs[j]!;
    }
    return Math.max(second - mean * mean, 1e-12);
  };
}

/** The noise as a kernel density: Gaussians of width `h` at the residuals. */
interface KernelNoise {
  readonly at: Float64Array;
  readonly h: number;
}

/** P(X ≤ t) under the kernel density. */
function cdf(k: KernelNoise, t: number): number {
  let sum = 0;
  for (const e of k.at) sum += normalCdf((t - e) / k.h);
  return sum / k.at.length;
}

// 5-point Gauss–Hermite nodes and weights (÷ √π), for expectations over one Gaussian kernel.
const GH_X = [-2.0201828704560856, -0.9585724646138185, 0, 0.9585724646138185, 2.0201828704560856];
const GH_W = [0.011257411327720691, 0.22207592200561266, 0.5333333333333333, 0.22207592200561266, 0.011257411327720691];

/** E[g(X)] under the kernel density. */
function expect(k: KernelNoise, g: (x: number) => number): number {
  let sum = 0;
  for (const e of k.at) for (let q = 0; q < GH_X.length; q++) sum += GH_W[q]! * g(e + Math.SQRT2 * k.h * GH_X[q]!);
  return sum / k.at.length;
}

/**
 * What the Mann–Whitney test sees when one side is slower by `step` (in log time): p = P(Y > X),
 * p1 = P(Y > X, Y′ > X) and p2 = P(Y > X, Y > X′), for X, X′ from the noise and Y, Y′ from the
 * noise + step.
 */
function rankEffects(k: KernelNoise, step: number): { p: number; p1: number; p2: number } {
  let p = 0;
  const scale = k.h * Math.SQRT2;
  for (const a of k.at) for (const b of k.at) p += normalCdf((a - b + step) / scale);
  p /= k.at.length * k.at.length;
  const p1 = expect(k, (x) => (1 - cdf(k, x - step)) ** 2);
  const p2 = expect(k, (x) => cdf(k, x + step) ** 2);
  return { p, p1, p2 };
}

/**
 * The power of the two-sided Mann–Whitney test with n runs per side: the normal approximation
 * of U/n² with its null variance (2n + 1)/(12n²) for the critical value and its variance under
 * the alternative, (p(1 − p) + (n − 1)(p1 − p²) + (n − 1)(p2 − p²))/n² (Lehmann).
 */
function mannWhitneyPower(e: { p: number; p1: number; p2: number }, n: number, zAlpha: number): number {
  const sd0 = Math.sqrt((2 * n + 1) / (12 * n * n));
  const var1 = (e.p * (1 - e.p) + (n - 1) * (e.p1 - e.p * e.p) + (n - 1) * (e.p2 - e.p * e.p)) / (n * n);
  const sd1 = Math.sqrt(Math.max(var1, 1e-12));
  return normalCdf((Math.abs(e.p - 0.5) - zAlpha * sd0) / sd1);
}

/**
 * The residuals as a kernel density, with Silverman's rule-of-thumb width 0.9·s·m^(−1/5), s the
 * robust spread 1.4826·MAD (the sd when the MAD is 0; a small floor when all runs are equal).
 * The MAD keeps a few slow outliers or a second mode from blurring the main one.
 */
function kernelNoise(residuals: Float64Array): KernelNoise {
  const mid = median(residuals);
  const mad = 1.4826 * median(residuals.map((r) => Math.abs(r - mid)));
  const spread = mad > 0 ? mad : standardDeviation(residuals);
  const h = 0.9 * Math.max(spread, 1e-4) * residuals.length ** -0.2;
  if (residuals.length <= MAX_KERNELS) return { at: residuals, h };
  // Many runs: the same distribution from evenly spaced quantiles keeps the work O(1).
  const sorted = Float64Array.from(residuals).sort();
  return { at: Float64Array.from({ length: MAX_KERNELS }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / MAX_KERNELS)]!), h };
}

/** More runs than this are summarised by this many quantiles. */
const MAX_KERNELS = 300;
