// The fuzz set, importers: ≥ 100k structure-aware inputs per importer (see line-targets.ts and
// document-targets.ts), each a valid profile or a FormatError naming its position, each within
// the per-input budget; a stuck worker is a hang. FUZZ_RUNS, FUZZ_SEED, FUZZ_ONLY=name,… adjust.
import { test } from "node:test";
import { fuzzTarget } from "./run-target.js";

const only = process.env.FUZZ_ONLY?.split(",");
for (const name of ["perf-script", "perf-script-compat", "perf-script-offcpu", "folded", "callgrind", "cachegrind", "firefox", "speedscope", "cpuprofile", "dhat", "pprof"]) {
  if (only && !only.includes(name)) continue;
  test(`fuzz ${name}: valid profile or a FormatError naming a position, never a crash or a hang`, () => fuzzTarget(name).then(() => undefined));
}
