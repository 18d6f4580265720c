import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { seededRandom } from "../compare/random.js";
import { holdExit, run, runTimed, withAmbient } from "../exec/index.js";
import type { Profile } from "../model/profile.js";
import { callgrind } from "../record/callgrind.js";
import { dhat } from "../record/dhat.js";
import { perf } from "../record/perf.js";
import { openProfile } from "../samples/registry.js";
import { collectProvenance, currentLoad, flamebookPackageVersion, provenanceWarnings } from "./provenance.js";
import { readRecord, recordPath, writeRecord, type ExperimentRecord, type ExperimentSpec, type RunRecord, type VariantRecord, type VariantSpec } from "./record.js";
import { Experiment, type ExperimentData } from "./result.js";
import { runSchedule, type RunOrder } from "./schedule.js";
import { sourceHash } from "./source-hash.js";
import { ArtifactStore, defaultStoreRoot, type ArtifactRef } from "./store.js";
import { ExperimentProgress, type ProgressEvent } from "./progress.js";
import { fileSha256, resolveVariant, type ResolvedVariant } from "./variants.js";

/** What each run measures: wall/CPU time, perf samples, exact callgrind instruction counts, exact DHAT allocation counts. */
export type Measure = "wall" | "perf" | "callgrind" | "dhat";

/** Options of {@link experiment}. Every option documents its default. */
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
  /** Measured timed runs per variant. Default: 10. */
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
  /** perf sampling frequency. Default: 997 Hz. */
  frequency?: number;
  /** Seed of the random order and of the bootstrap. Default: 1. */
  seed?: number;
  /** The verdict's noise threshold (a smaller change is "no change"). Default: 0.02. */
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

/** One planned run. */
interface PlannedRun {
  variant: string;
  phase: "warmup" | "measured";
  kind: "timed" | "perf" | "callgrind" | "dhat";
}

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
  const spec = normalizeSpec(opts);
  const storeRoot = resolve(opts.store ?? defaultStoreRoot());
  const store = new ArtifactStore(storeRoot);
  const signal = withAmbient(opts.signal);
  const progress = new ExperimentProgress(opts.onProgress);

  const id = await cacheKey(spec);
  const path = recordPath(storeRoot, id);
  if (!opts.fresh && existsSync(path)) {
    const old = await readRecord(path, { allowIncomplete: true }).catch(() => undefined);
    if (old?.status === "complete") {
      progress.emit({ type: "cached", message: `using the stored experiment ${id} (same spec and inputs; pass fresh: true to run again)` });
      return loadExperiment(old, { store: storeRoot, cached: true });
    }
  }

  const provenance = await collectProvenance({ ...(spec.crate ? { cwd: spec.crate } : {}), signal });
  const record: ExperimentRecord = {
    schema: "flamebook.experiment",
    version: 1,
    id,
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
  await writeRecord(path, record);
  const data = { perf: new Map<string, Profile[]>(), callgrind: new Map<string, Profile[]>(), dhat: new Map<string, Profile[]>() };
  const scratch = await mkdtemp(join(tmpdir(), "flamebook-exp-"));
  try {
    const resolved = new Map<string, ResolvedVariant>();
    for (const [name, vspec] of Object.entries(spec.variants)) {
      progress.emit({ type: "build", variant: name, message: `building ${name}` });
      const v = await resolveVariant(name, vspec, { crate: spec.crate, bin: spec.bin, exe: spec.exe, args: spec.args, env: spec.env }, { storeRoot, signal, onProgress: (line) => progress.emit({ type: "build", variant: name, message: line }) });
      resolved.set(name, v);
      record.variants[name] = variantRecord(v);
    }
    const sameExe = new Set([...resolved.values()].map((v) => `${v.exeSha256}\0${v.args.join("\0")}\0${JSON.stringify(v.env)}`)).size === 1;
    if (sameExe && resolved.size > 1) record.warnings.push("every variant runs the same executable with the same arguments and environment: this is an A/A experiment, expect \"no change\".");
    await writeRecord(path, record);

    const plan = planRuns(spec);
    progress.start(plan.length);
    for (const [i, planned] of plan.entries()) {
      if (signal?.aborted) throw signal.reason ?? new Error("interrupted");
      const v = resolved.get(planned.variant)!;
      progress.run(i, planned);
      const done = await measureOne(planned, v, i, { spec, store, scratch, signal, timeoutMs: opts.timeoutMs });
      record.runs.push(done.record);
      if (done.profile && planned.phase === "measured") {
        const side = planned.kind === "perf" ? data.perf : planned.kind === "dhat" ? data.dhat : data.callgrind;
        side.set(planned.variant, [...(side.get(planned.variant) ?? []), done.profile]);
      }
      progress.ran(i, planned, done.record.wallMs);
      await writeRecord(path, record);
    }
    record.status = "complete";
  } catch (e) {
    record.status = signal?.aborted ? "interrupted" : "failed";
    record.warnings.push(signal?.aborted ? `interrupted after ${record.runs.length} runs; the completed runs are kept.` : `failed: ${(e as Error).message.split("\n")[0]}`);
    throw Object.assign(new Error(`${signal?.aborted ? "flamebook: experiment interrupted" : "flamebook: experiment failed"} after ${record.runs.length} runs; its record (${record.status}) is ${path}; \`experiment.load(${JSON.stringify(id)})\` shows the completed runs.\n${(e as Error).message}`), { cause: e });
  } finally {
    record.finishedAt = new Date().toISOString();
    record.provenance.loadEnd = currentLoad();
    const exp = new Experiment(record, data, { path });
    if (record.status === "complete") {
      try {
        record.result = exp.verdict().toJSON();
      } catch {
        // nothing to judge (no timed runs)
      }
    }
    await writeRecord(path, record);
    await rm(scratch, { recursive: true, force: true });
    progress.finish(record.status);
  }
  return new Experiment(record, data, { path });
}

/** The runs in the order they are made: warm-ups, timed (interleaved), perf-profiled, callgrind, DHAT. */
function planRuns(spec: ExperimentSpec): PlannedRun[] {
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

/** Makes one run and stores its artifacts. */
async function measureOne(
  run: PlannedRun,
  v: ResolvedVariant,
  index: number,
  ctx: { spec: ExperimentSpec; store: ArtifactStore; scratch: string; signal: AbortSignal | undefined; timeoutMs: number | undefined },
): Promise<{ record: RunRecord; profile?: Profile }> {
  const startedAt = new Date().toISOString();
  const base = { index, variant: run.variant, phase: run.phase, kind: run.kind, startedAt };
  const common = { env: v.env, signal: ctx.signal, ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}) };
  if (run.kind === "timed") {
    const t = await runTimed(v.exe, v.args, common);
    return { record: { ...base, wallMs: t.wallMs, userMs: t.userMs, sysMs: t.sysMs, exitCode: t.exitCode ?? -1, command: t.command, ...(t.counters ? { counters: t.counters } : {}) } };
  }
  const dir = join(ctx.scratch, `run-${index}`);
  if (run.kind === "perf") {
    const scriptOut = join(dir, "perf-script.txt");
    const rec = await perf.record({ exe: v.exe }, { ...common, args: v.args, frequency: ctx.spec.frequency, outDir: dir, scriptOut });
    const artifacts: Record<string, ArtifactRef> = {};
    if (run.phase === "measured") {
      artifacts["perf.data"] = await ctx.store.putFile(rec.perfData, { kind: "perf.data", name: "perf.data" });
      artifacts["perf-script"] = await ctx.store.putFile(scriptOut, { kind: "perf-script", compress: true, name: "perf-script.txt" });
    }
    const summary = rec.summary();
    return {
      record: { ...base, wallMs: rec.wallMs, exitCode: rec.exitCode ?? -1, command: rec.command, samples: summary.samples, lost: rec.lost, artifacts, warnings: rec.warnings },
      profile: rec.profile,
    };
  }
  if (run.kind === "dhat") {
    const rec = await dhat.record({ exe: v.exe }, { ...common, args: v.args, outDir: dir });
    const artifacts: Record<string, ArtifactRef> = {};
    if (run.phase === "measured") artifacts["dhat"] = await ctx.store.putFile(rec.outFile, { kind: "dhat", compress: true, name: "dhat.json" });
    return {
      record: { ...base, wallMs: rec.wallMs, exitCode: rec.exitCode ?? -1, command: rec.command, blocks: rec.blocks, bytes: rec.bytes, artifacts, warnings: rec.warnings },
      profile: rec.profile,
    };
  }
  const rec = await callgrind.record({ exe: v.exe }, { ...common, args: v.args, outDir: dir });
  const artifacts: Record<string, ArtifactRef> = {};
  if (run.phase === "measured") artifacts["callgrind"] = await ctx.store.putFile(rec.outFile, { kind: "callgrind", compress: true, name: "callgrind.out" });
  return {
    record: { ...base, wallMs: rec.wallMs, exitCode: rec.exitCode ?? -1, command: rec.command, ir: rec.ir, artifacts, warnings: rec.warnings },
    profile: rec.profile,
  };
}

function variantRecord(v: ResolvedVariant): VariantRecord {
  return {
    spec: v.spec,
    ...(v.git ? { git: v.git } : {}),
    ...(v.build
      ? { build: { profile: v.build.profile, features: v.build.features, exe: v.build.exe, exeSha256: v.build.sha256, command: v.build.command, warnings: v.build.warnings } }
      : {}),
    command: { exe: v.exe, args: v.args, env: v.env },
  };
}

/** The spec with every default filled in, validated. */
function normalizeSpec(o: ExperimentOptions): ExperimentSpec {
  const names = Object.keys(o.variants ?? {});
  if (names.length < 2) throw new Error(`flamebook: an experiment compares at least two variants, e.g. { before: {}, after: { features: ["fast"] } }; got ${names.length}.`);
  const measure = o.measure ?? ["wall", "perf"];
  for (const m of measure) if (!["wall", "perf", "callgrind", "dhat"].includes(m)) throw new Error(`flamebook: unknown measure "${m}"; use "wall", "perf", "callgrind" or "dhat".`);
  // Exact counts (callgrind, DHAT) do not depend on a warm cache: no warm-up unless asked for.
  const onlyExact = measure.length > 0 && measure.every((m) => m === "callgrind" || m === "dhat");
  const positive = (name: string, value: number | undefined, dflt: number, min = 0) => {
    const x = value ?? dflt;
    if (!Number.isInteger(x) || x < min) throw new Error(`flamebook: experiment option ${name} must be a whole number ≥ ${min}, got ${value}.`);
    return x;
  };
  const runs = positive("runs", o.runs, 10, measure.includes("wall") ? 2 : 0);
  return {
    ...(o.crate !== undefined ? { crate: resolve(o.crate) } : {}),
    ...(o.bin !== undefined ? { bin: o.bin } : {}),
    ...(o.exe !== undefined ? { exe: resolve(o.exe) } : {}),
    args: [...(o.args ?? [])],
    env: { ...(o.env ?? {}) },
    variants: Object.fromEntries(names.map((n) => [n, { ...o.variants[n] }])),
    runs,
    warmup: positive("warmup", o.warmup, onlyExact ? 0 : 1),
    order: o.order ?? "abba",
    measure: [...new Set(measure)],
    profiledRuns: positive("profiledRuns", o.profiledRuns, 5, measure.includes("perf") ? 1 : 0),
    frequency: o.frequency ?? 997,
    seed: o.seed ?? 1,
    noise: o.noise ?? 0.02,
  };
}

/**
 * The experiment's id: a hash of its spec and its inputs (the crate's sources, the toolchain, the
 * executables of prebuilt variants), so an identical experiment finds its stored record.
 */
async function cacheKey(spec: ExperimentSpec): Promise<string> {
  const h = createHash("sha256").update("flamebook-experiment-v1\n").update(JSON.stringify(spec));
  if (spec.crate) h.update(`\nsource ${await sourceHash(spec.crate)}`);
  const exes = [spec.exe, ...Object.values(spec.variants).map((v) => v.exe)].filter((x): x is string => x !== undefined);
  for (const exe of exes) if (existsSync(exe)) h.update(`\nexe ${exe} ${await fileSha256(exe)}`);
  const rustc = await run(process.env.RUSTC ?? "rustc", ["-vV"], { captureStdout: true, timeoutMs: 30_000, check: false }).catch(() => undefined);
  h.update(`\nrustc ${rustc?.stdout ?? "none"}`);
  return h.digest("hex").slice(0, 16);
}

/**
 * Loads a stored experiment (a record path, an id in the store, or a record object) and rebuilds
 * every result from its artifacts — no perf, cargo or valgrind needed. Artifacts are verified by
 * hash; a missing or corrupt one is an error naming the file.
 *
 * @example
 * const exp = await experiment.load("3f2a9c0e1b7d4a55");      // from .flamebook/experiments/
 * const same = await experiment.load("shared/exp.json", { store: "shared/.flamebook" });
 */
async function loadExperiment(recordOrId: string | ExperimentRecord, opts: { store?: string; allowIncomplete?: boolean; cached?: boolean } = {}): Promise<Experiment> {
  let record: ExperimentRecord;
  let path: string;
  let storeRoot = resolve(opts.store ?? defaultStoreRoot());
  if (typeof recordOrId === "string") {
    path = /[\\/]|\.json$/.test(recordOrId) ? resolve(recordOrId) : recordPath(storeRoot, recordOrId);
    if (!existsSync(path)) throw new Error(`flamebook: no experiment record at ${path}; give a record file, or an id from ${join(storeRoot, "experiments")} (and { store } if it lives elsewhere).`);
    record = await readRecord(path, { allowIncomplete: opts.allowIncomplete ?? false });
    // A record inside <store>/experiments/ finds its artifacts in that store.
    if (opts.store === undefined && /[\\/]experiments[\\/][^\\/]+\.json$/.test(path)) storeRoot = resolve(path, "..", "..");
  } else {
    record = recordOrId;
    path = recordPath(storeRoot, record.id);
  }
  const store = new ArtifactStore(storeRoot);
  const data: ExperimentData = { perf: new Map<string, Profile[]>(), callgrind: new Map<string, Profile[]>(), dhat: new Map<string, Profile[]>() };
  for (const run of record.runs) {
    if (run.phase !== "measured") continue;
    const ref = run.kind === "perf" ? run.artifacts?.["perf-script"] : run.kind === "callgrind" || run.kind === "dhat" ? run.artifacts?.[run.kind] : undefined;
    if (!ref) continue;
    const bytes = await store.get(ref);
    const profile = await openProfile(bytes, { format: run.kind === "perf" ? "perf-script" : run.kind, source: store.path(ref) });
    const side = (run.kind === "perf" ? data.perf : run.kind === "dhat" ? data.dhat : data.callgrind) as Map<string, Profile[]>;
    side.set(run.variant, [...(side.get(run.variant) ?? []), profile]);
  }
  return new Experiment(record, data, { path, cached: opts.cached ?? false });
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
