// Runs every benchmark, one after another, each in a process of its own (so that one's memory or
// failure does not touch the next), and says at the end which ones failed. Not part of npm test.
// Usage: npm run bench [-- --only collapse,render]   (environment variables pass through, e.g.
// REPEAT/ZOOM_REPEAT for render, FLAMEGRAPH_DIR for collapse)
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const BENCHES: Record<string, string[]> = {
  collapse: ["collapse.ts"],
  tables: ["tables.ts"],
  render: ["render.ts"],
  pipeline: ["pipeline.ts"],
  stats: ["stats.ts"],
  timed: ["timed.ts", "15"],
  scale: ["scale.ts"],
  kernel: ["kernel.ts"],
};
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1]!.split(",") : Object.keys(BENCHES);
const unknown = only.filter((b) => !(b in BENCHES));
if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
const here = fileURLToPath(new URL(".", import.meta.url));

let child: ChildProcess | undefined;
// Ctrl-C reaches the child too (same process group); a plain kill of this runner stops it here.
process.on("SIGTERM", () => {
  child?.kill("SIGTERM");
  process.exit(143);
});
process.on("exit", () => child?.kill("SIGTERM"));

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`flamebook benchmarks — ${new Date().toISOString()}, nproc ${cpus().length}, ${cpus()[0]?.model ?? "?"}, node ${process.version}, load average ${loadavg()}`);
const results: { name: string; code: number | null; seconds: number }[] = [];
for (const name of only) {
  const [file, ...args] = BENCHES[name]!;
  console.log(`\n======== ${name}: node --import tsx bench/${file} ${args.join(" ")} (load average ${loadavg()})`);
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    child = spawn(process.execPath, ["--import", "tsx", `${here}${file}`, ...args], { stdio: "inherit" });
    child.on("error", () => resolve(null));
    child.on("exit", (c, sig) => resolve(sig ? null : c));
  });
  child = undefined;
  results.push({ name, code, seconds: (performance.now() - t0) / 1000 });
}
console.log(`\n======== done (load average ${loadavg()})`);
for (const r of results) console.log(`${r.name.padEnd(10)} ${r.code === 0 ? "ok" : `FAILED (exit ${r.code ?? "signal"})`}  ${r.seconds.toFixed(0)} s`);
if (results.some((r) => r.code !== 0)) process.exitCode = 1;
