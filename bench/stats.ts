// Benchmark: the statistical power of the experiment verdict (src/compare/verdict.ts) on this
// machine. First measures the real run-to-run noise of the demo crate: N timed runs of one binary
// with the library's runTimed (what experiment() uses for "wall"). Then simulates experiments by
// resampling that noise (each run = median × a residual drawn with replacement from the measured
// runs' value / median):
//   power   before ~ noise, after ~ noise × (1 + change) for a 5% and a 10% slowdown (and
//           speedup), n runs per side, REPS repetitions: the share called "regressed"
//           ("improved"); the smallest n reaching 80%, next to what runsNeeded() predicts;
//   A/A     both sides from the same noise, AA_REPS (≥ 200) repetitions per n: the share of
//           verdicts that are not "no change" (false positives; α is 5%).
// Plus one real A/A from the measured runs themselves (odd vs even runs, in time order), which
// keeps drift that i.i.d. resampling removes.
// Usage: npm run bench:stats [-- --runs 30 --reps 300 --aa-reps 500 --records 20000 --rounds 100]
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { cargo } from "../src/build/index.js";
import { DEMO_CRATE } from "../src/cli/demo.js";
import { randomInt, seededRandom } from "../src/compare/random.js";
import { runsNeeded } from "../src/compare/runs-needed.js";
import { median, summarize } from "../src/compare/summary.js";
import { verdict, type VerdictKind } from "../src/compare/verdict.js";
import { runTimed } from "../src/exec/index.js";

const arg = (name: string, dflt: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : dflt;
};
const RUNS = arg("runs", 30);
const REPS = arg("reps", 300);
const AA_REPS = Math.max(200, arg("aa-reps", 500));
const programArgs = [String(arg("records", 20_000)), String(arg("rounds", 100))];
const NS = [3, 5, 10, 20, 30, 50, 75, 100, 150, 200];
const CHANGES = [0.05, 0.1];
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadBefore = load();

// 1. the measured noise
const bin = await cargo.build(DEMO_CRATE, { bin: "wordfreq" });
await runTimed(bin.exe, programArgs); // warm caches and the perf-stat support probe
await runTimed(bin.exe, programArgs);
const wall: number[] = [];
const cpu: number[] = [];
let method = "";
for (let i = 0; i < RUNS; i++) {
  const r = await runTimed(bin.exe, programArgs);
  wall.push(r.wallMs);
  cpu.push(r.cpuMs);
  method = r.method;
}
const sc = summarize(cpu);
const s = summarize(wall);
const m0 = median(wall);
const residuals = wall.map((w) => w / m0);
const loadAfterRuns = load();

// 2. simulation by resampling the measured noise
const random = seededRandom(20261205);
const draw = (n: number, scale: number) => Array.from({ length: n }, () => m0 * scale * residuals[randomInt(random, residuals.length)]!);
const share = (n: number, reps: number, change: number, want: (k: VerdictKind) => boolean) => {
  let hits = 0;
  for (let r = 0; r < reps; r++) if (want(verdict(draw(n, 1), draw(n, 1 + change)).kind)) hits++;
  return hits / reps;
};
const power: Record<string, number[]> = {};
for (const c of CHANGES) {
  power[`+${c * 100}% (regressed)`] = NS.map((n) => share(n, REPS, c, (k) => k === "regressed"));
  power[`−${c * 100}% (improved)`] = NS.map((n) => share(n, REPS, -c, (k) => k === "improved"));
}
const aa = NS.map((n) => share(n, AA_REPS, 0, (k) => k !== "no change"));

// a real A/A: odd vs even runs in time order
const real = verdict(wall.filter((_, i) => i % 2 === 0), wall.filter((_, i) => i % 2 === 1));

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`\nflamebook verdict power benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
console.log(`load average ${loadBefore} before the runs, ${loadAfterRuns} after them, ${load()} at the end`);
console.log(`noise: ${RUNS} runs of ${bin.exe.split("/").at(-1)} ${programArgs.join(" ")} with runTimed (${method}), wall ms:`);
console.log(`  median ${m0.toFixed(1)}, min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, cv ${pct(s.cv)}, IQR ${(s.q3 - s.q1).toFixed(1)} (${pct((s.q3 - s.q1) / m0)} of the median), ${s.outliers.count} Tukey outliers`);
console.log(`  runs in order: ${wall.map((w) => w.toFixed(0)).join(" ")}`);
const cpuNeeded = CHANGES.map((c) => `${c * 100}%: ${runsNeeded(cpu, cpu.map((x) => x * (1 + c)), { noise: c })}`).join(", ");
console.log(`  (CPU time of the same runs: median ${sc.median.toFixed(1)} ms, cv ${pct(sc.cv)}; runsNeeded() for it: ${cpuNeeded} per side)`);
console.log(`\npower: share of ${REPS} simulated experiments per cell that the verdict calls a change (default options: 95%, noise threshold 2%)`);
console.log(`${"true change".padEnd(20)}${NS.map((n) => `n=${n}`.padStart(8)).join("")}   smallest n with ≥ 80%   runsNeeded() predicts`);
for (const [k, v] of Object.entries(power)) {
  const first = NS.find((_, i) => v[i]! >= 0.8);
  const c = Number(k.slice(1, k.indexOf("%"))) / 100;
  const predicted = runsNeeded(wall, wall.map((w) => w * (1 + (k.startsWith("+") ? c : -c))), { noise: c, power: 0.8, alpha: 0.05 });
  console.log(`${k.padEnd(20)}${v.map((x) => pct(x).padStart(8)).join("")}   ${(first === undefined ? `> ${NS.at(-1)}` : String(first)).padStart(21)}   ${String(predicted).padStart(21)}`);
}
console.log(`\nA/A false positives: share of ${AA_REPS} simulated A/A experiments per n that are not "no change" (nominal α = 5%)`);
console.log(`${"".padEnd(20)}${NS.map((n) => `n=${n}`.padStart(8)).join("")}`);
console.log(`${"false positives".padEnd(20)}${aa.map((x) => pct(x).padStart(8)).join("")}`);
console.log(`\nreal A/A (even vs odd runs of the ${RUNS} measured, ${Math.ceil(RUNS / 2)} vs ${Math.floor(RUNS / 2)}): ${real.text}`);
