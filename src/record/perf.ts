import { basename, join, resolve } from "node:path";
import { run, watchSchedStats, type SchedWatch } from "../exec/index.js";
import type { Seconds } from "../model/units.js";
import type { Profile } from "../model/profile.js";
import { parsePerfRecordStderr } from "./perf-output.js";
import { PERF_SCRIPT_FIELDS, perfScriptProfile } from "./perf-data.js";
import { PERF_PACKAGE_HINT, offCpuAccess, perfPreflight, type PerfPreflight } from "./preflight.js";
import { offCpuEventArgs } from "./off-cpu-args.js";
import { Recording } from "./recording.js";
import { atomicFile, openAtomic } from "../fs/atomic.js";
import { mkdirStore } from "../fs/self-ignored.js";
import { DEFAULT_FREQUENCY_HZ } from "./frequency.js";

/** What to record: a build result (`{ exe }`), an executable path, or a command. */
export type RecordTarget = string | { exe: string; warnings?: readonly string[] } | { command: string; args?: readonly string[] };

/** Options of {@link perf.record}. Every option documents its default. */
export interface PerfRecordOptions {
  /** Arguments for the program. Default: none. */
  args?: readonly string[];
  /** Samples per second (perf -F). Default: {@link DEFAULT_FREQUENCY_HZ}, 997 (prime, so it does not beat with periodic work). */
  frequency?: number;
  /** How perf walks stacks: "dwarf" (works without frame pointers), "fp", "lbr" or "none". Default: "dwarf". */
  callGraph?: "dwarf" | "fp" | "lbr" | "none";
  /** The event to sample. Default: "cpu-clock" (a software event: works in VMs without a PMU). */
  event?: string;
  /** Attach to this running process instead of starting one (`durationS` then says how long). */
  pid?: number;
  /** Record for this many seconds: with `pid`, the attach time (default 10 s); with a program, stop it like Ctrl-C after this. Default: until the program exits. */
  durationS?: Seconds;
  /** Where perf.data files are kept. Default: `.flamebook/recordings` under the current directory. */
  outDir?: string;
  /** Working directory of the program. Default: the current one. */
  cwd?: string;
  /** Extra environment for the program. Default: none. */
  env?: Record<string, string>;
  /** Abort: kills perf and the program (their whole process group). Default: none. */
  signal?: AbortSignal;
  /** Kill everything after this long. Default: none. */
  timeoutMs?: number;
  /** Strip Rust `::h<hash>` suffixes from names. Default: true. */
  cleanNames?: boolean;
  /** Fewer samples than this gives a warning. Default: 1000. */
  minSamples?: number;
  /** Also write the `perf script` text to this file (temporary name, renamed when complete), e.g. to keep it as an artifact that replays without perf. Default: none. */
  scriptOut?: string;
  /** Progress lines ("recording…", "reading samples…"). Default: none. */
  onProgress?: (message: string) => void;
  /**
   * Called with each line of output as it arrives: the program's stdout as "stdout"; the
   * program's stderr, mixed with perf record's own messages, as "stderr". Default: none (the
   * last 20 stdout lines are kept in `programOutput` either way).
   */
  onOutputLine?: (line: string, stream: "stdout" | "stderr") => void;
  /**
   * Also record where the program waits off the CPU: every switch-out (`sched:sched_switch`, with
   * its stack and state) and switch-in (`--switch-events`) of its threads, next to the CPU
   * samples. The profile then has the events `cpu` (sampled on-CPU time), `offcpu` (from each
   * switch-out to that thread's next switch-in, under the stack at the switch-out), `blocked`
   * and `preempted` (offcpu split by the state at the switch-out: S/D, or R = waiting for a CPU)
   * and `wall` (cpu + offcpu), all in ns; `summary().offCpu` says what share of the wall time was
   * off the CPU and where. Needs root, or kernel.perf_event_paranoid ≤ -1 and a readable tracefs
   * (refused with a message that says so). `event` must be a clock event. Default: false.
   */
  offCpu?: boolean;
}

let preflightOnce: Promise<PerfPreflight> | undefined;

/**
 * Records a program (or attaches to a process) with `perf record`, then streams `perf script`
 * into the perf-script importer. The perf.data file is kept (written under a temporary name and
 * renamed when perf has finished), and the recording carries every warning a user needs: too
 * few samples, lost samples, governor, paranoid level, debug builds.
 *
 * @example
 * const bin = await cargo.build("notebooks/crates/clone-in-loop", { bin: "wordfreq" });
 * const rec = await perf.record(bin, { args: ["200000"], frequency: 997 });
 * console.log(rec.summary());
 */
async function record(target: RecordTarget, opts: PerfRecordOptions = {}): Promise<Recording> {
  preflightOnce ??= perfPreflight();
  const pre = await preflightOnce.catch((e: unknown) => {
    preflightOnce = undefined; // try again next time (e.g. after installing perf)
    throw e;
  });
  const warnings = [...pre.warnings];
  const denied = opts.offCpu ? offCpuAccess(pre) : undefined;
  if (denied) throw new Error(denied);
  const { command, args, label } = resolveTarget(target, opts);
  if (typeof target === "object" && "exe" in target && target.warnings) warnings.push(...target.warnings);

  const outDir = resolve(opts.outDir ?? ".flamebook/recordings");
  mkdirStore(outDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const final = join(outDir, `${label}-${stamp}-${process.pid}.perf.data`);
  const data = await atomicFile(final, { mkdir: false });
  const partial = data.temp;

  const event = pre.userOnly && !opts.event?.includes(":") ? `${opts.event ?? "cpu-clock"}:u` : (opts.event ?? "cpu-clock");
  const hz = opts.frequency ?? DEFAULT_FREQUENCY_HZ;
  const recordArgs = ["record", ...(opts.offCpu ? offCpuEventArgs(event, hz) : ["-e", event, "-F", String(hz)]), "-o", partial];
  const cg = opts.callGraph ?? "dwarf";
  if (cg !== "none") recordArgs.push("--call-graph", cg);
  if (opts.pid !== undefined) recordArgs.push("-p", String(opts.pid), "--", "sleep", String(opts.durationS ?? 10));
  else recordArgs.push("--", command, ...args);

  const programLines: string[] = [];
  opts.onProgress?.(`perf ${recordArgs.join(" ")}`);
  // how the program was scheduled: tells a busy machine (waiting for a CPU) from blocking
  let schedWatch: SchedWatch | undefined;
  try {
    const rec = await run("perf", recordArgs, {
      onSpawn: (pgid) => {
        if (opts.pid === undefined) schedWatch = watchSchedStats(pgid, { exclude: pgid });
      },
      cwd: opts.cwd,
      env: opts.env,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      interruptAfterMs: opts.pid === undefined && opts.durationS !== undefined ? opts.durationS * 1000 : undefined,
      check: false,
      notFoundHint: PERF_PACKAGE_HINT,
      stderrTailLines: 200,
      onStdoutLine: (line) => {
        programLines.push(line);
        if (programLines.length > 20) programLines.shift();
        opts.onOutputLine?.(line, "stdout");
      },
      ...(opts.onOutputLine ? { onStderrLine: (line: string) => opts.onOutputLine!(line, "stderr") } : {}),
    });
    const sched = schedWatch?.stop();
    schedWatch = undefined;
    const report = parsePerfRecordStderr(rec.stderrTail);
    if (report.samples === null) {
      throw new Error(
        `flamebook: perf record ${rec.signal ? `was killed by ${rec.signal} before it finished; no recording was kept` : `failed (exit code ${rec.code})`}: perf ${recordArgs.join(" ")}\n${rec.stderrTail.trim()}`,
      );
    }
    if (rec.code !== 0 && opts.durationS === undefined) {
      warnings.push(`the profiled program exited with code ${rec.code}: check that it did the work you meant to measure.`);
    }
    await data.commit();

    opts.onProgress?.(`perf script -i ${final} -F ${PERF_SCRIPT_FIELDS.join(",")}`);
    const text = opts.scriptOut ? await openAtomic(opts.scriptOut, { mkdir: false }) : undefined;
    let script: { profile: Profile; command: string[] };
    try {
      // a failed write fails text.commit() below
      script = await perfScriptProfile(final, { cleanNames: opts.cleanNames ?? true, signal: opts.signal, offCpu: opts.offCpu, onChunk: (chunk) => void text?.write(chunk) });
      await text?.commit();
    } finally {
      await text?.abort();
    }
    const profile = script.profile;

    // off-CPU: the CPU samples are the `cpu` rows (each is also a `wall` row)
    const cpuEvent = opts.offCpu ? profile.events.indexOf("cpu") : -1;
    const n = cpuEvent < 0 ? profile.samples.stack.length : profile.samples.event.filter((e) => e === cpuEvent).length;
    if (n === 0) {
      // perf worked and the program ran; it just ended before the first sample
      warnings.push(
        `0 samples: the program ran for less than one sampling period (${(1000 / hz).toPrecision(2)} ms of CPU time at ${hz} Hz), so perf never sampled it. ` +
          "Run it longer, with a bigger input or more rounds: sampling needs thousands of samples (a few seconds of CPU time) for a stable picture.",
      );
    }
    if (n > 0 || opts.offCpu) warnings.push(...profile.warnings);
    const min = opts.minSamples ?? 1000;
    if (n > 0 && n < min && opts.offCpu) {
      warnings.push(
        `only ${n} CPU samples: the \`cpu\` event is a rough picture (run longer for a stable one: thousands of samples, a few seconds of CPU time at ${hz} Hz); ` +
          "the off-CPU time is not sampled but measured at every switch.",
      );
    } else if (n > 0 && n < min) {
      warnings.push(
        `only ${n} samples: run longer, sampling needs thousands of samples for a stable picture ` +
          `(at ${hz} Hz that is a few seconds of CPU time: a larger input or more rounds).`,
      );
    }
    if (report.lost > 0) warnings.push(`perf lost ${report.lost} chunks/samples: the machine was overloaded or the buffer too small (try a lower -F, or perf record -m).`);
    return new Recording({
      profile,
      perfData: final,
      command: ["perf", ...recordArgs.map((a) => (a === partial ? final : a))],
      scriptCommand: script.command,
      wallS: rec.durationMs / 1000,
      exitCode: rec.code,
      lost: report.lost,
      warnings,
      programOutput: programLines.join("\n"),
      ...(sched && sched.threads > 0 ? { sched } : {}),
    });
  } finally {
    schedWatch?.stop();
    await data.abort();
  }
}

function resolveTarget(target: RecordTarget, opts: PerfRecordOptions): { command: string; args: string[]; label: string } {
  if (opts.pid !== undefined) return { command: "", args: [], label: `pid${opts.pid}` };
  if (typeof target === "string") return { command: target, args: [...(opts.args ?? [])], label: basename(target) };
  if ("exe" in target) return { command: target.exe, args: [...(opts.args ?? [])], label: basename(target.exe) };
  return { command: target.command, args: [...(target.args ?? []), ...(opts.args ?? [])], label: basename(target.command) };
}

/** Sampling with Linux perf. @example const rec = await perf.record("./target/profiling/app", { args: ["--n", "1000"] }); */
export const perf = { record, preflight: perfPreflight };
