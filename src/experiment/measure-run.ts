// One run of one variant: timed, profiled with perf, or counted exactly with callgrind or DHAT;
// the artifacts of a measured run go to the store.
import { join } from "node:path";
import { runTimed } from "../exec/index.js";
import type { Profile } from "../model/profile.js";
import { callgrind } from "../record/callgrind.js";
import { dhat } from "../record/dhat.js";
import { perf } from "../record/perf.js";
import type { PlannedRun } from "./plan.js";
import type { ExperimentSpec, RunRecord } from "./record.js";
import type { ArtifactRef, ArtifactStore } from "./store.js";
import type { ResolvedVariant } from "./variants.js";

/** What every run needs besides itself. */
export interface RunContext {
  spec: ExperimentSpec;
  store: ArtifactStore;
  /** A private directory for the runs' output files (run i writes to `run-<i>`). */
  scratch: string;
  signal: AbortSignal | undefined;
  timeoutMs: number | undefined;
}

/**
 * Makes one run and stores its artifacts (a measured run's only); resolves to its record and,
 * for perf, callgrind and DHAT runs, its profile.
 *
 * @example
 * const { record, profile } = await measureRun({ variant: "after", phase: "measured", kind: "perf" }, v, 7, ctx);
 */
export async function measureRun(run: PlannedRun, v: ResolvedVariant, index: number, ctx: RunContext): Promise<{ record: RunRecord; profile?: Profile }> {
  const startedAt = new Date().toISOString();
  const base = { index, variant: run.variant, phase: run.phase, kind: run.kind, startedAt };
  const common = { env: v.env, signal: ctx.signal, ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}) };
  const keep = run.phase === "measured";
  if (run.kind === "timed") {
    const t = await runTimed(v.exe, v.args, common);
    return { record: { ...base, wallMs: t.wallMs, userMs: t.userMs, sysMs: t.sysMs, exitCode: t.exitCode ?? -1, command: t.command, ...(t.counters ? { counters: t.counters } : {}) } };
  }
  const dir = join(ctx.scratch, `run-${index}`);
  const artifacts: Record<string, ArtifactRef> = {};
  if (run.kind === "perf") {
    const scriptOut = join(dir, "perf-script.txt");
    const rec = await perf.record({ exe: v.exe }, { ...common, args: v.args, frequency: ctx.spec.frequency, outDir: dir, scriptOut });
    if (keep) {
      artifacts["perf.data"] = await ctx.store.putFile(rec.perfData, { kind: "perf.data", name: "perf.data" });
      artifacts["perf-script"] = await ctx.store.putFile(scriptOut, { kind: "perf-script", compress: true, name: "perf-script.txt" });
    }
    const summary = rec.summary();
    return {
      record: { ...base, wallMs: rec.wallS * 1000, exitCode: rec.exitCode ?? -1, command: rec.command, samples: summary.samples, lost: rec.lost, artifacts, warnings: rec.warnings },
      profile: rec.profile,
    };
  }
  if (run.kind === "dhat") {
    const rec = await dhat.record({ exe: v.exe }, { ...common, args: v.args, outDir: dir });
    if (keep) artifacts["dhat"] = await ctx.store.putFile(rec.outFile, { kind: "dhat", compress: true, name: "dhat.json" });
    return {
      record: { ...base, wallMs: rec.wallS * 1000, exitCode: rec.exitCode ?? -1, command: rec.command, blocks: rec.blocks, bytes: rec.bytes, artifacts, warnings: rec.warnings },
      profile: rec.profile,
    };
  }
  const rec = await callgrind.record({ exe: v.exe }, { ...common, args: v.args, outDir: dir });
  if (keep) artifacts["callgrind"] = await ctx.store.putFile(rec.outFile, { kind: "callgrind", compress: true, name: "callgrind.out" });
  return {
    record: { ...base, wallMs: rec.wallS * 1000, exitCode: rec.exitCode ?? -1, command: rec.command, ir: rec.ir, artifacts, warnings: rec.warnings },
    profile: rec.profile,
  };
}
