// Benchmark: the flamebook kernel's start-up and cell latency, beside IPython's, through Debian's
// jupyter_client (bench/kernel_client.py under /usr/bin/python3), all kernels interleaved in each run:
//   ready          start_kernel() until the first kernel_info_reply;
//   jc ready       until jupyter_client's wait_for_ready() returns (what start_new_kernel() takes:
//                  it adds an iopub check and a 0.2 s iopub flush, the same for every kernel);
//   first import   the first cell, execute_request until execute_reply: `import { open } from
//                  "flamebook"` (type-checked, then run); for IPython `import json` (Python checks
//                  nothing before running, so this is its floor for a first cell);
//   first done     jc ready + pause + first import: when the first cell's reply arrived, after start;
//   trivial        `1 + 1`, the median of --trivial runs after the first cell;
//   RSS            the kernel process's VmRSS after those cells;
//   warm           (flamebook) when the kernel had built TypeScript and compiled its warm-up import,
//                  seconds after its start (from the kernel's log).
// Rows:
//   flamebook, at once     the kernelspec `flamebook kernel install` writes (src/cli/kernel-install.ts),
//                          the first cell sent as soon as jupyter_client is ready ("Run All", nbclient);
//   flamebook, after P s   the same, the first cell sent P s later (--pause, default 3: a user typing it);
//   ipython                /usr/bin/python3 -m ipykernel_launcher (Debian's python3-ipykernel), at once;
//   --before DIR           (repeatable) the kernel of another checkout run from its TypeScript through
//                          tsx, at once: e.g. `git archive` of an older commit with node_modules and
//                          dist/ linked in, or this checkout itself (the same code, through tsx).
// Each kernel runs in a fresh temporary notebook directory with no node_modules (so `flamebook` is
// the kernel's own copy, kernel/own-package.ts), as a notebook outside a project would; --dir DIR
// runs them all in DIR instead (e.g. notebooks/ of this repository, whose node_modules/@types has
// some 40 packages).
// Usage: npm run bench:kernel [-- --runs N] [--trivial N] [--pause S] [--before DIR]… [--dir DIR]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { kernelSpec } from "../src/cli/kernel-install.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(opt("--runs") ?? 5);
const trivialRuns = Number(opt("--trivial") ?? 20);
const pause = Number(opt("--pause") ?? 3);
const befores = args.flatMap((a, i) => (a === "--before" ? [resolve(args[i + 1]!)] : []));
const fixedDir = opt("--dir") ? resolve(opt("--dir")!) : undefined;
const here = fileURLToPath(new URL(".", import.meta.url));
const PY = "/usr/bin/python3";
const GOALS = { ready: 1.5, first: 0.5, trivial: 0.03 };

if (spawnSync(PY, ["-c", "import jupyter_client, ipykernel"]).status !== 0) {
  throw new Error(`${PY} lacks jupyter_client or ipykernel (apt-get install jupyter-client python3-ipykernel)`);
}
execFileSync(process.execPath, [`${here}../scripts/build.mjs`, "--if-stale"], { stdio: "inherit" });

const jupyterPath = mkdtempSync(join(tmpdir(), "flamebook-bench-kernel-"));
process.on("exit", () => rmSync(jupyterPath, { recursive: true, force: true }));
const spec = (name: string, argv: string[], language: string) => {
  mkdirSync(join(jupyterPath, "kernels", name), { recursive: true });
  writeFileSync(join(jupyterPath, "kernels", name, "kernel.json"), JSON.stringify({ argv, display_name: name, language, interrupt_mode: "message" }));
};

interface Kernel { key: string; spec: string; label: string; first: string; pause: number }
const FB_FIRST = 'import { open } from "flamebook"';
const fbSpec = kernelSpec();
spec("fb", fbSpec.argv, "typescript");
spec("ipy", [PY, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "python");
const kernels: Kernel[] = [
  { key: "fb", spec: "fb", label: "flamebook, at once", first: FB_FIRST, pause: 0 },
  { key: "fb-pause", spec: "fb", label: `flamebook, after ${pause} s`, first: FB_FIRST, pause },
  { key: "ipy", spec: "ipy", label: "ipython, at once", first: "import json", pause: 0 },
];
const tsx = pathToFileURL(join(here, "..", "node_modules", "tsx", "dist", "loader.mjs")).href;
befores.forEach((dir, i) => {
  spec(`before${i}`, [process.execPath, "--import", tsx, join(dir, "kernel", "main.ts"), "{connection_file}"], "typescript");
  kernels.push({ key: `before${i}`, spec: `before${i}`, label: `${basename(dir)} (tsx), at once`, first: FB_FIRST, pause: 0 });
});

interface Run { ready_s: number; jc_ready_s: number; first_s: number; trivial_s: number[]; rss_mb: number; status: string; warm_s?: number }
const results: Record<string, Run[]> = {};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadBefore = load();
for (let i = 0; i < runs; i++) {
  // Alternate the order so that no kernel always runs right after another.
  const order = i % 2 === 0 ? kernels : [...kernels].reverse();
  for (const k of order) {
    const cwd = fixedDir ?? mkdtempSync(join(tmpdir(), "flamebook-bench-nb-"));
    const r = spawnSync(PY, [`${here}kernel_client.py`, k.spec, cwd, k.first, "1 + 1", String(trivialRuns), String(k.pause)], {
      env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      encoding: "utf8",
      timeout: 600_000,
    });
    if (!fixedDir) rmSync(cwd, { recursive: true, force: true });
    const line = r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).at(-1);
    if (r.status !== 0 || !line) throw new Error(`kernel_client.py ${k.spec} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    const run = JSON.parse(line) as Run;
    if (run.status !== "ok") throw new Error(`${k.label}: ${run.status}\n${r.stderr}`);
    const warm = /\(warm ([\d.]+) s after start\)/.exec(r.stderr);
    if (warm) run.warm_s = Number(warm[1]);
    (results[k.key] ??= []).push(run);
  }
  process.stderr.write(`run ${i + 1}/${runs} done (load average ${load()})\n`);
}

const mmm = (xs: number[], scale = 1, d = 2) => {
  if (xs.length === 0) return "–";
  const s = [...xs].sort((a, b) => a - b);
  return `${(s[0]! * scale).toFixed(d)} / ${(s[Math.floor(s.length / 2)]! * scale).toFixed(d)} / ${(s.at(-1)! * scale).toFixed(d)}`;
};
console.log(`\nflamebook kernel benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, load average ${loadBefore} → ${load()}`);
console.log(`${runs} runs, kernels interleaved; notebook dir: ${fixedDir ?? "a fresh temp dir per kernel"}; trivial cell \`1 + 1\` × ${trivialRuns} per run (its median per run)`);
console.log(`flamebook argv: ${fbSpec.argv.join(" ")}\n`);
console.log(`| kernel | first cell | ready, s | jupyter_client ready, s | first cell, s | first done, s after start | trivial cell, ms | RSS, MB | warm, s after start |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
for (const k of kernels) {
  const rs = results[k.key]!;
  console.log(
    `| ${k.label} | \`${k.first}\` | ${mmm(rs.map((r) => r.ready_s))} | ${mmm(rs.map((r) => r.jc_ready_s))} | ${mmm(rs.map((r) => r.first_s))} | ` +
      `${mmm(rs.map((r) => r.jc_ready_s + k.pause + r.first_s))} | ${mmm(rs.map((r) => median(r.trivial_s)), 1000, 1)} | ${mmm(rs.map((r) => r.rss_mb), 1, 0)} | ${mmm(rs.flatMap((r) => (r.warm_s === undefined ? [] : [r.warm_s])))} |`,
  );
}
console.log(`(min / median / max over runs)\n`);
const fb = results["fb"]!;
const fbPause = results["fb-pause"]!;
const ipy = results["ipy"]!;
const perRun = (a: Run[], b: Run[], f: (r: Run) => number) => a.map((r, i) => (f(r) / f(b[i]!)).toFixed(2) + "×").join(" ");
console.log(`flamebook ÷ ipython per run: ready ${perRun(fb, ipy, (r) => r.ready_s)}; jupyter_client ready ${perRun(fb, ipy, (r) => r.jc_ready_s)}; trivial cell ${perRun(fb, ipy, (r) => median(r.trivial_s))}`);
befores.forEach((dir, i) => {
  const b = results[`before${i}`]!;
  console.log(`${basename(dir)} (tsx) ÷ flamebook per run: ready ${perRun(b, fb, (r) => r.ready_s)}; first import ${perRun(b, fb, (r) => r.first_s)}; first done ${perRun(b, fb, (r) => r.jc_ready_s + r.first_s)}; trivial ${perRun(b, fb, (r) => median(r.trivial_s))}`);
});
const goal = (label: string, xs: number[], limit: number, unit: (x: number) => string) => {
  const m = median(xs);
  console.log(`goal ${label} ≤ ${unit(limit)}: median ${unit(m)} ${m <= limit ? "met" : `MISSED by ${unit(m - limit)}`}; runs within it ${xs.filter((x) => x <= limit).length}/${xs.length}`);
};
const s = (x: number) => `${x.toFixed(2)} s`;
goal("ready", fb.map((r) => r.ready_s), GOALS.ready, s);
goal(`first flamebook import, sent ${pause} s after ready`, fbPause.map((r) => r.first_s), GOALS.first, s);
goal("first flamebook import, sent at once", fb.map((r) => r.first_s), GOALS.first, s);
goal("ready + first import at once (start → first reply, vs the two goals added)", fb.map((r) => r.jc_ready_s + r.first_s), GOALS.ready + GOALS.first, s);
goal("trivial cell", fb.map((r) => median(r.trivial_s)), GOALS.trivial, (x) => `${(x * 1000).toFixed(0)} ms`);
