// The options of experiment(): the one place they are checked and given their defaults. The
// parsed spec is what the experiment runs and what its record stores.
import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_NOISE } from "../compare/noise.js";
import { DEFAULT_SEED } from "../compare/random.js";
import { DEFAULT_FREQUENCY_HZ } from "../record/frequency.js";
import { optionsError } from "./options-error.js";
import type { ProgressEvent } from "./progress.js";
import { experimentSpecSchema, type ExperimentSpec, type VariantSpec } from "./record-schema.js";
import type { RunOrder } from "./schedule.js";
import { defaultStoreRoot } from "./store.js";

/** What each run measures: wall/CPU time, perf samples, exact callgrind instruction counts, exact DHAT allocation counts. */
export type Measure = ExperimentSpec["measure"][number];

/** Options of `experiment()`. Every option documents its default. */
export interface ExperimentOptions {
  /** The crate to build each variant from. Default: none (then every variant, or `exe`, must name an executable). */
  crate?: string;
  /** The binary target. Default: the crate's only binary. */
  bin?: string;
  /** A prebuilt executable for variants that do not build. Default: none. */
  exe?: string;
  /** Arguments of the program (a variant's `args` replace them). Default: none. */
  args?: string[];
  /** Environment of the program (a variant's `env` extends it). Default: none. */
  env?: Record<string, string>;
  /** The variants by name, the first being the base ("before"): `{ git }`, `{ features }`, `{ args }`, `{ env }`, `{ exe }`. */
  variants: Record<string, VariantSpec>;
  /** Measured timed runs per variant (at least 2 when "wall" is measured). Default: 10. */
  runs?: number;
  /** Discarded warm-up runs per variant, before the measured ones. Default: 1, or 0 when only exact counts are measured ("callgrind", "dhat"). */
  warmup?: number;
  /** How measured runs are interleaved. Default: "abba". */
  order?: RunOrder;
  /**
   * What to measure: "wall" (timed runs), "perf" (profiled runs), "callgrind" (one run per variant:
   * exact instruction counts), "dhat" (one run per variant: exact allocation counts). Default: ["wall", "perf"].
   */
  measure?: Measure[];
  /** perf-profiled runs per variant, separate from the timed ones (perf's overhead does not bias the timing); the per-frame test needs several. Default: 5. */
  profiledRuns?: number;
  /** perf sampling frequency, a whole number of samples per second. Default: 997 Hz ({@link DEFAULT_FREQUENCY_HZ}). */
  frequency?: number;
  /** Seed of the random order and of the bootstrap, a whole number. Default: 1. */
  seed?: number;
  /** The verdict's noise threshold, from 0 up to (not including) 1: a smaller change is "no change". Default: 0.02. */
  noise?: number;
  /** Where records and artifacts are kept. Default: `.flamebook` in the current directory. */
  store?: string;
  /** Run again even when an identical experiment with identical inputs is stored. Default: false. */
  fresh?: boolean;
  /** Kill a run after this many ms. Default: none. */
  timeoutMs?: number;
  /** Stops the experiment (keeps completed runs, marks the record "interrupted"). Default: the notebook cell's interrupt. */
  signal?: AbortSignal;
  /** Called on every step (build, run i of n, done). Default: none; in a notebook the cell shows progress anyway. */
  onProgress?: (event: ProgressEvent) => void;
}

/** The parsed options: the spec (every default filled in) and how to run it. */
export interface ParsedOptions {
  spec: ExperimentSpec;
  /** The absolute store root. */
  store: string;
  fresh: boolean;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  onProgress: ((event: ProgressEvent) => void) | undefined;
}

const spec = experimentSpecSchema.shape;
const isSignal = (v: unknown): v is AbortSignal => typeof (v as AbortSignal | null)?.aborted === "boolean" && typeof (v as AbortSignal).addEventListener === "function";
const isListener = (v: unknown): v is (event: ProgressEvent) => void => typeof v === "function";
const EXACT: readonly Measure[] = ["callgrind", "dhat"];

/**
 * The experiment options with their defaults: the spec's own fields (types and bounds from the
 * record's spec schema) and how to run it. Parses to {@link ParsedOptions}.
 *
 * @example
 * experimentOptionsSchema.parse({ exe: "/bin/true", variants: { a: {}, b: {} } }).spec.runs; // 10
 */
export const experimentOptionsSchema = z
  .object({
    crate: spec.crate,
    bin: spec.bin,
    exe: spec.exe,
    args: spec.args.default([]),
    env: spec.env.default({}),
    variants: spec.variants.default({}).refine((v) => Object.keys(v).length >= 2, {
      error: (i) => `an experiment compares at least two variants, e.g. { before: {}, after: { features: ["fast"] } }; got ${Object.keys(i.input ?? {}).length}`,
    }),
    runs: spec.runs.default(10),
    warmup: spec.warmup.optional(),
    order: spec.order.default("abba"),
    measure: spec.measure.default(["wall", "perf"]).transform((m) => [...new Set(m)]),
    profiledRuns: spec.profiledRuns.default(5),
    frequency: spec.frequency.default(DEFAULT_FREQUENCY_HZ),
    seed: spec.seed.default(DEFAULT_SEED),
    noise: spec.noise.default(DEFAULT_NOISE),
    store: z.string().optional(),
    fresh: z.boolean().default(false),
    timeoutMs: z.number().positive().optional(),
    signal: z.custom<AbortSignal>(isSignal, "must be an AbortSignal").optional(),
    onProgress: z.custom<(event: ProgressEvent) => void>(isListener, "must be a function").optional(),
  })
  .superRefine((o, ctx) => {
    // a verdict needs two timed runs per variant; the per-frame test at least one profiled run
    if (o.measure.includes("wall") && o.runs < 2) ctx.addIssue({ code: "custom", path: ["runs"], input: o.runs, message: `experiment option runs must be a whole number ≥ 2 when "wall" is measured, got ${o.runs}` });
    if (o.measure.includes("perf") && o.profiledRuns < 1) {
      ctx.addIssue({ code: "custom", path: ["profiledRuns"], input: o.profiledRuns, message: `experiment option profiledRuns must be a whole number ≥ 1 when "perf" is measured, got ${o.profiledRuns}` });
    }
  })
  .transform(
    (o): ParsedOptions => ({
      spec: {
        // the key order is the cache key's: keep it
        ...(o.crate !== undefined ? { crate: resolve(o.crate) } : {}),
        ...(o.bin !== undefined ? { bin: o.bin } : {}),
        ...(o.exe !== undefined ? { exe: resolve(o.exe) } : {}),
        args: o.args,
        env: o.env,
        variants: o.variants,
        runs: o.runs,
        // exact counts (callgrind, DHAT) do not depend on a warm cache: no warm-up unless asked for
        warmup: o.warmup ?? (o.measure.length > 0 && o.measure.every((m) => EXACT.includes(m)) ? 0 : 1),
        order: o.order,
        measure: o.measure,
        profiledRuns: o.profiledRuns,
        frequency: o.frequency,
        seed: o.seed,
        noise: o.noise,
      },
      store: resolve(o.store ?? defaultStoreRoot()),
      fresh: o.fresh,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      onProgress: o.onProgress,
    }),
  );

/**
 * Checks the options of `experiment()` and fills in every default. A wrong option is an error
 * naming it, its value and what is allowed, e.g. `flamebook: unknown measure "gpu"; experiment
 * option measure takes "wall", "perf", "callgrind" or "dhat".`
 *
 * @example
 * parseExperimentOptions({ exe: "/bin/true", variants: { a: {}, b: {} }, measure: ["callgrind"] }).spec.warmup; // 0
 */
export function parseExperimentOptions(opts: ExperimentOptions): ParsedOptions {
  const parsed = experimentOptionsSchema.safeParse(opts, { reportInput: true });
  if (!parsed.success) throw optionsError(parsed.error.issues);
  return parsed.data;
}

// The interface documents the options and the schema checks them: it must accept all the interface allows.
true satisfies ExperimentOptions extends z.input<typeof experimentOptionsSchema> ? true : never;
