// How many runs per side an experiment needs to see a change of a given size.
import { normalQuantile } from "./normal.js";
import { median, standardDeviation } from "./summary.js";

/** Options of {@link runsNeeded}. */
export interface RunsNeededOptions {
  /** The smallest change worth detecting (a fraction, 0.02 = 2%). Default 0.02. */
  noise?: number;
  /** Probability of detecting the change when it is real. Default 0.8. */
  power?: number;
  /** Two-sided false-positive rate. Default 0.05. */
  alpha?: number;
}

function logs(values: readonly number[], side: string): number[] {
  return values.map((v) => {
    if (!(v > 0 && Number.isFinite(v))) throw new Error(`flamebook: runsNeeded needs positive finite times, got ${v} for ${side}.`);
    return Math.log(v);
  });
}

/**
 * The number of runs per side needed to detect a change of size max(|observed change|, noise)
 * with probability `power` at two-sided level `alpha`, from the observed spread.
 *
 * The model is a normal approximation on log times: σ is the pooled standard deviation of
 * log(time) of both sides (≈ the coefficient of variation), the effect is d = |ln(1 + change)|,
 * and n = 2·(z₁₋α/₂ + z_power)²·σ²/d², multiplied by π/2 because the verdict compares medians
 * (the median's efficiency relative to the mean is 2/π under normal noise). Rounded up; at
 * least 2.
 *
 * @example
 * runsNeeded(before, after, { noise: 0.02 }); // e.g. 25: with cv 4%, 25 runs per side find a 2% change 80% of the time
 */
export function runsNeeded(before: readonly number[], after: readonly number[], opts: RunsNeededOptions = {}): number {
  const noise = opts.noise ?? 0.02;
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
  const sb = standardDeviation(lb);
  const sa = standardDeviation(la);
  const sigma2 = ((lb.length - 1) * sb * sb + (la.length - 1) * sa * sa) / (lb.length + la.length - 2);
  const observed = Math.abs(Math.exp(median(la) - median(lb)) - 1);
  const change = Math.max(observed, noise);
  // detect the change in the harder direction (a slowdown by `change` is the smaller log step)
  const d = Math.log(1 + change);
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  const n = ((2 * z * z * sigma2) / (d * d)) * (Math.PI / 2);
  return Math.max(2, Math.ceil(n));
}

