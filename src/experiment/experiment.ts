// experiment(): a before/after experiment in three steps — plan (options, id, stored result,
// runs), execute (builds and runs) and persist (the record, journalled as it goes) — and
// experiment.load() to replay a stored one.
import { holdExit, withAmbient } from "../exec/index.js";
import { executePlan } from "./execute.js";
import { loadExperiment } from "./load.js";
import type { ExperimentOptions } from "./options.js";
import { RecordJournal } from "./persist.js";
import { planExperiment } from "./plan.js";
import { ExperimentProgress } from "./progress.js";
import type { Experiment } from "./result.js";

export type { ExperimentOptions, Measure } from "./options.js";

/**
 * Runs a before/after experiment: builds every variant (a git revision in its own worktree,
 * cargo features, args, env or an executable), makes warm-up runs, then interleaved measured runs
 * (ABBA by default) that time each run, profiles separate runs with perf (and optionally counts
 * exact instructions with callgrind, or exact allocations with DHAT), and keeps everything — a JSON record with the provenance
 * and every command, and the artifacts by content hash under `.flamebook/` — so that
 * `experiment.load(id)` shows the same results on a machine without perf. An identical experiment
 * with identical inputs (sources, toolchain, spec) is loaded instead of re-run, unless `fresh`.
 * Progress shows in the notebook cell; an interrupt stops after the current run and keeps the
 * completed runs (the record says "interrupted").
 *
 * @example
 * const exp = await experiment({
 *   crate: "notebooks/crates/clone-in-loop", bin: "wordfreq", args: ["200000"],
 *   variants: { before: {}, after: { features: ["reuse-buffer"] } },
 *   runs: 10, order: "abba",
 * });
 * exp.verdict().text; // "after is 31.2% faster than before (…)"
 */
async function runExperiment(opts: ExperimentOptions): Promise<Experiment> {
  const plan = await planExperiment(opts);
  const signal = withAmbient(plan.signal);
  const progress = new ExperimentProgress(plan.onProgress);
  if (plan.stored) {
    progress.emit({ type: "cached", message: `using the stored experiment ${plan.id} (same spec and inputs; pass fresh: true to run again)` });
    return loadExperiment(plan.stored, { store: plan.store, cached: true });
  }
  const journal = await RecordJournal.begin(plan, signal);
  try {
    const profiles = await executePlan(plan, journal, progress, signal).catch(async (e: unknown) => {
      throw await journal.stop(e, signal?.aborted ?? false);
    });
    return await journal.complete(profiles);
  } finally {
    progress.finish(journal.record.status);
  }
}

/**
 * Before/after experiments: `experiment(options)` runs one; `experiment.load(idOrPath)` replays a
 * stored one without perf or cargo.
 *
 * @example
 * const exp = await experiment({ crate: "notebooks/crates/clone-in-loop", bin: "wordfreq", args: ["200000"], variants: { before: {}, after: { features: ["reuse-buffer"] } } });
 * const again = await experiment.load(exp.id);
 */
export const experiment = Object.assign(
  // held until it settles: an interrupted experiment writes its record ("interrupted") before `flamebook run` exits
  (opts: ExperimentOptions): Promise<Experiment> => holdExit(runExperiment(opts)),
  { load: loadExperiment },
);
