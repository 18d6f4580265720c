// Benchmark: the arquero tables on a synthetic profile of 1M samples over 50k unique stacks
// (2,000 function names, depth 4–40, recursion included). Target: functions() under 1 s here.
// Usage: npm run bench:tables [-- --runs N]
import { cpus } from "node:os";
import { ProfileBuilder } from "../src/model/profile-builder.js";
import { ProfileData } from "../src/table/profile-data.js";

const runsAt = process.argv.indexOf("--runs");
const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 5;

// mulberry32: a small deterministic PRNG
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const t0 = performance.now();
const b = new ProfileBuilder({ format: "synthetic" });
const frames = Array.from({ length: 2000 }, (_, i) => b.frame(`crate${i % 40}::module${i % 7}::function_${i}`, `/bin/app${i % 3}`));
const stacks: number[] = [];
const seen = new Set<number>();
while (stacks.length < 50_000) {
  const depth = 4 + Math.floor(rand() * 37);
  let s = -1;
  for (let d = 0; d < depth; d++) s = b.stack(s, frames[Math.floor(rand() ** 2 * frames.length)]!);
  if (!seen.has(s)) {
    seen.add(s);
    stacks.push(s);
  }
}
const thread = b.thread("app", 1, 1);
const event = b.event("cpu-clock");
for (let i = 0; i < 1_000_000; i++) b.sample(stacks[Math.floor(rand() ** 3 * stacks.length)]!, thread, event, i / 1000, 1);
const p = new ProfileData(b.finish());
const built = performance.now() - t0;

const time = (f: () => unknown) => {
  const s = performance.now();
  f();
  return performance.now() - s;
};
const rows: Record<string, number[]> = { "functions()": [], "frames()": [], "samples()": [], "callers(top)": [], "where(time > 500)": [] };
const top = String(p.functions().get("name", 0));
for (let r = 0; r < runs; r++) {
  rows["functions()"]!.push(time(() => p.functions()));
  rows["frames()"]!.push(time(() => p.frames()));
  rows["samples()"]!.push(time(() => p.samples()));
  rows["callers(top)"]!.push(time(() => p.callers(top)));
  rows["where(time > 500)"]!.push(time(() => p.where((d) => d.time > 500)));
}
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(0)} / ${s[Math.floor(s.length / 2)]!.toFixed(0)} / ${s.at(-1)!.toFixed(0)}`;
};
console.log(`flamebook tables benchmark — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
console.log(`profile: ${p.profile.samples.stack.length} samples, ${stacks.length} unique stacks, ${p.profile.stacks.frame.length} trie nodes, ${frames.length} functions (built in ${built.toFixed(0)} ms)\n`);
console.log("call                 ms min / median / max   target");
for (const [k, v] of Object.entries(rows)) console.log(`${k.padEnd(20)} ${fmt(v).padStart(22)}   ${k === "functions()" ? "< 1000 ms" : ""}`);
