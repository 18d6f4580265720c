import type { FlameTree } from "../model/flame-tree.js";
import type { Profile } from "../model/profile.js";
import { eventIndex } from "../model/event-index.js";
import { hasExactCounts } from "../model/exact-counts.js";
import { CallTreeBuilder, type SideWeights } from "./call-tree-builder.js";

/** Options of {@link diffFlameTree}. */
export interface DiffFlameTreeOptions {
  event?: string;
  title?: string;
  /** The label of the base side (the one diffed from). Default: "before". */
  base?: string;
  /** The label of the other side. Default: "after". */
  other?: string;
  /**
   * Two-sided significance level of the per-node test (default 0.001). Sampled profiles use a
   * two-proportion z-test on sample counts (is the node's share of samples different?); exact
   * counts (callgrind instructions, DHAT allocations: see `hasExactCounts`) mark every change as significant.
   */
  alpha?: number;
  /**
   * Decides significance per function name instead of the per-node test, e.g. from a test
   * across repeated runs (`frameStats` in src/compare): a node is significant when its frame's
   * name is. Default: none (the per-node test above).
   */
  significant?: (name: string) => boolean;
}

/**
 * The diff of two profiles as one {@link FlameTree}: the shape and weights of `after`, with
 * `diff.total`/`diff.self` holding `before`'s weights on the same call paths and `diff.sig` saying
 * which changes are beyond sampling noise. Frames are matched by name, so two builds of the same
 * crate line up.
 *
 * @example
 * const d = diffFlameTree(before.profile, after.profile);
 * d.nodes.total[0] - d.diff!.total[0]; // the change of the whole
 */
export function diffFlameTree(before: Profile, after: Profile, opts: DiffFlameTreeOptions = {}): FlameTree {
  if (before.unit !== after.unit) throw new Error(`flamebook: cannot diff a profile in ${before.unit} with one in ${after.unit}; record both the same way.`);
  const b = new CallTreeBuilder(2, "name");
  const eventAfter = eventIndex(after, opts.event);
  b.addProfile(before, eventIndex(before, opts.event), 0);
  b.addProfile(after, eventAfter, 1);
  const { tree } = b.finish();
  const [base, next] = tree.sides as [SideWeights, SideWeights];
  const exact = hasExactCounts(before) && hasExactCounts(after);
  const z = zFor(opts.alpha ?? 0.001);
  const sig = new Uint8Array(tree.nodes.frame.length);
  const n1 = base.totalCount[0]!;
  const n2 = next.totalCount[0]!;
  for (let i = 0; i < sig.length; i++) {
    if (opts.significant) sig[i] = opts.significant(tree.strings[tree.frames.name[tree.nodes.frame[i]!]!]!) ? 1 : 0;
    else if (exact) sig[i] = base.total[i] !== next.total[i] ? 1 : 0;
    else sig[i] = twoProportionZ(base.totalCount[i]!, n1, next.totalCount[i]!, n2) >= z ? 1 : 0;
  }
  const baseLabel = opts.base ?? "before";
  const label = opts.other ?? "after";
  return {
    version: 1,
    title: opts.title ?? `${baseLabel} → ${label}`,
    event: after.events[eventAfter] ?? "samples",
    unit: after.unit,
    strings: tree.strings,
    frames: tree.frames,
    nodes: tree.nodes,
    diff: { label, baseLabel, total: base.total, self: base.self, sig },
    notes: [...before.warnings.map((w) => `${baseLabel}: ${w}`), ...after.warnings.map((w) => `${label}: ${w}`)],
  };
}

/** |z| of the two-proportion test of k1/n1 against k2/n2 (0 when undefined). */
export function twoProportionZ(k1: number, n1: number, k2: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 0;
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return 0;
  return Math.abs(k1 / n1 - k2 / n2) / se;
}

/** The two-sided normal critical value for a significance level (bisection on erfc). */
function zFor(alpha: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (erfc(mid / Math.SQRT2) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? y : 2 - y;
}
