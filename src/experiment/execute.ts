// Step 2 of an experiment: build every variant, then make the planned runs one by one, telling
// the record journal (step 3) about each step as it ends.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addProfile, experimentProfiles, type ExperimentProfiles } from "./experiment-data.js";
import { measureRun } from "./measure-run.js";
import type { RecordJournal } from "./persist.js";
import type { ExperimentPlan } from "./plan.js";
import type { ExperimentProgress } from "./progress.js";
import { ArtifactStore } from "./store.js";
import { resolveVariant, type ResolvedVariant } from "./variants.js";

/**
 * Runs a plan: builds (or finds) every variant, then makes each planned run, storing the
 * artifacts and journalling every step, so that an interrupt or a failure leaves a record of the
 * completed runs. Resolves to the profiles of the measured runs. Stops at an abort of `signal`
 * (throwing its reason) before the next run.
 *
 * @example
 * const profiles = await executePlan(plan, journal, progress, signal);
 */
export async function executePlan(plan: ExperimentPlan, journal: RecordJournal, progress: ExperimentProgress, signal: AbortSignal | undefined): Promise<ExperimentProfiles> {
  const { spec } = plan;
  const scratch = await mkdtemp(join(tmpdir(), "flamebook-exp-"));
  try {
    const resolved = new Map<string, ResolvedVariant>();
    for (const [name, vspec] of Object.entries(spec.variants)) {
      progress.emit({ type: "build", variant: name, message: `building ${name}` });
      const onProgress = (line: string) => progress.emit({ type: "build", variant: name, message: line });
      const v = await resolveVariant(name, vspec, { crate: spec.crate, bin: spec.bin, exe: spec.exe, args: spec.args, env: spec.env }, { storeRoot: plan.store, signal, onProgress });
      resolved.set(name, v);
      journal.variant(v);
    }
    const sameExe = new Set([...resolved.values()].map((v) => `${v.exeSha256}\0${v.args.join("\0")}\0${JSON.stringify(v.env)}`)).size === 1;
    if (sameExe && resolved.size > 1) journal.warn("every variant runs the same executable with the same arguments and environment: this is an A/A experiment, expect \"no change\".");
    await journal.save();

    const data = experimentProfiles();
    const ctx = { spec, store: new ArtifactStore(plan.store), scratch, signal, timeoutMs: plan.timeoutMs };
    progress.start(plan.runs.length);
    for (const [i, planned] of plan.runs.entries()) {
      if (signal?.aborted) throw signal.reason ?? new Error("interrupted");
      progress.run(i, planned);
      const done = await measureRun(planned, resolved.get(planned.variant)!, i, ctx);
      journal.run(done.record);
      if (done.profile && planned.phase === "measured" && planned.kind !== "timed") addProfile(data, planned.kind, planned.variant, done.profile);
      progress.ran(i, planned, done.record.wallMs);
      await journal.save();
    }
    return data;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
