import { open as openData } from "../table/open.js";
import type { OpenOptions } from "../samples/registry.js";
import type { ProfileData } from "../table/profile-data.js";
import { readPerfData } from "./perf-data.js";

/**
 * Opens a profile file (or bytes) of any supported format as a {@link ProfileData}: perf.data
 * (read by running `perf script`; perf must be installed), perf script text, folded stacks,
 * Firefox Profiler / samply, speedscope, pprof, callgrind, cachegrind, DHAT (valgrind's or dhat-rs's JSON), Chrome .cpuprofile —
 * gzipped or not. This is the package's `open`: the table layer's own `open` runs no programs,
 * so this one hands it {@link readPerfData}. A perf.data file recorded with
 * `perf.record(…, { offCpu: true })` (or `perf record -e sched:sched_switch --switch-events …`)
 * is read as an off-CPU profile (events cpu, offcpu, blocked, preempted and wall): found from its
 * events, or forced either way with `offCpu`.
 *
 * @example
 * const p = await open("wordfreq.perf.data");     // perf script runs on it
 * p.functions().objects({ limit: 10 });
 * const q = await open("samply-profile.json.gz");
 * const w = await open(rec.perfData); // a perf.record(…, { offCpu: true }) recording: w.events has "offcpu"
 */
export function open(input: string | Uint8Array, opts: OpenOptions & { offCpu?: boolean } = {}): Promise<ProfileData> {
  const { offCpu, ...rest } = opts;
  return openData(input, { readPerfData: offCpu === undefined ? readPerfData : (i, o) => readPerfData(i, { ...o, offCpu }), ...rest });
}
