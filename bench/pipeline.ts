// Benchmark: the whole recording pipeline of the demo crate, perf's steps next to flamebook's own.
// Builds clone-in-loop once with the library's cargo.build, then per run, side by side:
//   program        the binary alone (no perf), for scale;
//   perf record    exactly what perf.record runs (src/record/perf.ts): -e cpu-clock[:u] -F 997
//                  --call-graph dwarf;
//   perf script    `perf script -i … -F comm,pid,tid,time,period,event,ip,sym,symoff,dso`, written
//                  to a file (the library streams it into the parser instead);
// and flamebook's steps on that text:
//   parse          the perf-script importer (cleanNames on, as perf.record does), from the file;
//   tables         ProfileData: functions() and frames();
//   flame tree     flamegraph(profile): the FlameTree the widget draws;
//   render payload the notebook output: the mimebundle (text, static SVG, standalone HTML with
//                  the renderer) and the widget state (packed tree as binary buffers).
// Target (issue 8): flamebook's own steps ≤ 20% of perf's (record + script).
// Usage: npm run bench:pipeline [-- --runs N] [-- --records N --rounds N]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { cargo } from "../src/build/index.js";
import { DEMO_CRATE } from "../src/cli/demo.js";
import { perfPreflight } from "../src/record/preflight.js";
import { flameWidgetState } from "../src/render/flame-widget-state.js";
import { parseInput } from "../src/samples/read-lines.js";
import { perfScript } from "../src/samples/perf/perf-script.js";
import { flamegraph } from "../src/table/flamegraph.js";
import { ProfileData } from "../src/table/profile-data.js";

const arg = (name: string, dflt: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : dflt;
};
const runs = arg("runs", 5);
const programArgs = [String(arg("records", 200_000)), String(arg("rounds", 500))];
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadBefore = load();

const bin = await cargo.build(DEMO_CRATE, { bin: "wordfreq" });
const pre = await perfPreflight();
const event = pre.userOnly ? "cpu-clock:u" : "cpu-clock";
const tmp = mkdtempSync(join(tmpdir(), "flamebook-bench-pipeline-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(130)); // children share our group and get the signal too

const timedSpawn = (cmd: string, args: string[], out?: string): number => {
  const t0 = performance.now();
  const r = spawnSync("sh", ["-c", `exec "$0" "$@" > "${out ?? "/dev/null"}" 2>"${tmp}/stderr"`, cmd, ...args], { stdio: "ignore", timeout: 600_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${readFileSync(`${tmp}/stderr`, "utf8").slice(-2000)}`);
  return ms;
};
const time = async <T>(f: () => T | Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
};

const steps = ["program", "perf record", "perf script", "parse", "tables", "flame tree", "render payload"] as const;
type Step = (typeof steps)[number];
const ms: Record<Step, number[]> = Object.fromEntries(steps.map((s) => [s, []])) as unknown as Record<Step, number[]>;
const facts: { samples: number; scriptMb: number; nodes: number; payloadKb: number }[] = [];
for (let i = 0; i < runs; i++) {
  const data = join(tmp, `run${i}.perf.data`);
  const text = join(tmp, `run${i}.perf.txt`);
  ms["program"].push(timedSpawn(bin.exe, programArgs));
  ms["perf record"].push(timedSpawn("perf", ["record", "-e", event, "-F", "997", "-o", data, "--call-graph", "dwarf", "--", bin.exe, ...programArgs]));
  ms["perf script"].push(timedSpawn("perf", ["script", "-i", data, "-F", "comm,pid,tid,time,period,event,ip,sym,symoff,dso"], text));
  const [tParse, profile] = await time(() => parseInput(perfScript.parser({ source: data, cleanNames: true }), { path: text }));
  const [tTables] = await time(() => {
    const p = new ProfileData(profile);
    return [p.functions(), p.frames()];
  });
  const [tTree, fg] = await time(() => flamegraph(profile));
  const [tRender, payload] = await time(() => {
    const bundle = fg.bundle();
    const state = flameWidgetState(fg.tree, { host: "flamebook" });
    return JSON.stringify(bundle).length + JSON.stringify(state.state).length + state.buffers.reduce((s, b) => s + b.length, 0);
  });
  ms["parse"].push(tParse);
  ms["tables"].push(tTables);
  ms["flame tree"].push(tTree);
  ms["render payload"].push(tRender);
  facts.push({ samples: profile.samples.stack.length, scriptMb: statSync(text).size / 1e6, nodes: fg.tree.nodes.frame.length, payloadKb: payload / 1024 });
  rmSync(data, { force: true });
  rmSync(text, { force: true });
  process.stderr.write(`run ${i + 1}/${runs} done\n`);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const mmm = (xs: number[]) => `${sorted(xs)[0]!.toFixed(0)} / ${med(xs).toFixed(0)} / ${sorted(xs).at(-1)!.toFixed(0)}`;
const perfMs = ms["perf record"].map((r, i) => r + ms["perf script"][i]!);
const ownMs = ms["parse"].map((p, i) => p + ms["tables"][i]! + ms["flame tree"][i]! + ms["render payload"][i]!);
console.log(`\nflamebook pipeline benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, load average ${loadBefore} → ${load()}`);
console.log(`demo: ${bin.exe} ${programArgs.join(" ")}; perf record -e ${event} -F 997 --call-graph dwarf; ${runs} runs`);
console.log(`per run: ${facts.map((f) => `${f.samples} samples, ${f.scriptMb.toFixed(1)} MB script, ${f.nodes} tree nodes, ${f.payloadKb.toFixed(0)} KB payload`).join("; ")}\n`);
console.log(`${"step".padEnd(28)} ${"ms min / median / max".padStart(24)}   per run`);
const line = (k: string, xs: number[]) => console.log(`${k.padEnd(28)} ${mmm(xs).padStart(24)}   ${xs.map((x) => x.toFixed(0)).join(" ")}`);
for (const s of steps) line(s, ms[s]);
line("perf (record + script)", perfMs);
line("flamebook (4 steps)", ownMs);
const ratio = ownMs.map((o, i) => o / perfMs[i]!);
const ratioScript = ownMs.map((o, i) => o / ms["perf script"][i]!);
console.log(`\nflamebook ÷ perf per run: ${ratio.map((r) => `${(100 * r).toFixed(1)}%`).join(" ")} (median ${(100 * med(ratio)).toFixed(1)}%): target ≤ 20% ${med(ratio) <= 0.2 ? "met" : "MISSED"}`);
console.log(`flamebook ÷ perf script alone per run: ${ratioScript.map((r) => `${(100 * r).toFixed(1)}%`).join(" ")} (median ${(100 * med(ratioScript)).toFixed(1)}%)`);
console.log(`perf record ÷ program alone per run: ${ms["perf record"].map((r, i) => `${(r / ms["program"][i]!).toFixed(2)}×`).join(" ")}`);
