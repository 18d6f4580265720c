// Format: Linux `perf script` text of an off-CPU recording (perf-script(1), perf 4.3–6.x):
// `perf record -e cpu-clock/freq=N/ -e sched:sched_switch --switch-events --call-graph …` read with
// `perf script --show-switch-events [--ns] -F …,trace,…`. Besides the CPU samples it has one
// `sched:sched_switch` sample per switch-out (the stack at that moment, and
// `prev_comm=… prev_pid=… prev_prio=… prev_state=S ==> next_comm=…` in its trace fields) and the
// side-band lines `comm pid/tid time: PERF_RECORD_SWITCH IN|OUT [preempt]` of the same threads
// (`PERF_RECORD_SWITCH_CPU_WIDE` under `-a`). Used by ./parser.ts with `{ offCpu: true }`.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import { isClockEvent, type PerfHeader } from "./header.js";

/** The events of an off-CPU profile, in this order; weights in nanoseconds. */
export const OFF_CPU_EVENTS = ["cpu", "offcpu", "blocked", "preempted", "wall"] as const;

/** Event codes the parser passes for the two kinds of record the assembler reads itself. */
const CLOCK = -2;
const SWITCH = -3;

/** A switch-out waiting for its thread's next switch-in. */
interface Pending {
  stack: number;
  thread: number;
  /** R (preempted or yielded: waiting for a CPU), or anything else (blocked: S, D, …); "" when unknown. */
  state: string;
  /** When the thread left the CPU (the PERF_RECORD_SWITCH OUT time, else the tracepoint's), s. */
  out: number;
  /** Whether the PERF_RECORD_SWITCH OUT line was seen (its time is the exact switch). */
  switchedOut: boolean;
}

/**
 * Turns the records of an off-CPU recording into the events of {@link OFF_CPU_EVENTS}: `cpu` (the
 * clock samples, as perf weighed them), `offcpu` (from each switch-out to that thread's next
 * switch-in, attributed to the stack of the `sched:sched_switch` sample at the switch-out),
 * `blocked` (the off-CPU intervals that began in state S, D or another sleeping state: IO, sleep,
 * locks), `preempted` (those that began in state R: the thread could run but had to wait for a
 * CPU) and `wall` (cpu + offcpu). Other events keep their names and are in none of these.
 *
 * @example
 * const a = new OffCpuAssembler(builder);
 * // the parser calls a.event(name), a.header(h), a.sample(…), a.sideBand(h) and finally a.finish()
 */
export class OffCpuAssembler {
  private readonly b: ProfileBuilder;
  private readonly ids: Record<(typeof OFF_CPU_EVENTS)[number], number>;
  private readonly pending = new Map<number, Pending>();
  /** The prev_state of the record whose header was read last. */
  private state = "";
  private switchSamples = 0;
  private switchRecords = 0;
  private intervals = 0;
  private withoutStack = 0;
  private withoutStackNs = 0;
  private unmatched = 0;
  private noTime = 0;
  private cpuSamples = 0;
  private cpuWithPeriod = 0;

  constructor(b: ProfileBuilder) {
    this.b = b;
    const [cpu, offcpu, blocked, preempted, wall] = OFF_CPU_EVENTS.map((e) => b.event(e));
    this.ids = { cpu: cpu!, offcpu: offcpu!, blocked: blocked!, preempted: preempted!, wall: wall! };
  }

  /** The event code for the parser: the clock event and sched:sched_switch are read here, others are the builder's. */
  event(name: string): number {
    if (name === "sched:sched_switch") return SWITCH;
    // `cpu-clock/freq=997/` when perf record named no event (flamebook's recordings add name=cpu-clock)
    if (isClockEvent(name.replace(/\/[^/]*\/$/, ""))) return CLOCK;
    return this.b.event(name);
  }

  /** Reads what a record's header says beyond the parser's fields: `prev_state` of a switch-out. */
  header(h: PerfHeader): void {
    if (h.event !== "sched:sched_switch") return;
    // `prev_comm=a b prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=…`: the comm may hold anything, the state is before "==>"
    const m = /prev_state=(\S+)\s+==>/.exec(h.rest);
    this.state = m ? m[1]! : "";
  }

  /** A record of the parser: clock samples become `cpu` and `wall`, a sched_switch sample waits for its thread's switch-in. */
  sample(stack: number, thread: number, event: number, tid: number, time: number, weight: number, hasPeriod: boolean): void {
    if (event === CLOCK) {
      this.cpuSamples++;
      if (hasPeriod) this.cpuWithPeriod++;
      this.b.sample(stack, thread, this.ids.cpu, time, weight);
      this.b.sample(stack, thread, this.ids.wall, time, weight);
      return;
    }
    if (event !== SWITCH) return this.b.sample(stack, thread, event, time, weight);
    this.switchSamples++;
    if (Number.isNaN(time)) {
      this.noTime++;
      return;
    }
    if (this.pending.has(tid)) this.unmatched++; // its switch-in was lost
    this.pending.set(tid, { stack, thread, state: this.state, out: time, switchedOut: false });
  }

  /**
   * A side-band line (`PERF_RECORD_…`): true when it was a switch record, which ends or begins
   * an off-CPU interval of its thread.
   */
  sideBand(h: PerfHeader, thread: () => number): boolean {
    const m = /^PERF_RECORD_SWITCH(?:_CPU_WIDE)?\s+(IN|OUT)(\s+preempt)?/.exec(h.rest);
    if (m === null) return false;
    this.switchRecords++;
    if (!Number.isFinite(h.time)) {
      this.noTime++;
      return true;
    }
    const p = this.pending.get(h.tid);
    if (m[1] === "OUT") {
      if (p !== undefined && !p.switchedOut) {
        // the sched_switch sample just before: the switch itself happens now
        p.out = h.time;
        p.switchedOut = true;
      } else {
        if (p !== undefined) this.unmatched++;
        // no sched_switch sample (lost, or not recorded): the interval counts, without a stack
        this.pending.set(h.tid, { stack: -1, thread: thread(), state: m[2] ? "R" : "", out: h.time, switchedOut: true });
      }
      return true;
    }
    if (p === undefined) return true; // a thread's first switch-in, or the recording's
    this.pending.delete(h.tid);
    const ns = Math.round((h.time - p.out) * 1e9);
    if (!(ns >= 0 && Number.isFinite(ns))) {
      this.unmatched++;
      return true;
    }
    this.intervals++;
    if (p.stack === -1) {
      this.withoutStack++;
      this.withoutStackNs += ns;
    }
    const why = p.state.startsWith("R") ? this.ids.preempted : this.ids.blocked;
    this.b.sample(p.stack, p.thread, this.ids.offcpu, p.out, ns);
    this.b.sample(p.stack, p.thread, why, p.out, ns);
    this.b.sample(p.stack, p.thread, this.ids.wall, p.out, ns);
    return true;
  }

  /** Sets the unit (ns) and adds the warnings: switches without stacks, lost pairs, a recording without switch records. */
  finish(): void {
    this.b.setUnit("nanoseconds");
    // the last switch-out of a thread that ended (or of the recording) has no switch-in: not an error
    this.pending.clear();
    if (this.cpuSamples > 0 && this.cpuWithPeriod < this.cpuSamples) {
      this.b.warn(`off-CPU: only ${this.cpuWithPeriod} of ${this.cpuSamples} CPU samples have a period, so their weights are not nanoseconds; run perf script with -F …,period,….`);
    }
    if (this.noTime > 0) {
      this.b.warn(`off-CPU: ${this.noTime} switch records have no time, so no off-CPU time could be measured from them; run perf script with -F …,time,… (and --ns).`);
    }
    if (this.switchSamples > 0 && this.switchRecords === 0) {
      this.b.warn(
        "off-CPU: the sched:sched_switch samples are here but no PERF_RECORD_SWITCH lines, so the time until each switch-in is unknown and there is no off-CPU time. " +
          "Record with `perf record … --switch-events` and read with `perf script --show-switch-events`.",
      );
    } else if (this.switchSamples === 0 && this.switchRecords === 0) {
      this.b.warn("off-CPU: no sched:sched_switch samples and no PERF_RECORD_SWITCH lines: this is not an off-CPU recording (perf record -e sched:sched_switch --switch-events).");
    }
    if (this.withoutStack > 0) {
      this.b.warn(
        `off-CPU: ${this.withoutStack} of ${this.intervals} off-CPU intervals (${(this.withoutStackNs / 1e9).toFixed(3)} s) have no sched:sched_switch sample, so no stack: ` +
          "perf lost them (a busy machine or a small buffer: perf record -m), or the recording has switch records only.",
      );
    }
    if (this.unmatched > 0 && this.switchRecords > 0) {
      this.b.warn(`off-CPU: ${this.unmatched} switch-outs had no matching switch-in (perf lost records), so their off-CPU time is missing.`);
    }
  }
}
