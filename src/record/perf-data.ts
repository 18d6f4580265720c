// perf.data → Profile: `perf script` streamed into the perf-script importer, for perf.record's own
// recordings and for perf.data files from anywhere (`flamebook open|diff`, open(), openProfile
// with { readPerfData }). Only this layer may run perf; the samples layer gets the reader passed in.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecError, run } from "../exec/index.js";
import type { Profile } from "../model/profile.js";
import type { ImportOptions } from "../samples/importer.js";
import { perfScript } from "../samples/perf/perf-script.js";
import { lineFeeder } from "../samples/read-lines.js";
import { unnamedLeaves } from "./unnamed-leaves.js";
import { PERF_PACKAGE_HINT } from "./preflight.js";

/** The fields flamebook asks `perf script` for (`-F`): everything the perf-script importer reads. */
export const PERF_SCRIPT_FIELDS: readonly string[] = ["comm", "pid", "tid", "time", "period", "event", "ip", "sym", "symoff", "dso"];

/**
 * The fields for an off-CPU recording: {@link PERF_SCRIPT_FIELDS} plus `trace` (the
 * sched_switch `prev_state`). perf script then also runs with `--show-switch-events --ns`.
 */
export const OFF_CPU_SCRIPT_FIELDS: readonly string[] = ["comm", "pid", "tid", "time", "period", "event", "trace", "ip", "sym", "symoff", "dso"];

/** Options of {@link perfScriptProfile}. Every option documents its default. */
export interface PerfScriptOptions extends ImportOptions {
  /** Abort: kills perf script. Default: none. */
  signal?: AbortSignal;
  /** Gets every chunk of `perf script`'s output, e.g. to keep the text. Default: none. */
  onChunk?: (chunk: Buffer) => void;
  /**
   * Read an off-CPU recording (`perf.record(…, { offCpu: true })`): perf script runs with
   * `--show-switch-events --ns` and {@link OFF_CPU_SCRIPT_FIELDS}, and the profile has the events
   * cpu, offcpu, blocked, preempted and wall. Default: false.
   */
  offCpu?: boolean;
}

/**
 * Runs `perf script -i <perfData> -F <PERF_SCRIPT_FIELDS>` and streams its output into the
 * perf-script importer. A field the recording lacks (`time` after `--no-timestamp`, `period`…)
 * is left out and perf script runs again. perf missing names its Debian package; a file perf
 * cannot read (truncated, not perf.data) is an error naming it, with perf's own words.
 *
 * @example
 * const { profile, command } = await perfScriptProfile("run.perf.data", { cleanNames: true });
 * command.join(" "); // "perf script -i run.perf.data -F comm,pid,tid,time,period,event,ip,sym,symoff,dso"
 */
export async function perfScriptProfile(perfData: string, opts: PerfScriptOptions = {}): Promise<{ profile: Profile; command: string[] }> {
  let fields = [...(opts.offCpu ? OFF_CPU_SCRIPT_FIELDS : PERF_SCRIPT_FIELDS)];
  for (;;) {
    const args = ["script", "-i", perfData, "-F", fields.join(","), ...(opts.offCpu ? ["--show-switch-events", "--ns"] : [])];
    const feed = lineFeeder(perfScript.parser({ source: opts.source ?? perfData, cleanNames: opts.cleanNames, keepSamples: opts.keepSamples, offCpu: opts.offCpu }));
    let bytes = 0;
    const r = await run("perf", args, {
      signal: opts.signal,
      check: false,
      notFoundHint: PERF_PACKAGE_HINT,
      stderrTailLines: 20,
      onStdoutChunk: (chunk) => {
        bytes += chunk.length;
        feed.write(chunk);
        opts.onChunk?.(chunk);
      },
    });
    if (r.code === 0) return { profile: feed.end(), command: ["perf", ...args] };
    // "Samples for 'cpu-clock' event do not have TIME attribute set. Cannot print 'time' field."
    const missing = /Cannot print '(\w+)' field/.exec(r.stderrTail)?.[1];
    if (bytes === 0 && missing !== undefined && fields.includes(missing) && missing !== "ip") {
      fields = fields.filter((f) => f !== missing);
      continue;
    }
    const how = r.signal ? `was killed by ${r.signal}${r.signal === "SIGBUS" || r.signal === "SIGSEGV" ? " (the file is probably truncated: was perf record stopped before it finished?)" : ""}` : `failed (exit code ${r.code})`;
    throw new ExecError(r.signal ? "signal" : "exit", `flamebook: ${opts.source ?? perfData}: perf script ${how}: perf ${args.join(" ")}\n${r.stderrTail.trim()}`, r);
  }
}

/** Options of {@link readPerfData}. Every option documents its default. */
export interface ReadPerfDataOptions extends ImportOptions {
  /** Abort: kills perf script. Default: none. */
  signal?: AbortSignal;
  /**
   * Read it as an off-CPU recording (see {@link PerfScriptOptions.offCpu}). Default: when the
   * recording has the `sched:sched_switch` event (`perf evlist`), as `perf.record(…, { offCpu: true })`
   * and `perf record -e sched:sched_switch --switch-events` write it.
   */
  offCpu?: boolean;
}

/**
 * Whether a perf.data file was recorded for off-CPU time: its events (`perf evlist -i`) include
 * `sched:sched_switch`. False when perf cannot list them (perf script then says why).
 *
 * @example
 * await isOffCpuRecording(rec.perfData); // true after perf.record(exe, { offCpu: true })
 */
export async function isOffCpuRecording(perfData: string, signal?: AbortSignal): Promise<boolean> {
  const r = await run("perf", ["evlist", "-i", perfData], { signal, check: false, captureStdout: true, notFoundHint: PERF_PACKAGE_HINT, stderrTailLines: 5 });
  return r.code === 0 && /^sched:sched_switch\b/m.test(r.stdout);
}

/**
 * Reads a perf.data file (a path, or its bytes) from anywhere: `perf script` through
 * {@link perfScriptProfile}, Rust names cleaned unless `cleanNames: false`. When many samples end
 * in frames without a name because the binaries they ran are not on this machine (a perf.data
 * recorded elsewhere), the profile carries a warning that says how to bring them along
 * (`perf archive`). This is the `readPerfData` that `open()` and the CLI pass to openProfile.
 *
 * @example
 * const profile = await readPerfData("wordfreq.perf.data");
 * const same = await openProfile("wordfreq.perf.data", { readPerfData });
 */
export async function readPerfData(input: string | Uint8Array, opts: ReadPerfDataOptions = {}): Promise<Profile> {
  const source = opts.source ?? (typeof input === "string" ? input : undefined);
  const read = async (path: string) => {
    const offCpu = opts.offCpu ?? (await isOffCpuRecording(path, opts.signal));
    return withMissingBinaries((await perfScriptProfile(path, { ...opts, source, offCpu, cleanNames: opts.cleanNames ?? true })).profile, source);
  };
  if (typeof input === "string") return read(input);
  const dir = await mkdtemp(join(tmpdir(), "flamebook-perf-data-"));
  try {
    const path = join(dir, "perf.data");
    await writeFile(path, input, { mode: 0o600 });
    return await read(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The profile, with a warning when more than `maxShare` of its weight ends in frames without a
 * function name whose binaries are not on this machine.
 *
 * @example
 * missingBinariesWarning(profile, "elsewhere.perf.data");
 * // "flamebook: elsewhere.perf.data: 96% of the samples end in frames without a function name, and the binaries … are not on this machine (/build/app) …"
 */
export function missingBinariesWarning(profile: Profile, source: string | undefined, maxShare = 0.1): string | undefined {
  const { all, unnamed: unknown, byModule } = unnamedLeaves(profile);
  if (all <= 0 || unknown / all <= maxShare) return undefined;
  const modules = [...byModule.entries()].filter(([m]) => m.startsWith("/"));
  const missing = modules.filter(([m]) => !existsSync(m)).sort((a, b) => b[1] - a[1]).map(([m]) => m);
  if (missing.length === 0) return undefined;
  const file = source ?? "perf.data";
  const shown = missing.slice(0, 3).join(", ") + (missing.length > 3 ? `, and ${missing.length - 3} more` : "");
  return (
    `flamebook: ${file}: ${Math.round((unknown / all) * 100)}% of the samples end in frames without a function name, and the binaries they ran ` +
    `are not on this machine (${shown}): perf script names functions from those binaries (or from perf's build-id cache, ~/.debug). ` +
    `Open the file on the machine that recorded it, or bring the binaries along: run \`perf archive ${file}\` there and unpack the .tar.bz2 it writes into ~/.debug here.`
  );
}

function withMissingBinaries(profile: Profile, source: string | undefined): Profile {
  const w = missingBinariesWarning(profile, source);
  return w === undefined ? profile : { ...profile, warnings: [...profile.warnings, w] };
}
