// What an off-CPU recording says, as numbers and one sentence: how much of the threads' wall time
// was off the CPU, why (blocked or waiting for a CPU), where (the program's own function that
// waited, and the call it waited in), and what recording it cost (switches per second).
import type { SchedStats } from "../exec/sched-stats.js";
import type { Profile } from "../model/profile.js";

/** The off-CPU facts of a recording made with `perf.record(…, { offCpu: true })`; times are summed over threads. */
export interface OffCpuSummary {
  /** On-CPU time, sampled (the `cpu` event), in s. */
  cpuS: number;
  /** Off-CPU time (the `offcpu` event: from each switch-out to the thread's next switch-in), in s. */
  offCpuS: number;
  /** The part of offCpuS that began blocked (S, D: IO, sleep, locks), in s. */
  blockedS: number;
  /** The part of offCpuS that began preempted (R: ready to run, waiting for a CPU), in s. */
  preemptedS: number;
  /** cpuS + offCpuS: the threads' wall time, in s. */
  wallS: number;
  /** offCpuS / wallS (0–1). */
  offShare: number;
  /** Threads with on- or off-CPU time. */
  threads: number;
  /** Switch-outs that were measured (off-CPU intervals). */
  switches: number;
  /** Switches per second of recording (first to last event): the recording's overhead. */
  switchesPerS: number;
  /** Where the off-CPU time went, heaviest first (at most 3): the program's own function that waited, and the call it mostly waited in. */
  where: { function: string; via: string; seconds: number; share: number }[];
  /** One sentence for a summary: share off the CPU, why, where, and the switch rate. */
  text: string;
}

// std, core and alloc, also as `<std::…>::f`, `<&mut core::…>`, and methods of primitive types (`<u64>::wrapping_add`, `<[T]>::iter`)
const STD = /^<?(?:&|&mut |\*const |\*mut )?(?:std|core|alloc)::|^<(?:[ui](?:8|16|32|64|128|size)|f32|f64|bool|char|str|\[)/;

/**
 * The off-CPU summary of a profile with the events `cpu`, `offcpu`, `blocked`, `preempted`
 * (perf.record with `offCpu: true`, or perf script text read with `{ offCpu: true }`); undefined
 * for any other profile. "Where" groups the off-CPU time by the innermost frame of the program's
 * own code (a Rust frame outside std/core/alloc; else the innermost user-space frame), "via" is the
 * innermost user-space frame (the library call that blocked).
 *
 * @example
 * offCpuSummary(rec.profile)?.text;
 * // "off the CPU: 88% of the wall time (0.72 s of 0.81 s, 2 threads): blocked 0.70 s (S/D: IO, sleep, locks), waiting for a CPU 0.02 s (preempted); where: offcpu::writer 56% (in __GI___clock_nanosleep), …; 67 switches, 165/s."
 */
export function offCpuSummary(profile: Profile): OffCpuSummary | undefined {
  const ev = (name: string) => profile.events.indexOf(name);
  const [cpu, off, blocked, preempted] = [ev("cpu"), ev("offcpu"), ev("blocked"), ev("preempted")];
  if (cpu < 0 || off < 0 || blocked < 0 || preempted < 0 || profile.unit !== "nanoseconds") return undefined;
  const { stack, event, weight, time } = profile.samples;
  const ns = [0, 0, 0, 0];
  let switches = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const bySite = new Map<string, { ns: number; via: Map<string, number> }>();
  const siteOf = new Map<number, { function: string; via: string }>();
  const threads = new Set<number>();
  for (let i = 0; i < stack.length; i++) {
    const e = event[i]!;
    const w = weight[i]!;
    if (e === cpu) ns[0]! += w;
    else if (e === blocked) ns[2]! += w;
    else if (e === preempted) ns[3]! += w;
    else if (e !== off) continue;
    threads.add(profile.threads[profile.samples.thread[i]!]!.tid); // a thread that exec'd (taskset → app) is one thread
    const t = time[i]!;
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t + (e === cpu ? 0 : w / 1e9) > hi) hi = t + (e === cpu ? 0 : w / 1e9);
    }
    if (e !== off) continue;
    ns[1]! += w;
    switches++;
    const s = stack[i]!;
    let site = siteOf.get(s);
    if (site === undefined) {
      site = callSite(profile, s);
      siteOf.set(s, site);
    }
    let acc = bySite.get(site.function);
    if (acc === undefined) bySite.set(site.function, (acc = { ns: 0, via: new Map() }));
    acc.ns += w;
    acc.via.set(site.via, (acc.via.get(site.via) ?? 0) + w);
  }
  const [cpuNs, offNs, blockedNs, preemptedNs] = ns as [number, number, number, number];
  const wallNs = cpuNs + offNs;
  const spanS = hi > lo ? hi - lo : 0;
  const where = [...bySite.entries()]
    .sort((a, b) => b[1].ns - a[1].ns)
    .slice(0, 3)
    .map(([fn, w]) => ({ function: fn, via: [...w.via.entries()].sort((a, b) => b[1] - a[1])[0]![0], seconds: w.ns / 1e9, share: offNs > 0 ? w.ns / offNs : 0 }));
  const sum: Omit<OffCpuSummary, "text"> = {
    cpuS: cpuNs / 1e9,
    offCpuS: offNs / 1e9,
    blockedS: blockedNs / 1e9,
    preemptedS: preemptedNs / 1e9,
    wallS: wallNs / 1e9,
    offShare: wallNs > 0 ? offNs / wallNs : 0,
    threads: threads.size,
    switches,
    switchesPerS: spanS > 0 ? switches / spanS : 0,
    where,
  };
  return { ...sum, text: summaryText(sum) };
}

function summaryText(s: Omit<OffCpuSummary, "text">): string {
  const sec = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const where = s.where.map((w) => `${w.function} ${pct(w.share)}${w.via && w.via !== w.function ? ` (in ${w.via})` : ""}`).join(", ");
  return (
    `off the CPU: ${pct(s.offShare)} of the wall time (${sec(s.offCpuS)} of ${sec(s.wallS)}${s.threads > 1 ? `, ${s.threads} threads` : ""}): blocked ${sec(s.blockedS)} (S/D: IO, sleep, locks), ` +
    `waiting for a CPU ${sec(s.preemptedS)} (preempted)` +
    (where ? `; where: ${where}` : "") +
    `; ${s.switches} switches, ${Math.round(s.switchesPerS)}/s.`
  );
}

/** The program's own innermost frame on stack `s`, and the innermost user-space frame (the call that waited). */
function callSite(profile: Profile, s: number): { function: string; via: string } {
  const { stacks, frames } = profile;
  let own = "";
  let anyRust = "";
  let via = "";
  for (let k = s; k >= 0; k = stacks.parent[k]!) {
    const f = stacks.frame[k]!;
    const kind = frames.kind[f]!;
    if (kind === "kernel") continue;
    const name = frames.name[f]!;
    if (via === "" && kind !== "unknown") via = name;
    if (kind === "rust") {
      if (anyRust === "") anyRust = name;
      if (!STD.test(name)) {
        own = name;
        break;
      }
    }
  }
  if (s < 0) return { function: "[no stack]", via: "" };
  return { function: own || anyRust || via || "[kernel only]", via };
}

/** Options of {@link offCpuWarnings}. Every option documents its default. */
export interface OffCpuWarningsOptions {
  /** Warn about the recording's overhead above this many switches per second. Default: 5000. */
  maxSwitchesPerS?: number;
  /** Say the machine was busy when preempted time is at least this share of the off-CPU time (and the off-CPU share is at least `minOffShare`). Default: 0.5. */
  busyShare?: number;
  /** Off-CPU shares below this say nothing about a busy machine. Default: 0.25. */
  minOffShare?: number;
  /** The /proc scheduling counters of the same run (`rec.sched`), quoted next to the switch data. Default: none. */
  sched?: SchedStats;
}

/**
 * What an off-CPU recording must warn about: a busy machine (the same rule as
 * {@link offCpuWarning}'s, on the measured switches instead of /proc's run-queue delay: most
 * off-CPU time began with a preemption), and the recording's overhead when the program switches
 * very often (each switch-out writes a sample with its stack: about 8 KB of perf.data with
 * `--call-graph dwarf`, and a few µs of the program's time).
 *
 * @example
 * offCpuWarnings(offCpuSummary(rec.profile)!);
 * // ["flamebook: 61% of the wall time was off the CPU, and 0.41 s of it began with a preemption: the machine was busy. …"]
 */
export function offCpuWarnings(s: OffCpuSummary, opts: OffCpuWarningsOptions = {}): string[] {
  const out: string[] = [];
  const sec = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (s.offShare >= (opts.minOffShare ?? 0.25) && s.offCpuS > 0 && s.preemptedS >= (opts.busyShare ?? 0.5) * s.offCpuS) {
    const sched = opts.sched && opts.sched.threads > 0 ? ` (/proc/<pid>/schedstat: run-queue delay ${sec(opts.sched.runDelayNs / 1e9)}, preempted ${opts.sched.involuntary} times)` : "";
    out.push(
      `flamebook: ${pct(s.offShare)} of the wall time was off the CPU, and ${sec(s.preemptedS)} of it began with a preemption: the machine was busy. ` +
        `The program was ready to run but waited for a CPU${sched}; it blocked only ${sec(s.blockedS)}. ` +
        "The `preempted` event shows where it was interrupted; its wall time now is not its speed: measure on a quiet machine, or compare CPU time.",
    );
  }
  const max = opts.maxSwitchesPerS ?? 5000;
  if (s.switchesPerS > max) {
    out.push(
      `flamebook: the program switched off the CPU ${Math.round(s.switchesPerS)} times per second (${s.switches} switches): each one is recorded with its stack ` +
        `(about 8 KB of perf.data with --call-graph dwarf, and a few µs of the program's time), so this recording slowed the program and perf may have lost records. ` +
        "Record a shorter run, or smaller samples: `callGraph: \"fp\"` (no 8 KB stack copy; needs frame pointers, RUSTFLAGS=-Cforce-frame-pointers=yes).",
    );
  }
  return out;
}
