// Benchmark: a 1 GB `perf script` file streams through openProfile with bounded memory.
// The files repeat one real recording of our clone-in-loop crate (bench/data/one.perf.txt):
//   large.perf.txt  ~200 MB (bench/make-large-perf-script.sh)
//   huge.perf.txt   ~1 GB   (bench/make-huge-perf-script.sh; made here when missing)
// Same unique stacks, five times the samples. Each is read in a process of its own (so its peak
// RSS is its own), by `openProfile(path)` (sniffs the format, streams the file in 1 MB chunks)
// twice: with one row per sample (the default; memory grows by ~30 bytes per sample) and with
// `keepSamples: false` (equal stacks merged: memory bounded by the unique stacks). Prints MB/s
// (wall, and per CPU-second: less sensitive to other load on the machine), peak RSS, and the
// 1 GB / 200 MB ratio of each.
// Usage: node --import tsx bench/scale.ts [--runs N]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { openProfile } from "../src/samples/registry.js";

/** One measured read, as the child prints it. */
interface Measure {
  seconds: number;
  mbPerS: number;
  cpuMbPerS: number;
  peakRssMb: number;
  heapUsedMb: number;
  samples: number;
  stacks: number;
  frames: number;
  format: string;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const data = `${here}data`;

if (process.argv[2] === "--one") {
  // the child: read FILE once and print one JSON line
  const file = process.argv[3]!;
  const keepSamples = process.argv[4] !== "merged";
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const p = await openProfile(file, { keepSamples });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const mb = statSync(file).size / 1e6;
  const m: Measure = {
    seconds,
    mbPerS: mb / seconds,
    cpuMbPerS: mb / ((c.user + c.system) / 1e6),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
    samples: p.samples.stack.length,
    stacks: p.stacks.frame.length,
    frames: p.frames.name.length,
    format: p.format,
  };
  console.log(JSON.stringify(m));
  process.exit(0);
}

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
const large = `${data}/large.perf.txt`;
const huge = `${data}/huge.perf.txt`;
if (!existsSync(large)) execFileSync("bash", [`${here}make-large-perf-script.sh`], { stdio: "inherit" });
if (!existsSync(huge)) execFileSync("bash", [`${here}make-huge-perf-script.sh`], { stdio: "inherit" });

/** Reads `file` in a child process `runs` times; returns the run with the median wall time. */
function measure(file: string, mode: "rows" | "merged"): Measure {
  const all: Measure[] = [];
  for (let r = 0; r < runs; r++) {
    const out = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--one", file, mode], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (out.status !== 0) throw new Error(`reading ${file} failed: ${out.stderr}`);
    all.push(JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Measure);
  }
  all.sort((a, b) => a.seconds - b.seconds);
  return all[Math.floor(all.length / 2)]!;
}

const sizeMb = (f: string) => statSync(f).size / 1e6;
console.log(`# scale: openProfile on perf script text, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${runs} run(s) each (median)`);
const rows: string[] = [];
const ratios: string[] = [];
for (const mode of ["rows", "merged"] as const) {
  const a = measure(large, mode);
  const b = measure(huge, mode);
  for (const [f, m] of [[large, a], [huge, b]] as const) {
    rows.push(
      `| ${mode === "rows" ? "one row per sample (default)" : "keepSamples: false"} | ${sizeMb(f).toFixed(0)} MB | ${m.seconds.toFixed(1)} s | ${m.mbPerS.toFixed(0)} | ${m.cpuMbPerS.toFixed(0)} | ${m.peakRssMb.toFixed(0)} MB | ${m.samples} | ${m.stacks} | ${m.frames} |`,
    );
  }
  ratios.push(`${mode}: peak RSS 1 GB / 200 MB = ${(b.peakRssMb / a.peakRssMb).toFixed(2)} (file ${(sizeMb(huge) / sizeMb(large)).toFixed(2)}×; samples ${(b.samples / Math.max(a.samples, 1)).toFixed(2)}×, stacks ${(b.stacks / Math.max(a.stacks, 1)).toFixed(2)}×)`);
}
console.log("| mode | file | time | MB/s (wall) | MB/s (per CPU-s) | peak RSS | sample rows | stacks | frames |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
for (const r of ratios) console.log(`- ${r}`);
