// The verdict of a before/after timing experiment: faster, slower, or no change.
import { bootstrapRatioOfMedians } from "./bootstrap.js";
import { mannWhitney } from "./mann-whitney.js";
import { DEFAULT_NOISE } from "./noise.js";
import { DEFAULT_SEED } from "./random.js";
import { RUNS_NEEDED_MAX, runsNeeded } from "./runs-needed.js";
import { summarize, type SampleSummary } from "./summary.js";
import { MIMEBUNDLE, type Displayable } from "../display/mime.js";

/** Options of {@link verdict}. */
export interface VerdictOptions {
  /** Changes smaller than this fraction are noise (criterion's noise threshold). Default 0.02. */
  noise?: number;
  /** Coverage of the confidence interval. Default 0.95. */
  confidence?: number;
  /** Bootstrap resamples. Default 10 000. */
  resamples?: number;
  /** PRNG seed of the bootstrap. Default 1. */
  seed?: number;
  /** What was measured, for the text. Default "wall time". */
  metric?: string;
  /** Unit of the values. Default "ms". */
  unit?: string;
  /** The label of the base side (the first sample). Default "before". */
  base?: string;
  /** The label of the other side (the second sample). Default "after". */
  other?: string;
}

/** The outcome: lower values are better. */
export type VerdictKind = "improved" | "regressed" | "no change";

/** A verdict as plain data (what {@link Verdict.toJSON} returns). */
export interface VerdictData {
  readonly kind: VerdictKind;
  /** median(other) / median(base). */
  readonly ratio: number;
  /** ratio − 1: −0.148 is 14.8% faster. */
  readonly change: number;
  /** Percentile-bootstrap confidence interval of the ratio. */
  readonly ci: readonly [number, number];
  /** Two-sided Mann–Whitney p-value. */
  readonly pValue: number;
  /** Whether the p-value is exact (no ties, ≤ 20 runs per side) or the normal approximation. */
  readonly pExact: boolean;
  /** The base side's runs summarised (median, spread, outliers). */
  readonly baseSummary: SampleSummary;
  /** The other side's runs summarised. */
  readonly otherSummary: SampleSummary;
  readonly warnings: readonly string[];
  /** One line for people. */
  readonly text: string;
  readonly metric: string;
  readonly unit: string;
  /** The label of the base side. */
  readonly base: string;
  /** The label of the other side. */
  readonly other: string;
  readonly noise: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
}

/** The result of {@link verdict}: {@link VerdictData} plus `toJSON()`, `toString()` and a notebook display. */
export interface Verdict extends VerdictData, Displayable {
  /** The verdict as plain data (no functions), for storing. */
  toJSON(): VerdictData;
  /** The one-line {@link VerdictData.text}. */
  toString(): string;
}

function checkSide(values: readonly number[], side: string): void {
  if (!Array.isArray(values)) throw new TypeError(`flamebook: verdict needs an array of numbers for ${side}.`);
  if (values.length < 2) throw new Error(`flamebook: verdict needs at least 2 runs per side, got ${values.length} for ${side}.`);
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
      throw new Error(`flamebook: verdict needs positive finite measurements, got ${String(v)} at run ${i} of ${side}.`);
    }
  });
}

/** A number with `digits` significant digits, without exponent for usual magnitudes. */
function fmt(x: number, digits = 3): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const mag = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, digits - 1 - mag);
  return x.toFixed(Math.min(decimals, 10));
}

function fmtP(p: number): string {
  if (p < 0.0001) return "p < 0.0001";
  return `p = ${p < 0.001 ? p.toFixed(4) : fmt(p, 2)}`;
}

function pct(x: number): string {
  return `${(Math.abs(x) * 100).toFixed(1)}%`;
}

/**
 * Judges a before/after experiment where lower is better (times). The rule, exactly:
 *
 * - `ratio` = median(after) / median(before), `change` = ratio − 1;
 * - `ci` = the **percentile bootstrap** interval of the ratio of medians (each side resampled
 *   independently, `resamples` times, seeded), at level `confidence`;
 * - `pValue` = the two-sided Mann–Whitney p (exact for ≤ 20 runs per side without ties, else
 *   the normal approximation with tie and continuity corrections);
 * - `kind` = "improved" when ci[1] < 1 and change < −noise and pValue < 1 − confidence;
 *   "regressed" when ci[0] > 1 and change > noise and pValue < 1 − confidence; otherwise
 *   "no change". (The p condition keeps the verdict and the printed p consistent, and lowers
 *   the A/A false-call rate of the small-sample percentile bootstrap.)
 *
 * Warnings: Tukey outliers per side, cv above 5% per side, fewer than 5 runs per side, and for
 * "no change" whose CI reaches beyond ±noise, how many runs per side would detect a change of
 * the noise size (see {@link runsNeeded}). Throws for fewer than 2 runs per side or
 * non-positive values.
 *
 * @example
 * const v = verdict([48.4, 48.1, 49.0, 48.6, 48.2], [41.2, 41.0, 41.9, 41.3, 40.8]);
 * v.kind; // "improved"
 * v.text; // "after is 14.9% faster than before (median 41.2 ms vs 48.4 ms; 95% CI of the ratio 0.84–0.87; p = 0.0079; 5 runs each)"
 */
export function verdict(before: readonly number[], after: readonly number[], opts: VerdictOptions = {}): Verdict {
  const noise = opts.noise ?? DEFAULT_NOISE;
  const confidence = opts.confidence ?? 0.95;
  const resamples = opts.resamples ?? 10_000;
  const seed = opts.seed ?? DEFAULT_SEED;
  const metric = opts.metric ?? "wall time";
  const unit = opts.unit ?? "ms";
  const baseLabel = opts.base ?? "before";
  const label = opts.other ?? "after";
  if (!(noise >= 0 && noise < 1)) throw new RangeError(`flamebook: verdict needs 0 ≤ noise < 1, got ${noise}.`);
  checkSide(before, baseLabel);
  checkSide(after, label);

  const b = summarize(before);
  const a = summarize(after);
  const ratio = a.median / b.median;
  const change = ratio - 1;
  const ci = bootstrapRatioOfMedians(before, after, { confidence, resamples, seed });
  const mw = mannWhitney(after, before);
  const agrees = mw.p < 1 - confidence;
  const kind: VerdictKind = agrees && ci[1] < 1 && change < -noise ? "improved" : agrees && ci[0] > 1 && change > noise ? "regressed" : "no change";

  const warnings: string[] = [];
  for (const [name, s] of [[baseLabel, b], [label, a]] as const) {
    if (s.n < 5) warnings.push(`${name} has only ${s.n} runs; use at least 5 per side (10 is better) for a trustworthy verdict.`);
    if (s.outliers.count > 0) {
      const at = s.outliers.indices.map((i, k) => `${fmt(s.outliers.values[k]!)} ${unit} at run ${i}`).join(", ");
      warnings.push(`${name} has ${s.outliers.count} outlier${s.outliers.count > 1 ? "s" : ""} (outside ${fmt(s.outliers.lowFence)}–${fmt(s.outliers.highFence)} ${unit}, Tukey 1.5×IQR): ${at}.`);
    }
    if (s.cv > 0.05) {
      warnings.push(`${name} has high variance: cv ${(s.cv * 100).toFixed(1)}% (sd ${fmt(s.sd)} ${unit}); a quiet machine (fixed CPU governor, no other load) makes verdicts sharper.`);
    }
  }
  if (kind === "no change" && noise > 0 && (ci[0] < 1 - noise || ci[1] > 1 + noise)) {
    const n = runsNeeded(before, after, { noise, power: 0.8, alpha: 1 - confidence });
    const size = Math.max(Math.abs(change), noise);
    const advice =
      n >= RUNS_NEEDED_MAX
        ? `even ${n} runs per side would not detect a ${pct(size)} change with 80% power at this noise: quiet the machine (no other load, a fixed CPU governor) or measure CPU time or instructions instead`
        : `about ${n} runs per side would detect a ${pct(size)} change with 80% power`;
    warnings.push(`the ${fmt(confidence * 100, 2)}% CI of the ratio (${ci[0].toFixed(2)}–${ci[1].toFixed(2)}) is wider than the ±${pct(noise)} noise threshold, so a real change of that size could be hidden; ${advice}.`);
  }

  const runs = b.n === a.n ? `${b.n} runs each` : `${b.n} vs ${a.n} runs`;
  const detail = `median ${fmt(a.median)} ${unit} vs ${fmt(b.median)} ${unit}; ${fmt(confidence * 100, 2)}% CI of the ratio ${ci[0].toFixed(2)}–${ci[1].toFixed(2)}; ${fmtP(mw.p)}; ${runs}`;
  const text =
    kind === "improved"
      ? `${label} is ${pct(change)} faster than ${baseLabel} (${detail})`
      : kind === "regressed"
        ? `${label} is ${pct(change)} slower than ${baseLabel} (${detail})`
        : `no change: ${label} ${metric} is ${change < 0 ? "−" : "+"}${pct(change)} vs ${baseLabel}, not a clear change (${detail})`;

  const data: VerdictData = {
    kind,
    ratio,
    change,
    ci,
    pValue: mw.p,
    pExact: mw.exact,
    baseSummary: b,
    otherSummary: a,
    warnings,
    text,
    metric,
    unit,
    base: baseLabel,
    other: label,
    noise,
    confidence,
    resamples,
    seed,
  };
  return {
    ...data,
    toJSON: () => JSON.parse(JSON.stringify(data)) as VerdictData,
    toString: () => text,
    [MIMEBUNDLE]: () => verdictBundle(data),
  };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** The verdict as a notebook output: the kind in its colour, the sentence, and the warnings. */
/**
 * The MIME type under which a verdict's data travels in a notebook output, so that tools
 * (`flamebook run`, reports) find verdicts in executed notebooks without parsing HTML.
 */
export const VERDICT_MIME = "application/vnd.flamebook.verdict+json";

function verdictBundle(v: VerdictData): Record<string, string | Record<string, unknown>> {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
  const colour = v.kind === "improved" ? "#1a7f37" : v.kind === "regressed" ? "#cf222e" : "#6e7781";
  const warnings = v.warnings.length ? `<ul style="color: #9a6700; margin: 0.2em 0">${v.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : "";
  return {
    "text/html": `<div style="font-family: system-ui, sans-serif"><b style="color: ${colour}">${esc(v.kind)}</b>: ${esc(v.text)}${warnings}</div>`,
    "text/plain": [v.text, ...v.warnings.map((w) => `warning: ${w}`)].join("\n"),
    [VERDICT_MIME]: JSON.parse(JSON.stringify(v)) as Record<string, unknown>,
  };
}
