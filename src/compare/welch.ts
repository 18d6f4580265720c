// Welch's unequal-variance t-test, with the Student t distribution from the regularised
// incomplete beta function (Lentz's continued fraction, as in Numerical Recipes §6.4).

/** The result of {@link welchTest}. */
export interface WelchResult {
  /** The t statistic of mean(y) − mean(x). */
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided p-value. */
  readonly p: number;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), relative error < 1e-13 for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/**
 * The regularised incomplete beta function I_x(a, b).
 *
 * @example
 * incompleteBeta(0.5, 2, 2); // 0.5
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Two-sided tail probability of Student's t distribution: P(|T| ≥ |t|) with `df` degrees of freedom.
 *
 * @example
 * studentTwoSided(2.228, 10); // ≈ 0.05
 */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * Welch's t-test of mean(y) − mean(x) (unequal variances). Needs two values per side; when both
 * sides are constant, p is 0 if the means differ and 1 if not.
 *
 * @example
 * welchTest([0.26, 0.25, 0.27], [0, 0, 0.001]).p; // ≈ 0.0005: the share vanished in every run
 */
export function welchTest(x: ArrayLike<number>, y: ArrayLike<number>): WelchResult {
  const nx = x.length;
  const ny = y.length;
  if (nx < 2 || ny < 2) return { t: NaN, df: NaN, p: 1 };
  const stats = (v: ArrayLike<number>, n: number) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += v[i]!;
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (v[i]! - m) ** 2;
    return { m, v: s / (n - 1) };
  };
  const a = stats(x, nx);
  const b = stats(y, ny);
  const se2 = a.v / nx + b.v / ny;
  if (se2 === 0) return a.m === b.m ? { t: 0, df: nx + ny - 2, p: 1 } : { t: Math.sign(b.m - a.m) * Infinity, df: nx + ny - 2, p: 0 };
  const t = (b.m - a.m) / Math.sqrt(se2);
  const df = se2 ** 2 / ((a.v / nx) ** 2 / (nx - 1) + (b.v / ny) ** 2 / (ny - 1));
  return { t, df, p: studentTwoSided(t, df) };
}
