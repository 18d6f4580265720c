// Step 1 of an experiment: what to do. The options parsed into the spec, the experiment's id and
// record path, a stored result to reuse, and every run in the order it is made.
import { seededRandom } from "../compare/random.js";
import { completedRecord, cacheKey } from "./cache.js";
import { parseExperimentOptions, type ExperimentOptions, type ParsedOptions } from "./options.js";
import { recordPath, type ExperimentRecord, type ExperimentSpec, type RunRecord } from "./record.js";
import { runSchedule } from "./schedule.js";

/** One planned run. */
export interface PlannedRun {
  variant: string;
  phase: RunRecord["phase"];
  kind: RunRecord["kind"];
}

/** What an experiment will do. */
export interface ExperimentPlan extends ParsedOptions {
  /** The experiment's id (see `cacheKey`). */
  id: string;
  /** Its record: `<store>/experiments/<id>.json`. */
  path: string;
  /** The stored result of an identical experiment, to load instead of running (never with `fresh`). */
  stored: ExperimentRecord | undefined;
  /** Every run, in order. */
  runs: PlannedRun[];
}

/**
 * Plans an experiment: parses the options (every default filled in, a wrong option is an error
 * naming it), finds its id and a stored result, and lists its runs.
 *
 * @example
 * const plan = await planExperiment({ exe: "/bin/true", variants: { a: {}, b: {} }, measure: ["wall"] });
 * plan.runs.length; // 22: one warm-up and 10 timed runs per variant
 */
export async function planExperiment(opts: ExperimentOptions): Promise<ExperimentPlan> {
  const parsed = parseExperimentOptions(opts);
  const id = await cacheKey(parsed.spec);
  const path = recordPath(parsed.store, id);
  const stored = parsed.fresh ? undefined : await completedRecord(path);
  return { ...parsed, id, path, stored, runs: planRuns(parsed.spec) };
}

/**
 * The runs in the order they are made: warm-ups, timed (interleaved), perf-profiled, callgrind, DHAT.
 *
 * @example
 * planRuns(spec).filter((r) => r.phase === "measured" && r.kind === "timed").length; // spec.runs × variants
 */
export function planRuns(spec: ExperimentSpec): PlannedRun[] {
  const names = Object.keys(spec.variants);
  const plan: PlannedRun[] = [];
  const measure = new Set(spec.measure);
  const random = seededRandom(spec.seed);
  const warmKind = measure.has("wall") ? "timed" : measure.has("perf") ? "perf" : measure.has("callgrind") ? "callgrind" : "dhat";
  for (let w = 0; w < spec.warmup; w++) for (const v of names) plan.push({ variant: v, phase: "warmup", kind: warmKind });
  if (measure.has("wall")) for (const v of runSchedule(names, spec.runs, spec.order, random)) plan.push({ variant: v, phase: "measured", kind: "timed" });
  if (measure.has("perf")) for (const v of runSchedule(names, spec.profiledRuns, spec.order === "sequential" ? "sequential" : "abba", random)) plan.push({ variant: v, phase: "measured", kind: "perf" });
  if (measure.has("callgrind")) for (const v of names) plan.push({ variant: v, phase: "measured", kind: "callgrind" });
  if (measure.has("dhat")) for (const v of names) plan.push({ variant: v, phase: "measured", kind: "dhat" });
  return plan;
}
