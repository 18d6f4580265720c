// Step 3 of an experiment: its record, written when the experiment starts ("running"), after each
// step, and at the end ("complete" with the verdict, or "interrupted"/"failed" with the completed
// runs). The record names the spec, the provenance, every command and the artifacts.
import { collectProvenance, currentLoad, flamebookPackageVersion, provenanceWarnings } from "./provenance.js";
import type { ExperimentProfiles } from "./experiment-data.js";
import type { ExperimentPlan } from "./plan.js";
import { writeRecord, type ExperimentRecord, type RunRecord } from "./record.js";
import { Experiment } from "./result.js";
import type { ResolvedVariant } from "./variants.js";

/**
 * The record of a running experiment: steps are added to it as they end, and `save()` writes it
 * (atomically: a reader never sees half a record).
 *
 * @example
 * const journal = await RecordJournal.begin(plan, signal);
 * journal.run(runRecord); await journal.save();
 * const exp = await journal.complete(profiles);
 */
export class RecordJournal {
  private constructor(
    /** The record, as written so far. */
    readonly record: ExperimentRecord,
    /** Where it is written. */
    readonly path: string,
  ) {}

  /**
   * Collects the provenance (machine, tools, load) and writes the first record, "running".
   *
   * @example
   * const journal = await RecordJournal.begin(plan, signal);
   */
  static async begin(plan: ExperimentPlan, signal: AbortSignal | undefined): Promise<RecordJournal> {
    const { spec } = plan;
    const provenance = await collectProvenance({ ...(spec.crate ? { cwd: spec.crate } : {}), signal });
    const record: ExperimentRecord = {
      schema: "flamebook.experiment",
      version: 1,
      id: plan.id,
      status: "running",
      createdAt: new Date().toISOString(),
      flamebookVersion: flamebookPackageVersion(),
      spec,
      variants: {},
      provenance,
      runs: [],
      // Exact counts (callgrind, DHAT) do not depend on the load, the governor or perf: no warnings about them.
      warnings: spec.measure.some((m) => m === "wall" || m === "perf") ? provenanceWarnings(provenance, { isRoot: process.getuid?.() === 0 }) : [],
    };
    const journal = new RecordJournal(record, plan.path);
    await journal.save();
    return journal;
  }

  /** A variant was built (or found): how, and how it runs. */
  variant(v: ResolvedVariant): void {
    this.record.variants[v.name] = {
      spec: v.spec,
      ...(v.git ? { git: v.git } : {}),
      ...(v.build
        ? { build: { profile: v.build.profile, features: v.build.features, exe: v.build.exe, exeSha256: v.build.sha256, command: v.build.command, warnings: v.build.warnings } }
        : {}),
      command: { exe: v.exe, args: v.args, env: v.env },
    };
  }

  /** A warning about the whole experiment. */
  warn(message: string): void {
    this.record.warnings.push(message);
  }

  /** A run ended. */
  run(run: RunRecord): void {
    this.record.runs.push(run);
  }

  /** Writes the record as it is now. */
  async save(): Promise<void> {
    await writeRecord(this.path, this.record);
  }

  /**
   * Every run was made: the record becomes "complete" with the verdict (when there are timed
   * runs to judge) and is written; resolves to the experiment's result.
   *
   * @example
   * return await journal.complete(profiles);
   */
  async complete(profiles: ExperimentProfiles): Promise<Experiment> {
    this.record.status = "complete";
    this.end();
    const exp = new Experiment(this.record, profiles, { path: this.path });
    try {
      this.record.result = exp.verdict().toJSON();
    } catch {
      // nothing to judge (no timed runs)
    }
    await this.save();
    return exp;
  }

  /**
   * The experiment stopped early (`interrupted` when its signal aborted, else failed): the record
   * says so and keeps the completed runs. Resolves to the error to throw, which names the record.
   *
   * @example
   * throw await journal.stop(e, signal?.aborted ?? false);
   */
  async stop(e: unknown, interrupted: boolean): Promise<Error> {
    const r = this.record;
    r.status = interrupted ? "interrupted" : "failed";
    r.warnings.push(interrupted ? `interrupted after ${r.runs.length} runs; the completed runs are kept.` : `failed: ${(e as Error).message.split("\n")[0]}`);
    const error = Object.assign(
      new Error(
        `${interrupted ? "flamebook: experiment interrupted" : "flamebook: experiment failed"} after ${r.runs.length} runs; its record (${r.status}) is ${this.path}; ` +
          `\`experiment.load(${JSON.stringify(r.id)})\` shows the completed runs.\n${(e as Error).message}`,
      ),
      { cause: e },
    );
    this.end();
    await this.save();
    return error;
  }

  private end(): void {
    this.record.finishedAt = new Date().toISOString();
    this.record.provenance.loadEnd = currentLoad();
  }
}
