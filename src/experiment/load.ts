// Replaying a stored experiment: its record and its artifacts, without perf, cargo or valgrind.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { openProfile } from "../samples/registry.js";
import { addProfile, experimentProfiles } from "./experiment-data.js";
import { readRecord, recordPath, type ExperimentRecord } from "./record.js";
import { Experiment } from "./result.js";
import { ArtifactStore, defaultStoreRoot } from "./store.js";

/** Options of {@link loadExperiment}. Every option documents its default. */
export interface LoadExperimentOptions {
  /** The store the record and its artifacts are in. Default: the store a record path lies in, else `.flamebook` in the current directory. */
  store?: string;
  /** Load a record whose experiment never finished ("running"). Default: false. */
  allowIncomplete?: boolean;
  /** Mark the result as reused from the store (see `Experiment.cached`). Default: false. */
  cached?: boolean;
}

/**
 * Loads a stored experiment (a record path, an id in the store, or a record object) and rebuilds
 * every result from its artifacts — no perf, cargo or valgrind needed. Artifacts are verified by
 * hash; a missing or corrupt one is an error naming the file.
 *
 * @example
 * const exp = await loadExperiment("3f2a9c0e1b7d4a55");      // from .flamebook/experiments/
 * const same = await loadExperiment("shared/exp.json", { store: "shared/.flamebook" });
 */
export async function loadExperiment(recordOrId: string | ExperimentRecord, opts: LoadExperimentOptions = {}): Promise<Experiment> {
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
  const data = experimentProfiles();
  for (const run of record.runs) {
    if (run.phase !== "measured" || run.kind === "timed") continue;
    const ref = run.artifacts?.[run.kind === "perf" ? "perf-script" : run.kind];
    if (!ref) continue;
    const profile = await openProfile(await store.get(ref), { format: run.kind === "perf" ? "perf-script" : run.kind, source: store.path(ref) });
    addProfile(data, run.kind, run.variant, profile);
  }
  return new Experiment(record, data, { path, cached: opts.cached ?? false });
}
