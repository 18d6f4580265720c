// One measured run of the collapse pipeline (read → parse → fold), in a process of its own so
// that its peak RSS is its own. FILE "-" reads stdin (e.g. `perf script | …`). Prints one JSON
// line: seconds, MB/s (wall, and per CPU-second of this process: less sensitive to other load), peak RSS, distinct stacks, total count. Used by bench/collapse.ts.
import { statSync } from "node:fs";
import { toFolded } from "../src/fold/to-folded.js";
import { parseInput } from "../src/samples/read-lines.js";
import { perfScript } from "../src/samples/perf/perf-script.js";

const file = process.argv[2]!;
let bytes = 0;
async function* counted(): AsyncIterable<Uint8Array> {
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    yield chunk;
  }
}
const t0 = performance.now();
const c0 = process.cpuUsage();
const parser = perfScript.parser({ keepSamples: false });
const profile = await parseInput(parser, file === "-" ? counted() : { path: file });
const lines = toFolded(profile);
const s = (performance.now() - t0) / 1000;
const c = process.cpuUsage(c0);
const cpuS = (c.user + c.system) / 1e6;
if (file !== "-") bytes = statSync(file).size;
let total = 0;
for (const l of lines) total += Number(l.slice(l.lastIndexOf(" ") + 1));
console.log(JSON.stringify({ seconds: s, mbPerS: bytes / 1e6 / s, cpuMbPerS: bytes / 1e6 / cpuS, peakRssMb: process.resourceUsage().maxRSS / 1024, stacks: lines.length, total, samples: profile.samples.stack.length, bytes }));
