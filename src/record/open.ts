import { open as openData } from "../table/open.js";
import type { OpenOptions } from "../samples/registry.js";
import type { ProfileData } from "../table/profile-data.js";
import { readPerfData } from "./perf-data.js";

/**
 * Opens a profile file (or bytes) of any supported format as a {@link ProfileData}: perf.data
 * (read by running `perf script`; perf must be installed), perf script text, folded stacks,
 * Firefox Profiler / samply, speedscope, pprof, callgrind, cachegrind, DHAT (valgrind's or dhat-rs's JSON), Chrome .cpuprofile —
 * gzipped or not. This is the package's `open`: the table layer's own `open` runs no programs,
 * so this one hands it {@link readPerfData}.
 *
 * @example
 * const p = await open("wordfreq.perf.data");     // perf script runs on it
 * p.functions().objects({ limit: 10 });
 * const q = await open("samply-profile.json.gz");
 */
export function open(input: string | Uint8Array, opts: OpenOptions = {}): Promise<ProfileData> {
  return openData(input, { readPerfData, ...opts });
}
