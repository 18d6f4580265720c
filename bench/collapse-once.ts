// One measured run of the collapse pipeline (read → parse → fold), in a process of its own so
// that its peak RSS is its own. Prints one JSON line. Used by bench/collapse.ts.
import { statSync } from "node:fs";
import { toFolded } from "../src/fold/to-folded.js";
import { parseInput } from "../src/samples/read-lines.js";
import { perfScript } from "../src/samples/perf-script.js";

const file = process.argv[2]!;
const t0 = performance.now();
const profile = await parseInput(perfScript.parser({ keepSamples: false }), { path: file });
const lines = toFolded(profile);
const s = (performance.now() - t0) / 1000;
const bytes = statSync(file).size;
console.log(JSON.stringify({ seconds: s, mbPerS: bytes / 1e6 / s, peakRssMb: process.resourceUsage().maxRSS / 1024, stacks: lines.length, bytes }));
