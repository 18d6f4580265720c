// Benchmark: the statistical power of the experiment verdict (src/compare/verdict.ts) on this
// machine. First measures the real run-to-run noise of the demo crate: N timed runs of one binary
// with the library's runTimed (what experiment() uses for "wall"). Then simulates experiments by
// resampling that noise (each run = median × a residual drawn with replacement from the measured
// runs' value / median):
// for wall time and for CPU time:
//   power   before ~ noise, after ~ noise × (1 + change) for a 5% and a 10% slowdown (and
//           speedup), n runs per side, REPS repetitions: the share called "regressed"
//           ("improved"); the smallest n reaching 80%, next to what runsNeeded() predicts from
//           all the measured runs and from only the first 10 vs the next 10 (what a 10-run
//           experiment would show it);
//   A/A     both sides from the same noise, AA_REPS (≥ 200) repetitions per n: the share of
//           verdicts that are not "no change" (false positives; α is 5%).
// Plus, per metric, one real A/A from the measured runs themselves (odd vs even runs, in time order), which
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
const NS_CPU = [3, 5, 8, 10, 15, 20, 30, 50];
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
const loadAfterRuns = load();
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`\nflamebook verdict power benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
console.log(`load average ${loadBefore} before the runs, ${loadAfterRuns} after them`);
console.log(`noise: ${RUNS} runs of ${bin.exe.split("/").at(-1)} ${programArgs.join(" ")} with runTimed (${method})`);

// 2. simulation by resampling the measured noise, for wall time (what verdict() judges by
// default) and for CPU time (exp.times(v, "cpu"))
const random = seededRandom(20261205);
function simulate(metric: string, values: number[], ns: number[]): void {
  const s = summarize(values);
  const m0 = median(values);
  const residuals = values.map((w) => w / m0);
  const draw = (n: number, scale: number) => Array.from({ length: n }, () => m0 * scale * residuals[randomInt(random, residuals.length)]!);
  const share = (n: number, reps: number, change: number, want: (k: VerdictKind) => boolean) => {
    let hits = 0;
    for (let r = 0; r < reps; r++) if (want(verdict(draw(n, 1), draw(n, 1 + change)).kind)) hits++;
    return hits / reps;
  };
  console.log(`\n=== ${metric}, ms: median ${m0.toFixed(1)}, min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, cv ${pct(s.cv)}, IQR ${(s.q3 - s.q1).toFixed(1)} (${pct((s.q3 - s.q1) / m0)} of the median), ${s.outliers.count} Tukey outliers`);
  console.log(`runs in order: ${values.map((w) => w.toFixed(0)).join(" ")}`);
  console.log(`power: share of ${REPS} simulated experiments per cell that the verdict calls a change (default options: 95%, noise threshold 2%)`);
  console.log(`${"true change".padEnd(20)}${ns.map((n) => `n=${n}`.padStart(8)).join("")}   smallest n with ≥ 80%   runsNeeded(): all runs   from 10 vs 10`);
  for (const c of CHANGES) {
    for (const sign of [1, -1]) {
      const v = ns.map((n) => share(n, REPS, sign * c, (k) => k === (sign > 0 ? "regressed" : "improved")));
      const first = ns.find((_, i) => v[i]! >= 0.8);
      const predict = (before: number[], after: number[]) => runsNeeded(before, after.map((w) => w * (1 + sign * c)), { noise: c, power: 0.8, alpha: 0.05 });
      const predicted = predict(values, values);
      const from10 = values.length >= 20 ? String(predict(values.slice(0, 10), values.slice(10, 20))) : "–";
      const label = `${sign > 0 ? "+" : "−"}${c * 100}% (${sign > 0 ? "regressed" : "improved"})`;
      console.log(`${label.padEnd(20)}${v.map((x) => pct(x).padStart(8)).join("")}   ${(first === undefined ? `> ${ns.at(-1)}` : String(first)).padStart(21)}   ${String(predicted).padStart(21)}${from10.padStart(16)}`);
    }
  }
  const aa = ns.map((n) => share(n, AA_REPS, 0, (k) => k !== "no change"));
  console.log(`A/A false positives: share of ${AA_REPS} simulated A/A experiments per n that are not "no change" (nominal α = 5%)`);
  console.log(`${"false positives".padEnd(20)}${aa.map((x) => pct(x).padStart(8)).join("")}`);
  // a real A/A: odd vs even runs in time order
  const real = verdict(values.filter((_, i) => i % 2 === 0), values.filter((_, i) => i % 2 === 1), { metric });
  console.log(`real A/A (even vs odd runs of the ${RUNS} measured, ${Math.ceil(RUNS / 2)} vs ${Math.floor(RUNS / 2)}): ${real.text}`);
}
simulate("wall time", wall, NS);
simulate("CPU time", cpu, NS_CPU);
console.log(`\nload average at the end: ${load()}`);
