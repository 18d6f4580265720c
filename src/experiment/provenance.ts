import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../exec/index.js";
import { gitState } from "../build/git.js";
import { judgeGovernors, PERF_PACKAGE_HINT, readGovernors } from "../record/preflight.js";
import type { Provenance } from "./record.js";

export type { Provenance };

/** How long a tool's version probe may take (rustup may be slow on its first call). */
const PROBE_TIMEOUT_MS = 10_000;

/** Options of {@link collectProvenance}. */
export interface ProvenanceOptions {
  /** Where to ask rustc and cargo (a rust-toolchain file there picks the toolchain). Default: the current directory. */
  cwd?: string;
  /** Aborting rejects (a missing tool never does). Default: none. */
  signal?: AbortSignal;
}

/**
 * Describes the machine and the tools an experiment runs on: date, kernel, CPU model, governors,
 * perf_event_paranoid, load, memory, and the versions of rustc (`rustc -vV`), cargo, perf and
 * valgrind. The version probes run concurrently with short timeouts; a tool that is missing or
 * fails gives null, never an error.
 *
 * @example
 * const p = await collectProvenance({ cwd: "notebooks/crates/clone-in-loop" });
 * // { kernel: "6.1.0-…", cpuModel: "AMD EPYC", nproc: 2, governors: [], rustc: "rustc 1.95.0 (…)\n…", perf: "perf version 6.1.187", … }
 * provenanceWarnings(p).forEach((w) => console.warn(w));
 */
export async function collectProvenance(opts: ProvenanceOptions = {}): Promise<Provenance> {
  const probe = (cmd: string, args: string[]) => toolVersion(cmd, args, opts);
  const rustc = process.env.RUSTC ?? "rustc";
  const [rustcV, cargoV, perfV, valgrindV, governors, paranoid, cpuModel, osName] = await Promise.all([
    probe(rustc, ["-vV"]),
    probe(process.env.CARGO ?? "cargo", ["-V"]),
    probe("perf", ["--version"]),
    probe("valgrind", ["--version"]),
    readGovernors(),
    readNumber("/proc/sys/kernel/perf_event_paranoid"),
    readCpuModel(),
    readOsName(),
  ]);
  const [l1, l5, l15] = os.loadavg();
  return {
    date: new Date().toISOString(),
    flamebookVersion: flamebookPackageVersion(),
    node: process.version,
    hostname: os.hostname(),
    kernel: os.release(),
    os: osName,
    cpuModel,
    nproc: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    governors,
    perfEventParanoid: paranoid,
    loadavg: [round2(l1), round2(l5), round2(l15)],
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    rustc: rustcV,
    cargo: cargoV,
    perf: perfV,
    valgrind: valgrindV,
  };
}

/**
 * The current 1, 5 and 15 minute load averages, rounded: for `loadEnd` when an experiment ends.
 *
 * @example
 * record.provenance.loadEnd = currentLoad(); // [1.92, 1.4, 0.88]
 */
export function currentLoad(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [round2(a), round2(b), round2(c)];
}

/**
 * What in a provenance makes timings less trustworthy: a CPU governor other than `performance`,
 * a busy machine (1-minute load above half the CPUs, at the start or at the end), a
 * perf_event_paranoid level that stops a non-root user from using perf, perf missing.
 *
 * @example
 * provenanceWarnings({ ...p, loadavg: [1.9, 1, 1], nproc: 2 });
 * // ["the machine was busy: load 1.9 on 2 CPUs; timings are noisier. …"]
 */
export function provenanceWarnings(p: Provenance, opts: { isRoot?: boolean } = {}): string[] {
  const isRoot = opts.isRoot ?? process.getuid?.() === 0;
  const out: string[] = [];
  const governor = judgeGovernors(p.governors);
  if (governor) out.push(governor);
  const busy = (load: number, when: string) =>
    `the machine was busy${when}: load ${load} on ${p.nproc} CPU${p.nproc === 1 ? "" : "s"}; timings are noisier. ` +
    "Stop other work (builds, browsers, indexers) and re-run, or raise `runs`.";
  if (p.loadavg[0] > 0.5 * p.nproc) out.push(busy(p.loadavg[0], ""));
  else if (p.loadEnd && p.loadEnd[0] > 0.5 * p.nproc) out.push(busy(p.loadEnd[0], " by the end of the experiment"));
  if (!isRoot && p.perfEventParanoid !== null && p.perfEventParanoid > 2) {
    out.push(
      `kernel.perf_event_paranoid is ${p.perfEventParanoid}: this user may not use perf. ` +
        "Allow it with `sudo sysctl -w kernel.perf_event_paranoid=1`.",
    );
  }
  if (p.perf === null) out.push(`perf is not installed (or does not run): no perf profiles. ${PERF_PACKAGE_HINT}`);
  return out;
}

/** The git state of a variant's source, as an experiment record keeps it. */
export interface GitProvenance {
  sha: string;
  dirty: boolean;
  /** The branch checked out (e.g. "main"); absent on a detached HEAD. */
  ref?: string;
}

/**
 * The commit, dirtiness and branch of the repository holding `dir`, or null outside a repository
 * (or without git). Reuses `gitState` of src/build and adds the branch name.
 *
 * @example
 * await gitProvenance("notebooks/crates/clone-in-loop"); // { sha: "1cc3e03…", dirty: true, ref: "main" }
 */
export async function gitProvenance(dir: string, opts: { signal?: AbortSignal } = {}): Promise<GitProvenance | null> {
  const [state, branch] = await Promise.all([
    gitState(dir, opts),
    run("git", ["symbolic-ref", "--short", "-q", "HEAD"], { cwd: dir, signal: opts.signal, captureStdout: true, timeoutMs: 30_000, check: false }).catch(
      (e: unknown) => {
        if (opts.signal?.aborted) throw e;
        return null;
      },
    ),
  ]);
  if (state.sha === null || state.dirty === null) return null;
  const ref = branch?.code === 0 ? branch.stdout.trim() : "";
  return { sha: state.sha, dirty: state.dirty, ...(ref ? { ref } : {}) };
}

/**
 * flamebook's version, from the package.json named "flamebook" above this file (src/experiment
 * or dist/esm/experiment); "unknown" if none is found.
 *
 * @example
 * flamebookPackageVersion(); // "0.1.0"
 */
export function flamebookPackageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown; version?: unknown };
        if (json.name === "flamebook" && typeof json.version === "string") return (cachedVersion = json.version);
      } catch {
        // not ours or unreadable: keep looking
      }
    }
    dir = dirname(dir);
  }
  return (cachedVersion = "unknown");
}
let cachedVersion: string | undefined;

async function toolVersion(cmd: string, args: string[], opts: ProvenanceOptions): Promise<string | null> {
  try {
    const r = await run(cmd, args, { cwd: opts.cwd, signal: opts.signal, captureStdout: true, timeoutMs: PROBE_TIMEOUT_MS, killGraceMs: 500 });
    const out = r.stdout.trim();
    return out === "" ? null : out;
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return null;
  }
}

async function readNumber(path: string): Promise<number | null> {
  try {
    const n = Number((await readFile(path, "utf8")).trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

async function readCpuModel(): Promise<string> {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(await readFile("/proc/cpuinfo", "utf8"));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model?.trim() || "unknown";
}

async function readOsName(): Promise<string> {
  const base = `${os.type()} ${os.arch()}`;
  try {
    const m = /^PRETTY_NAME=(.*)$/m.exec(await readFile("/etc/os-release", "utf8"));
    const pretty = m?.[1].trim().replace(/^"(.*)"$/, "$1");
    return pretty ? `${base}, ${pretty}` : base;
  } catch {
    return base;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
