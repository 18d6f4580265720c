// Overhead of runTimed's two methods against a plain run(), on /bin/true, a ~200 ms busy shell
// loop and the clone-in-loop demo binary: medians of interleaved runs. Run: node --import tsx bench/timed.ts [runs]
import { cargo } from "../src/build/index.js";
import { DEMO_CRATE } from "../src/cli/demo.js";
import { run, runTimed } from "../src/exec/index.js";

const runs = Number(process.argv[2] ?? 15);
const programs: [string, string, string[]][] = [
  ["/bin/true", "/bin/true", []],
  ["busy sh loop", "sh", ["-c", "i=0; while [ $i -lt 130000 ]; do i=$((i+1)); done"]],
  ["wordfreq 200000 20 (clone-in-loop)", (await cargo.build(DEMO_CRATE, { bin: "wordfreq" })).exe, ["200000", "20"]],
];
console.log(`load average: ${(await import("node:fs")).readFileSync("/proc/loadavg", "utf8").trim()}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f = (x: number) => x.toFixed(2).padStart(8);

for (const [label, cmd, args] of programs) {
  const rows: Record<string, { elapsed: number[]; wall: number[]; cpu: number[] }> = {};
  const add = (k: string, elapsed: number, wall: number, cpu: number) => {
    rows[k] ??= { elapsed: [], wall: [], cpu: [] };
    rows[k].elapsed.push(elapsed);
    rows[k].wall.push(wall);
    rows[k].cpu.push(cpu);
  };
  await runTimed(cmd, args); // warm the support probe and caches
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const r = await run(cmd, args, { discardStdout: true });
    add("run()", performance.now() - t, r.durationMs, NaN);
    for (const method of ["perf-stat", "times"] as const) {
      t = performance.now();
      const m = await runTimed(cmd, args, { method });
      add(method, performance.now() - t, m.wallMs, m.cpuMs);
    }
    t = performance.now();
    const c = await runTimed(cmd, args, { method: "perf-stat", counters: ["context-switches", "cpu-migrations", "page-faults"] });
    add("perf-stat+3 counters", performance.now() - t, c.wallMs, c.cpuMs);
  }
  console.log(`\n${label}: medians of ${runs} interleaved runs (ms)`);
  console.log(`${"method".padEnd(22)}${"elapsed".padStart(8)}${"reported wall".padStart(15)}${"cpu".padStart(8)}  elapsed − run()`);
  const base = median(rows["run()"]!.elapsed);
  for (const [k, v] of Object.entries(rows)) {
    console.log(`${k.padEnd(22)}${f(median(v.elapsed))}${f(median(v.wall)).padStart(15)}${f(median(v.cpu))}  ${f(median(v.elapsed) - base)}`);
  }
}
