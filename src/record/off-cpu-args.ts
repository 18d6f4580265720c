import { isClockEvent } from "../samples/perf/header.js";

/**
 * The `perf record` event arguments of an off-CPU recording: the clock event sampled at
 * `frequency` (given as an event term, `cpu-clock/freq=997,name=cpu-clock/`, because `-F` would
 * also turn the tracepoint into a sampled one and drop most switches), every
 * `sched:sched_switch` (period 1: each switch-out, with its stack and prev_state) and
 * `--switch-events` (PERF_RECORD_SWITCH IN/OUT: when each thread came back). The CPU side must be
 * a clock event, so that its weights are nanoseconds like the off-CPU time they add up with.
 *
 * @example
 * offCpuEventArgs("cpu-clock", 997);
 * // ["-e", "cpu-clock/freq=997,name=cpu-clock/", "-e", "sched:sched_switch", "--switch-events"]
 */
export function offCpuEventArgs(event: string, frequency: number): string[] {
  const [base, ...mods] = event.split(":");
  if (!isClockEvent(base!) || base!.includes("/")) {
    throw new Error(
      `flamebook: an off-CPU recording samples CPU time with a clock event (cpu-clock or task-clock), not '${event}': ` +
        "its weights must be nanoseconds to add up with the time off the CPU. Leave `event` out, or record the other event without offCpu.",
    );
  }
  if (!Number.isInteger(frequency) || frequency <= 0) throw new Error(`flamebook: frequency must be a positive whole number of samples per second, got ${frequency}.`);
  const mod = mods.length > 0 ? `:${mods.join(":")}` : "";
  return ["-e", `${base}/freq=${frequency},name=${base}/${mod.slice(1)}`, "-e", "sched:sched_switch", "--switch-events"];
}
