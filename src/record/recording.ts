import type { SchedStats } from "../exec/sched-stats.js";
import { totalWeight } from "../fold/function-totals.js";
import type { Profile } from "../model/profile.js";
import { unnamedLeaves } from "./unnamed-leaves.js";
import { offCpuSummary, offCpuWarnings, type OffCpuSummary } from "./off-cpu-summary.js";
import { ProfileData } from "../table/profile-data.js";

/** The facts about a recording, as numbers a notebook or CLI can print. */
export interface RecordingSummary {
  samples: number;
  /** Time between the first and the last sample, in seconds, to 3 significant digits (NaN without timestamps). */
  durationS: number;
  /** Wall time of the whole `perf record` run, in seconds, to 3 significant digits. */
  wallS: number;
  threads: number;
  /** The summed sample weight, in `unit` (perf periods: CPU nanoseconds for cpu-clock). */
  weight: number;
  unit: string;
  lost: number;
  warnings: string[];
  /**
   * Off-CPU recordings only (`offCpu: true`): on- and off-CPU time, blocked and preempted, the
   * share of wall time off the CPU, where, and the switch rate. `samples` and `weight` then count
   * the `cpu` event alone.
   */
  offCpu?: OffCpuSummary;
}

/** Everything about one `perf record` run: the parsed profile and how it was made. */
export interface RecordingInit {
  profile: Profile;
  /** Path of the kept perf.data file. */
  perfData: string;
  /** The exact `perf record` command line. */
  command: string[];
  /** The exact `perf script` command line. */
  scriptCommand: string[];
  /** Wall time of the whole `perf record` run, in seconds. */
  wallS: number;
  /** The profiled program's exit code (perf record passes it on). */
  exitCode: number | null;
  lost: number;
  warnings: string[];
  /** The last lines the program printed on stdout. */
  programOutput: string;
  /** How the program was scheduled while it was recorded (from /proc), when known. */
  sched?: SchedStats;
}

/**
 * A recorded profile with its provenance: a {@link ProfileData} (tables, transforms) plus how
 * it was made. `summary()` gives the numbers.
 *
 * @example
 * const rec = await perf.record(bin, { args: ["200000"] });
 * rec.summary().samples;                                    // 2558
 * rec.share(/to_string/);                                   // 0.42
 * rec.functions().orderby(aq.desc("self")).objects({ limit: 10 });
 */
export class Recording extends ProfileData implements RecordingInit {
  readonly perfData: string;
  readonly command: string[];
  readonly scriptCommand: string[];
  readonly wallS: number;
  readonly exitCode: number | null;
  readonly lost: number;
  private readonly recordWarnings: string[];
  readonly programOutput: string;
  readonly sched: SchedStats | undefined;

  constructor(init: RecordingInit) {
    super(init.profile);
    const off = offCpuSummary(init.profile);
    const extra = [unresolvedWarning(init.profile), offCpuWarning(init.profile, { sched: init.sched }), ...(off ? offCpuWarnings(off, { sched: init.sched }) : [])].filter(
      (w): w is string => w !== undefined,
    );
    this.sched = init.sched;
    this.perfData = init.perfData;
    this.command = init.command;
    this.scriptCommand = init.scriptCommand;
    this.wallS = init.wallS;
    this.exitCode = init.exitCode;
    this.lost = init.lost;
    this.recordWarnings = [...init.warnings, ...extra.filter((w) => !init.warnings.includes(w))];
    this.programOutput = init.programOutput;
  }

  /**
   * Everything to tell the user: preflight, build, importer and sample-count warnings, plus what
   * the samples themselves show ({@link unresolvedWarning}, {@link offCpuWarning}).
   */
  override get warnings(): string[] {
    return this.recordWarnings;
  }

  /**
   * Sample count, duration, threads, lost samples and warnings; durations rounded for reading
   * (3 significant digits: 1.09 s, 0.448 s), the exact times stay in `profile.samples.time`.
   * @example rec.summary().durationS // 2.55
   */
  summary(): RecordingSummary {
    const t = this.profile.samples.time;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < t.length; i++) {
      if (t[i]! < lo) lo = t[i]!;
      if (t[i]! > hi) hi = t[i]!;
    }
    const off = offCpuSummary(this.profile);
    const cpu = off ? this.profile.events.indexOf("cpu") : -1;
    return {
      samples: cpu < 0 ? this.profile.samples.stack.length : this.profile.samples.event.filter((e) => e === cpu).length,
      durationS: hi >= lo ? round3(hi - lo) : NaN,
      wallS: round3(this.wallS),
      threads: this.profile.threads.length,
      weight: cpu < 0 ? totalWeight(this.profile) : totalWeight(this.profile, cpu),
      unit: this.profile.unit,
      lost: this.lost,
      warnings: [...this.warnings],
      ...(off ? { offCpu: off } : {}),
    };
  }
}

/** A duration to 3 significant digits, as a number (0.44840599999952246 → 0.448). */
function round3(s: number): number {
  return s === 0 || !Number.isFinite(s) ? s : Number(s.toPrecision(3));
}

/** Options of {@link offCpuWarning}. Every option documents its default. */
export interface OffCpuWarningOptions {
  /** Samples spanning less than this many seconds get no warning (too short to tell). Default: 0.2. */
  minSpanS?: number;
  /** Warn when CPU time is below this share of the span. Default: 0.25. */
  maxShare?: number;
  /**
   * How the program was scheduled (see `watchSchedStats`): tells waiting for a CPU on a busy
   * machine (run-queue delay, preemption) apart from blocking (IO, sleep, locks). Default: none
   * (the warning then names both).
   */
  sched?: SchedStats;
}

/**
 * A warning when a CPU-time profile (perf cpu-clock/task-clock, weights in ns) accounts for much
 * less time than elapsed between its first and last sample: the program mostly waited (blocking
 * IO, sleep, locks), which a CPU profile cannot show. Undefined otherwise, and for other events
 * and units. The span starts one sampling period before the first sample. A program that only
 * waits before its first or after its last CPU burst is not caught: time it with `runTimed`.
 *
 * @example
 * offCpuWarning(rec.profile);
 * // "flamebook: the samples account for 0.03 s of CPU time in the 1.04 s from the first to the last sample (3%): …"
 */
export function offCpuWarning(profile: Profile, opts: OffCpuWarningOptions = {}): string | undefined {
  if (profile.unit !== "nanoseconds" || !profile.events.some((e) => /^(cpu-clock|task-clock)(:\w+)?$/.test(e))) return undefined;
  const { time, weight } = profile.samples;
  const n = time.length;
  if (n < 2) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  let ns = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    ns += weight[i]!;
  }
  if (!(hi > lo)) return undefined;
  const cpuS = ns / 1e9;
  const spanS = hi - lo + ns / n / 1e9; // the first sample's period started before it
  if (spanS < (opts.minSpanS ?? 0.2)) return undefined;
  const share = cpuS / spanS;
  if (share >= (opts.maxShare ?? 0.25)) return undefined;
  const s = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const head = `flamebook: the samples account for ${s(cpuS)} s of CPU time in the ${s(spanS)} s from the first to the last sample (${Math.round(share * 100)}%)`;
  const sched = opts.sched !== undefined && opts.sched.threads > 0 ? opts.sched : undefined;
  const offS = spanS - cpuS;
  if (sched && sched.runDelayNs / 1e9 >= 0.5 * offS) {
    return (
      `${head}: the machine was busy. The program was ready to run but waited ${s(sched.runDelayNs / 1e9)} s for a CPU ` +
      `(preempted ${sched.involuntary} times; run-queue delay from /proc/<pid>/schedstat); it did not block. ` +
      "The profile still shows where its CPU time went, but its wall time now is not its speed: measure on a quiet machine, or compare CPU time."
    );
  }
  if (sched) {
    return (
      `${head}: the program spent most of its time off the CPU, blocked ${sched.voluntary} times (blocking IO, sleep, locks; ` +
      `it waited only ${s(sched.runDelayNs / 1e9)} s for a CPU), and a CPU profile shows none of that waiting. Compare wall and CPU time (runTimed) and find what it waits for ` +
      "(off-CPU tools: `perf trace -s`, `perf sched`, tracing spans)."
    );
  }
  return (
    `${head}: the program spent most of its time off the CPU, blocked (IO, sleep, locks) or waiting for a CPU on a busy machine, ` +
    "and a CPU profile shows none of that waiting. Compare wall and CPU time (runTimed) and find what it waits for " +
    "(off-CPU tools: `perf trace -s`, `perf sched`, tracing spans)."
  );
}

/** Options of {@link unresolvedWarning}. Every option documents its default. */
export interface UnresolvedWarningOptions {
  /** Warn when more than this share of the weight ends in a frame without a name. Default: 0.1. */
  maxShare?: number;
}

/**
 * A warning when many samples end in a frame without a function name (`[unknown]`, `[binary]`,
 * a hex address): the program was stripped or built without symbols, so the hot code cannot be
 * named. Undefined when (almost) every leaf has a name.
 *
 * @example
 * unresolvedWarning(rec.profile);
 * // "flamebook: 97% of the samples end in frames without a function name ([pitfalls]): …"
 */
export function unresolvedWarning(profile: Profile, opts: UnresolvedWarningOptions = {}): string | undefined {
  const { all, unnamed: unknown, byName } = unnamedLeaves(profile);
  if (all <= 0 || unknown / all <= (opts.maxShare ?? 0.1)) return undefined;
  const names = [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name]) => name);
  return (
    `flamebook: ${Math.round((unknown / all) * 100)}% of the samples end in frames without a function name (${names.join(", ")}): ` +
    "the binary is stripped or has no symbols, so the hot code cannot be named. " +
    "Build with `debug = true` and `strip = false` (the default `profiling` profile) and record again."
  );
}
