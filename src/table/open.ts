import { openProfile, type OpenOptions } from "../samples/registry.js";
import { ProfileData } from "./profile-data.js";

/**
 * Opens a profile file (or bytes) of any supported format — perf script, folded, Firefox
 * Profiler / samply, speedscope, pprof, callgrind, cachegrind, Chrome .cpuprofile — gzipped or
 * not, as a {@link ProfileData} with tables and transforms. perf.data needs `opts.readPerfData`
 * (this layer runs no programs): the package's `open` (src/record/open.ts) passes it.
 *
 * @example
 * const p = await open("samply-profile.json.gz");
 * p.functions().objects({ limit: 10 });
 */
export async function open(input: string | Uint8Array, opts: OpenOptions = {}): Promise<ProfileData> {
  return new ProfileData(await openProfile(input, opts));
}
