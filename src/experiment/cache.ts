// An experiment's identity: its spec and its inputs, hashed. An identical experiment with
// identical inputs finds the stored record instead of running again.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { run } from "../exec/index.js";
import { readRecord, type ExperimentRecord, type ExperimentSpec } from "./record.js";
import { sourceHash } from "./source-hash.js";
import { fileSha256 } from "./variants.js";

/**
 * The experiment's id: a hash of its spec and its inputs (the crate's sources, the toolchain, the
 * executables of prebuilt variants), so an identical experiment finds its stored record.
 *
 * @example
 * await cacheKey(spec); // "3f2a9c0e1b7d4a55"
 */
export async function cacheKey(spec: ExperimentSpec): Promise<string> {
  const h = createHash("sha256").update("flamebook-experiment-v1\n").update(JSON.stringify(spec));
  if (spec.crate) h.update(`\nsource ${await sourceHash(spec.crate)}`);
  const exes = [spec.exe, ...Object.values(spec.variants).map((v) => v.exe)].filter((x): x is string => x !== undefined);
  for (const exe of exes) if (existsSync(exe)) h.update(`\nexe ${exe} ${await fileSha256(exe)}`);
  const rustc = await run(process.env.RUSTC ?? "rustc", ["-vV"], { captureStdout: true, timeoutMs: 30_000, check: false }).catch(() => undefined);
  h.update(`\nrustc ${rustc?.stdout ?? "none"}`);
  return h.digest("hex").slice(0, 16);
}

/**
 * The stored record at `path` when it is complete (an experiment that was interrupted, failed or
 * is unreadable runs again); undefined otherwise.
 *
 * @example
 * const old = await completedRecord(recordPath(store, id));
 */
export async function completedRecord(path: string): Promise<ExperimentRecord | undefined> {
  if (!existsSync(path)) return undefined;
  const old = await readRecord(path, { allowIncomplete: true }).catch(() => undefined);
  return old?.status === "complete" ? old : undefined;
}
