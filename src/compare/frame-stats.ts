// Per-function significance across repeated profiled runs of two variants.
import { functionStats } from "../fold/function-stats.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "../table/arquero.js";
import { mannWhitney } from "./mann-whitney.js";
import { welchTest } from "./welch.js";
import { benjaminiHochberg } from "./multiple-testing.js";
import { DEFAULT_SEED, seededRandom } from "./random.js";
import { quantileInPlace } from "./summary.js";

/** Options of {@link frameStats}. */
export interface FrameStatsOptions {
  /** False discovery rate: a function is significant when its BH q-value is below it. Default 0.05. */
  alpha?: number;
  /** The smallest |delta| of share that counts, as a fraction of the run's weight. Default 0.005 (half a percentage point). */
  minEffect?: number;
  /** Test the inclusive share (true, default) or the self share (false). Both are returned. */
  inclusive?: boolean;
  /** Coverage of the bootstrap interval of the delta. Default 0.95. */
  confidence?: number;
  /** Bootstrap resamples. Default 2000. */
  resamples?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** The event whose weight is shared out, by name. Default: each profile's first event. */
  event?: string;
  /**
   * The per-function test on the per-run shares: "welch" (Welch's t-test, default: it can reach
   * significance with the 3–5 profiled runs an experiment makes) or "mann-whitney" (rank-based,
   * no normality assumed, but with n runs per side its smallest exact p is 2/C(2n, n): 0.1 for 3
   * runs, 0.008 for 5 — about 0.06 with ties — so it needs about 8 runs per side before a
   * correction over many functions).
   */
  test?: "welch" | "mann-whitney";
}

/**
 * What happened to a function: "vanished" (mean share 0 after, > 0 before), "new" (0 before,
 * > 0 after), otherwise "changed" when significant and "same" when not.
 */
export type FrameStatus = "vanished" | "new" | "changed" | "same";

/**
 * The statistics of one function (see {@link frameStats}). Shares are fractions (0.2 = 20%);
 * `base` is the first set of runs (the base variant), `other` the second.
 */
export interface FrameStat {
  /** The function name (frame table `name`; inlined frames count as their own names). */
  readonly name: string;
  readonly status: FrameStatus;
  /** Mean share across the base runs of the tested share (inclusive unless `inclusive: false`). */
  readonly base: number;
  /** Mean share across the other runs of the tested share. */
  readonly other: number;
  /** other − base. */
  readonly delta: number;
  /** Percentile-bootstrap interval of the delta of means (run indices resampled per side). */
  readonly ci: readonly [number, number];
  /** Two-sided p-value of the test (Welch by default, or Mann–Whitney) on the per-run shares (absent = share 0). */
  readonly p: number;
  /**
   * Benjamini–Hochberg adjusted p over the functions that could be significant: those whose mean
   * share over both sides is at least minEffect/2 (every function with |delta| ≥ minEffect is;
   * the others get q = 1). Filtering on the pooled mean, which ignores the sides, keeps the
   * correction from being diluted by hundreds of tiny frames.
   */
  readonly q: number;
  /** q < alpha and |delta| ≥ minEffect. */
  readonly significant: boolean;
  /** Mean inclusive share, base / other (the function anywhere on the stack, recursion once). */
  readonly baseTotal: number;
  readonly otherTotal: number;
  /** Mean self share, base / other (the function as the leaf frame). */
  readonly baseSelf: number;
  readonly otherSelf: number;
}

function eventIndex(p: Profile, event: string | undefined, side: string, run: number): number {
  if (event === undefined) return 0;
  const i = p.events.indexOf(event);
  if (i < 0) throw new Error(`flamebook: frameStats: run ${run} of ${side} has no event "${event}" (it has ${p.events.map((e) => `"${e}"`).join(", ") || "none"}).`);
  return i;
}

/**
 * Which functions changed their share of the profile between two sets of repeated profiled
 * runs. For each run, every function's inclusive share (weight of samples with it on the stack,
 * recursion counted once, over the run's total weight) and self share are computed; then for
 * every function seen in any run: the mean share per side, the delta, a percentile-bootstrap CI
 * of the delta of means (seeded; only run indices are resampled), a two-sided p on the per-run
 * shares (Welch's t-test by default, or Mann–Whitney; a function absent from a run has share 0),
 * the Benjamini–Hochberg q over the functions that could pass minEffect, and `significant` =
 * q < alpha and |delta| ≥ minEffect. Sorted by |delta|, largest first. With one run per side
 * nothing can be significant (no variance can be estimated: p is 1).
 *
 * @example
 * const stats = frameStats(beforeProfiles, afterProfiles);
 * stats[0]; // { name: "alloc::string::…::to_string", status: "vanished", base: 0.2, other: 0, delta: -0.2, significant: true, … }
 */
export function frameStats(beforeRuns: readonly Profile[], afterRuns: readonly Profile[], opts: FrameStatsOptions = {}): FrameStat[] {
  const alpha = opts.alpha ?? 0.05;
  const minEffect = opts.minEffect ?? 0.005;
  const inclusive = opts.inclusive ?? true;
  const test = opts.test ?? "welch";
  const confidence = opts.confidence ?? 0.95;
  const B = opts.resamples ?? 2000;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`flamebook: frameStats needs 0 < alpha < 1, got ${alpha}.`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`flamebook: frameStats needs 0 < confidence < 1, got ${confidence}.`);
  if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`flamebook: frameStats needs a positive integer number of resamples, got ${B}.`);
  for (const [side, runs] of [["before", beforeRuns], ["after", afterRuns]] as const) {
    if (runs.length < 1) throw new Error(`flamebook: frameStats needs at least 1 profiled run per side, got 0 for ${side}.`);
  }
  const nb = beforeRuns.length;
  const na = afterRuns.length;
  const R = nb + na;

  // per run: (function id, inclusive share, self share) for functions with weight
  const ids = new Map<string, number>();
  const names: string[] = [];
  const perRun: { fn: Int32Array; total: Float64Array; self: Float64Array }[] = [];
  const runs = [...beforeRuns, ...afterRuns];
  runs.forEach((p, r) => {
    const side = r < nb ? "before" : "after";
    const run = r < nb ? r : r - nb;
    const e = eventIndex(p, opts.event, side, run);
    const st = functionStats(p);
    const all = st.all[e] ?? 0;
    if (!(all > 0)) throw new Error(`flamebook: frameStats: run ${run} of ${side} has no sample weight${opts.event !== undefined ? ` for event ${String(opts.event)}` : ""}; every run needs samples.`);
    const tot = st.total[e]!;
    const slf = st.self[e]!;
    const fn: number[] = [];
    const t: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < st.name.length; i++) {
      if (tot[i] === 0 && slf[i] === 0) continue;
      const name = st.name[i]!;
      let g = ids.get(name);
      if (g === undefined) {
        g = names.length;
        ids.set(name, g);
        names.push(name);
      }
      fn.push(g);
      t.push(tot[i]! / all);
      s.push(slf[i]! / all);
    }
    perRun.push({ fn: Int32Array.from(fn), total: Float64Array.from(t), self: Float64Array.from(s) });
  });

  // shares as [function][run] matrices (before runs first)
  const G = names.length;
  const total = new Float64Array(G * R);
  const self = new Float64Array(G * R);
  perRun.forEach((pr, r) => {
    for (let k = 0; k < pr.fn.length; k++) {
      total[pr.fn[k]! * R + r] = pr.total[k]!;
      self[pr.fn[k]! * R + r] = pr.self[k]!;
    }
  });
  const tested = inclusive ? total : self;

  // bootstrap weights: one set of resampled run indices shared by every function
  const rnd = seededRandom(opts.seed ?? DEFAULT_SEED);
  const wb = new Float64Array(B * nb);
  const wa = new Float64Array(B * na);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < nb; i++) wb[b * nb + Math.floor(rnd() * nb)]! += 1 / nb;
    for (let i = 0; i < na; i++) wa[b * na + Math.floor(rnd() * na)]! += 1 / na;
  }
  const tail = (1 - confidence) / 2;

  const mean = (m: Float64Array, g: number, from: number, to: number): number => {
    let s = 0;
    for (let r = from; r < to; r++) s += m[g * R + r]!;
    return s / (to - from);
  };

  const p = new Float64Array(G);
  const lo = new Float64Array(G);
  const hi = new Float64Array(G);
  const mb = new Float64Array(G);
  const ma = new Float64Array(G);
  const varies = new Uint8Array(G);
  for (let g = 0; g < G; g++) {
    const row = tested.subarray(g * R, (g + 1) * R);
    mb[g] = mean(tested, g, 0, nb);
    ma[g] = mean(tested, g, nb, R);
    let constant = true;
    for (let r = 1; r < R; r++) if (row[r] !== row[0]) constant = false;
    varies[g] = constant ? 0 : 1;
    p[g] = constant ? 1 : test === "welch" ? welchTest(row.subarray(0, nb), row.subarray(nb, R)).p : mannWhitney(row.subarray(nb, R), row.subarray(0, nb)).p;
    if (constant) lo[g] = hi[g] = 0;
  }

  // bootstrap deltas for a chunk of functions at once: D[b][j] = Σ_r w[b][r]·x[r][g0 + j], with
  // after weights positive and before weights negative; x is run-major so the inner loop is
  // contiguous, and zero weights (a run not drawn) are skipped
  const xt = new Float64Array(R * G);
  for (let g = 0; g < G; g++) for (let r = 0; r < R; r++) xt[r * G + g] = tested[g * R + r]!;
  const CHUNK = 256;
  const D = new Float64Array(B * CHUNK);
  const deltas = new Float64Array(B);
  for (let g0 = 0; g0 < G; g0 += CHUNK) {
    const C = Math.min(CHUNK, G - g0);
    D.fill(0);
    for (let b = 0; b < B; b++) {
      const od = b * C;
      for (let r = 0; r < R; r++) {
        const w = r < nb ? -wb[b * nb + r]! : wa[b * na + r - nb]!;
        if (w === 0) continue;
        const ox = r * G + g0;
        for (let j = 0; j < C; j++) D[od + j]! += w * xt[ox + j]!;
      }
    }
    for (let j = 0; j < C; j++) {
      if (varies[g0 + j] === 0) continue;
      for (let b = 0; b < B; b++) deltas[b] = D[b * C + j]!;
      lo[g0 + j] = quantileInPlace(deltas, tail);
      hi[g0 + j] = quantileInPlace(deltas, 1 - tail);
    }
  }
  // BH over the functions that can pass minEffect (pooled mean share ≥ minEffect / 2).
  const candidates: number[] = [];
  for (let g = 0; g < G; g++) if ((mb[g]! * nb + ma[g]! * na) / R >= minEffect / 2) candidates.push(g);
  const qc = benjaminiHochberg(Float64Array.from(candidates, (g) => p[g]!));
  const q = new Float64Array(G).fill(1);
  candidates.forEach((g, i) => (q[g] = qc[i]!));

  const out: FrameStat[] = [];
  for (let g = 0; g < G; g++) {
    const before = mb[g]!;
    const after = ma[g]!;
    const delta = after - before;
    const significant = q[g]! < alpha && Math.abs(delta) >= minEffect;
    const status: FrameStatus = after === 0 && before > 0 ? "vanished" : before === 0 && after > 0 ? "new" : significant ? "changed" : "same";
    out.push({
      name: names[g]!,
      status,
      base: before,
      other: after,
      delta,
      ci: [lo[g]!, hi[g]!],
      p: p[g]!,
      q: q[g]!,
      significant,
      baseTotal: mean(total, g, 0, nb),
      otherTotal: mean(total, g, nb, R),
      baseSelf: mean(self, g, 0, nb),
      otherSelf: mean(self, g, nb, R),
    });
  }
  return out.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/**
 * The result of {@link frameStats} as an arquero table with columns name, status, base, other,
 * delta, ciLow, ciHigh, p, q, significant, baseSelf, otherSelf (shares as fractions), in the
 * same order.
 *
 * @example
 * frameStatsTable(frameStats(before, after)).filter((d) => d.significant).objects();
 */
export function frameStatsTable(stats: readonly FrameStat[]): ColumnTable {
  return columns({
    name: stats.map((s) => s.name),
    status: stats.map((s) => s.status),
    base: Float64Array.from(stats, (s) => s.base),
    other: Float64Array.from(stats, (s) => s.other),
    delta: Float64Array.from(stats, (s) => s.delta),
    ciLow: Float64Array.from(stats, (s) => s.ci[0]),
    ciHigh: Float64Array.from(stats, (s) => s.ci[1]),
    p: Float64Array.from(stats, (s) => s.p),
    q: Float64Array.from(stats, (s) => s.q),
    significant: stats.map((s) => s.significant),
    baseSelf: Float64Array.from(stats, (s) => s.baseSelf),
    otherSelf: Float64Array.from(stats, (s) => s.otherSelf),
  });
}

/**
 * The names of the significant functions of {@link frameStats}: the frames a diff flamegraph
 * keeps in colour (the others are greyed).
 *
 * @example
 * significantFrames(frameStats(before, after)).has("alloc::string::…::to_string"); // true
 */
export function significantFrames(stats: readonly FrameStat[]): ReadonlySet<string> {
  return new Set(stats.filter((s) => s.significant).map((s) => s.name));
}
