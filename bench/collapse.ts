// Benchmark: `perf script` text → folded stacks (what `flamebook collapse` does), on a large
// file generated from our own crate. Prints MB/s and peak RSS per run, min/median/max, and the
// speed of just reading the file (`cat > /dev/null`) in the same run as a floor for comparison.
// With FLAMEGRAPH_DIR set to a checkout of Brendan Gregg's FlameGraph (not shipped here), its
// stackcollapse-perf.pl runs on the same file in the same loop, for a side-by-side ratio.
// Usage: npm run bench [-- FILE] [--runs N]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const here = fileURLToPath(new URL(".", import.meta.url));
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs") ?? `${here}data/large.perf.txt`;
if (!existsSync(file)) {
  console.log(`generating ${file} (about a minute)…`);
  execFileSync("bash", [`${here}make-large-perf-script.sh`], { stdio: "inherit" });
}
const mb = statSync(file).size / 1e6;

interface Run { seconds: number; mbPerS: number; peakRssMb: number; stacks: number }
const perl = process.env.FLAMEGRAPH_DIR ? `${process.env.FLAMEGRAPH_DIR}/stackcollapse-perf.pl` : undefined;
if (perl && !existsSync(perl)) throw new Error(`FLAMEGRAPH_DIR is set but ${perl} does not exist`);
const results: Run[] = [];
const floor: number[] = [];
const perlMbPerS: number[] = [];
const timed = (cmd: string) => {
  const t0 = performance.now();
  const r = spawnSync("sh", ["-c", cmd, "sh", file, perl ?? ""]);
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return mb / ((performance.now() - t0) / 1000);
};
for (let i = 0; i < runs; i++) {
  floor.push(timed(`cat "$1" > /dev/null`));
  if (perl) perlMbPerS.push(timed(`perl "$2" "$1" > /dev/null`));
  const r = spawnSync(process.execPath, ["--import", "tsx", `${here}collapse-once.ts`, file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  results.push(JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Run);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(0)} / ${s[Math.floor(s.length / 2)]!.toFixed(0)} / ${s.at(-1)!.toFixed(0)}`;
};
console.log(`\nflamebook collapse benchmark — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
console.log(`input: ${file} (${mb.toFixed(1)} MB, ${results[0]!.stacks} unique stacks), ${runs} runs\n`);
console.log(`run   MB/s   peak RSS MB   cat MB/s   ratio to 130 MB/s target${perl ? "   perl MB/s   ratio to perl" : ""}`);
results.forEach((r, i) => {
  const p = perl ? `   ${perlMbPerS[i]!.toFixed(0).padStart(9)}   ${(r.mbPerS / perlMbPerS[i]!).toFixed(2)}×` : "";
  console.log(`${String(i + 1).padStart(3)} ${r.mbPerS.toFixed(0).padStart(6)} ${r.peakRssMb.toFixed(0).padStart(13)} ${floor[i]!.toFixed(0).padStart(10)}   ${(r.mbPerS / 130).toFixed(2)}×${p}`);
});
console.log(`\nmin / median / max: ${stats(results.map((r) => r.mbPerS))} MB/s; peak RSS ${stats(results.map((r) => r.peakRssMb))} MB`);
if (perl) console.log(`stackcollapse-perf.pl min / median / max: ${stats(perlMbPerS)} MB/s`);
