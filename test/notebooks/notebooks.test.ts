// The notebooks in notebooks/, executed two ways with small test parameters:
//   1. `flamebook run` (the kernel in-process, no Jupyter), and
//   2. Jupyter's own nbclient (Debian's, /usr/bin/python3) with our kernel over ZeroMQ.
// Both saved notebooks must be valid nbformat, free of errors, and carry the flamegraph
// mimebundles. The nbclient run's Jupyter has anywidget, so its flamegraphs carry widget views and
// the notebook their widget state; `flamebook run` is told there is none (FLAMEBOOK_WIDGETS=none),
// so its flamegraphs are the static forms only and its report draws them from text/html.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { kernelSpec } from "../../src/cli/kernel-install.js";
import { readNotebook } from "../../src/notebook/nbformat.js";
import { declaredParameters, injectParameters, parseParameterArgs } from "../../src/notebook/parameters.js";
import { writeNotebook } from "../../src/notebook/write.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { skipWithoutChromium } from "../helpers/browser.js";
import { checkReport } from "./report-check.js";
import { installAnywidgetLabextension, npmAnywidgetVersion } from "../helpers/anywidget-labextension.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const notebooks = join(root, "notebooks");
const PY = "/usr/bin/python3";
const VIEW = "application/vnd.jupyter.widget-view+json";
const STATE = "application/vnd.jupyter.widget-state+json";
const VERDICT = "application/vnd.flamebook.verdict+json";

/** Small parameters that keep each notebook well under a minute here. */
const CASES: { name: string; params: string[]; report?: boolean; check?: (nb: SavedNotebook, how: string) => void }[] = [
  {
    name: "clone-in-loop",
    // 16 runs per side (each ~70 ms): with 4, Mann–Whitney reaches p < 0.05 only when the sides do
    // not overlap at all; with 8, under the rest of the suite's load on 2 cores, a few slowed "after"
    // runs stretched the bootstrap CI of the ratio to 1.00 and both verdicts said "no change" twice
    // in CI (medians 36–50% apart, p = 0.015–0.021), where a quiet machine gives CI 0.50–0.68.
    params: ["rounds=200", "expRounds=60", "runs=16", "warmup=0", "profiledRuns=2"],
    report: true,
    check(nb, how) {
      const verdicts = outputs(nb).filter((o) => o.data && VERDICT in o.data).map((o) => o.data![VERDICT] as { kind: string });
      assert.ok(verdicts.length > 0, `${how}: the experiment's verdict is in the outputs`);
      assert.ok(verdicts.every((v) => v.kind !== "regressed"), `${how}: the reused buffer is not slower`);
      // The conclusion judges the same runs twice: on wall time (its Verdict line) and on CPU time.
      // On a busy 2-core machine either one may come out "no change" (wall time when other load
      // spikes; CPU time when its CI's upper bound rounds to 1.00), so the fix must be judged
      // faster on at least one of them, and slower on neither.
      const conclusion = outputs(nb).map((o) => [o.data?.["text/markdown"]].flat().join("")).find((t) => t.includes("judged on CPU time")) ?? "";
      const wallLine = conclusion.split("\n").find((l) => l.startsWith("- **Verdict**: ")) ?? "";
      const cpuLine = conclusion.split("\n").find((l) => l.includes("judged on CPU time")) ?? "";
      assert.ok(wallLine && cpuLine, `${how}: the conclusion has its wall-time verdict and its CPU-time line:\n${conclusion}`);
      const faster = /^- \*\*Verdict\*\*: after is \d+(\.\d+)?% faster than before/.test(wallLine) || /judged on CPU time[^:]*: after is \d+(\.\d+)?% faster than before/.test(cpuLine);
      assert.ok(faster, `${how}: the conclusion, computed in the notebook, says the fix is faster on wall time or on CPU time:\n${wallLine}\n${cpuLine}`);
      for (const line of [wallLine, cpuLine]) assert.doesNotMatch(line, /slower|regress/i, `${how}: neither verdict says the fix is slower`);
      assert.match(conclusion, /`to_string` on the stack: \d+(\.\d+)?% of samples/, `${how}: the conclusion states to_string's share`);
    },
  },
  {
    name: "reading-flamegraphs",
    params: ["rounds=40", "debugRounds=10", "tinyMs=50", "tinyRepeats=2", "waitReads=25", "timingRounds=5", "timingRuns=3", "showLto=true"],
    check(nb, how) {
      const text = outputs(nb)
        .map((o) => [o.data?.["text/plain"], (o as { text?: unknown }).text].flat().join(""))
        .join("\n");
      // Each pitfall shows the warning flamebook prints for it.
      for (const w of [/debug \(dev\) build/, /no debug info|stripped/, /without a function name/, /lto = fat/, /only \d+ samples/, /of CPU time in the/]) {
        assert.match(text, w, `${how}: the notebook shows the warning ${w}`);
      }
      // §7 with off-CPU time: the IO-bound program is mostly off the CPU, blocked in UdpSocket::recv
      const off = /^off the CPU: (\d+)% of the wall time \([\d.]+ s of [\d.]+ s\): blocked [\d.]+ s .*where: pitfalls::main \d+% \(in \w*recv\w*\)/m.exec(text);
      assert.ok(off && Number(off[1]) >= 80, `${how}: the off-CPU summary of the IO-bound program`);
      const call = /^<?std::net::udp::UdpSocket>?::recv: ([\d.]+)% of the wall time/m.exec(text);
      assert.ok(call && Number(call[1]) >= 80, `${how}: the blocking call's share of the wall time`);
      assert.match(text, /^ {2}→ udp_recvmsg$/m, `${how}: the kernel path of the wait`);
    },
  },
  {
    name: "which-tool",
    params: ["runs=8", "expRounds=60", "cpuRounds=300", "valgrindRounds=2", "waitReads=25"],
    check(nb, how) {
      const text = outputs(nb).map((o) => [o.data?.["text/plain"], (o as { text?: unknown }).text].flat().join("")).join("\n");
      assert.ok(outputs(nb).some((o) => o.data && VERDICT in o.data), `${how}: the experiment's verdict is in the outputs`);
      assert.match(text, /to_string on the stack: \d+\.\d%/, `${how}: perf.record`);
      assert.match(text, /profile\.json\.gz: format firefox, \d+ samples/, `${how}: open() on a samply-format file`);
      assert.match(text, /D1 miss rate [\d.]+%, LL miss rate [\d.]+%/, `${how}: cachegrind.record`);
      assert.match(text, /[\d,]+ allocations, [\d,]+ bytes/, `${how}: dhat.record`);
      assert.match(text, /^off the CPU: \d+% of the wall time/m, `${how}: perf.record offCpu`);
      assert.match(text, /tokio-console\s+none\s+not flamebook/, `${how}: where flamebook is not the tool`);
    },
  },
  {
    name: "callgrind",
    params: ["rounds=4", "nativeRuns=3", "nativeRounds=100"],
    check(nb, how) {
      const text = outputs(nb).map((o) => [o.data?.["text/plain"], o.data?.["text/markdown"]].flat().join("")).join("\n");
      assert.match(text, /−39\.\d+% ?Ir|-39\.\d+%|39\.\d+% fewer/, `${how}: the exact instruction delta of the fix`);
    },
  },
  {
    name: "allocations",
    params: ["records=2000", "rounds=4"],
    check(nb, how) {
      const text = outputs(nb).map((o) => [o.data?.["text/plain"], o.data?.["text/markdown"]].flat().join("")).join("\n");
      // The exact verdict: more than 90% fewer allocations, from one DHAT run per variant.
      assert.match(text, /allocations: [\d ]+ → [\d ]+ \(−9\d\.\d\d%\), bytes: [\d ]+ → [\d ]+ \(−\d+\.\d\d%\) \(exact, DHAT\)/, `${how}: the exact allocation verdict`);
      assert.match(text, /to_string<wordfreq::records::UserId>\s+vanished\s+16000\s+0\s+-16000/, `${how}: to_string's blocks vanish in the per-function table`);
      assert.match(text, /\*\*identical\*\* to the first run/, `${how}: two DHAT runs of "before" count the same`);
      assert.match(text, /`format!` makes \*\*[\d,]+\*\* of the [\d,]+ remaining allocations/, `${how}: where the remaining allocations are`);
    },
  },
  { name: "dataframes", params: ["rounds=300"] },
];

interface SavedOutput {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface SavedNotebook {
  cells: { cell_type: string; execution_count?: number | null; outputs?: SavedOutput[]; source: string[] | string; metadata: { tags?: string[] } }[];
  metadata: { widgets?: Record<string, { state: Record<string, unknown> }> };
}

const outputs = (nb: SavedNotebook): SavedOutput[] => nb.cells.flatMap((c) => c.outputs ?? []);

/** Flamegraph outputs: the static forms (an interactive text/html block and an SVG), live or not. */
const flamegraphOutputs = (nb: SavedNotebook): SavedOutput[] =>
  outputs(nb).filter((o) => o.data && "image/svg+xml" in o.data && /data-flamebook/.test([o.data["text/html"]].flat().join("")));

/** What both ways must give; `live`: whether the flamegraphs carry widget views (and their state). */
function checkSaved(file: string, how: string, live: boolean): SavedNotebook {
  const nb = JSON.parse(readFileSync(file, "utf8")) as SavedNotebook;
  const code = nb.cells.filter((c) => c.cell_type === "code");
  assert.ok(code.length > 0);
  for (const [i, c] of code.entries()) {
    assert.equal(typeof c.execution_count, "number", `${how}: code cell ${i + 1} ran`);
    const errors = (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`);
    assert.deepEqual(errors, [], `${how}: code cell ${i + 1} has no error`);
  }
  const flames = flamegraphOutputs(nb);
  assert.ok(flames.length > 0, `${how}: at least one flamegraph mimebundle (text/html, image/svg+xml)`);
  const state = nb.metadata.widgets?.[STATE]?.state ?? {};
  for (const f of flames) {
    if (!live) {
      assert.equal(f.data![VIEW], undefined, `${how}: no widget view without an anywidget front end`);
      continue;
    }
    const id = (f.data![VIEW] as { model_id: string } | undefined)?.model_id;
    assert.ok(id !== undefined, `${how}: the flamegraph carries the widget view`);
    assert.ok(id in state, `${how}: the widget state of flamegraph ${id} is saved in the notebook`);
  }
  if (!live) assert.equal(nb.metadata.widgets, undefined, `${how}: no widget state without an anywidget front end`);
  const v = spawnSync(PY, ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4)); print('valid')", file], { encoding: "utf8" });
  assert.equal(v.stdout.trim(), "valid", `${how}: nbformat.validate: ${v.stderr}`);
  return nb;
}

const jupyter = spawnSync(PY, ["-c", "import nbclient, nbformat"], { encoding: "utf8" });
const missing = jupyter.status === 0 ? false : "Debian's python3-nbclient is not installed under /usr/bin/python3 (bash scripts/setup.sh installs it)";
if (missing && process.env.CI === "true") throw new Error(`CI: ${missing}`);
if (missing) console.log(`# skipping the nbclient half: ${missing}`);

const work = mkdtempSync(join(tmpdir(), "fb-notebooks-"));
// One experiment store for both ways: the second way reuses the first's runs (same spec and inputs).
const store = join(work, "store");

// A kernelspec for this checkout in a private JUPYTER_PATH.
const KERNEL = "flamebook-notebooks-test";
const spec = join(work, "kernels", KERNEL);
mkdirSync(spec, { recursive: true });
// The kernel users get: the compiled dist/kernel/main.js (each test builds it first), run by plain node.
writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: kernelSpec().argv, display_name: "t", language: "typescript", interrupt_mode: "message" }));
// …whose Jupyter has anywidget, as `pip install anywidget` lays it out.
installAnywidgetLabextension(work, npmAnywidgetVersion());
const { FLAMEBOOK_WIDGETS: _ignored, ...inherited } = process.env;

for (const c of CASES) {
  const file = join(notebooks, `${c.name}.ipynb`);
  const params = [...c.params, `store=${JSON.stringify(store)}`];
  test(`notebook ${c.name}: flamebook run and nbclient both execute it`, { timeout: 600_000 }, async (t) => {
    assert.ok(existsSync(file), `${file} exists`);
    await ensureBuilt(); // cells import the CJS build
    const source = await readNotebook(file);
    const declared = source.cells.find((x) => (x.metadata.tags as string[] | undefined)?.includes("parameters"));
    assert.ok(declared, `${c.name} has a cell tagged "parameters"`);
    // `store` only where the notebook has one; every test parameter must be declared.
    const names = declaredParameters(declared.source);
    const usable = params.filter((p) => names.includes(p.slice(0, p.indexOf("="))) || !p.startsWith("store="));

    // 1. flamebook run
    const out1 = join(work, `${c.name}.run.ipynb`);
    const html = join(work, `${c.name}.html`);
    const t0 = Date.now();
    const args = ["run", file, "--out", out1, ...(c.report ? ["--html", html] : []), ...usable.flatMap((p) => ["-p", p])];
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src", "cli", "bin.ts"), ...args], { cwd: root, env: { ...inherited, FLAMEBOOK_WIDGETS: "none" }, encoding: "utf8", timeout: 400_000 });
    assert.equal(r.status, 0, `flamebook run failed:\n${r.stdout}\n${r.stderr}`);
    console.log(`# ${c.name}: flamebook run took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const nb1 = checkSaved(out1, "flamebook run", false);
    c.check?.(nb1, "flamebook run");
    if (c.report && !skipWithoutChromium(t)) {
      // The main job's output: the verdict line and the report path are printed; the report works offline.
      const verdict = /^verdict: \w[\w ]*: (.*)$/m.exec(r.stdout)?.[1];
      assert.ok(verdict, `the verdict line is printed:\n${r.stdout}`);
      assert.match(r.stdout, new RegExp(`^report: ${html.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
      const flamegraphs = flamegraphOutputs(nb1).length;
      await checkReport(html, { flamegraphs, verdict, screenshot: join(root, "test-artifacts", `${c.name}-report`) });
    }
    if (missing) return;

    // 2. nbclient with our kernel, on the same notebook with the same parameters injected.
    const input = join(work, `${c.name}.param.ipynb`);
    await writeNotebook(input, injectParameters(source, parseParameterArgs(usable), file));
    const out2 = join(work, `${c.name}.nbclient.ipynb`);
    const t1 = Date.now();
    const run = spawnSync(PY, [join(root, "test", "kernel", "execute_notebook.py"), KERNEL, input, out2, notebooks], { env: { ...inherited, JUPYTER_PATH: work }, encoding: "utf8", timeout: 400_000 });
    assert.equal(run.status, 0, `nbclient failed:\n${run.stdout}\n${run.stderr.slice(-4000)}`);
    console.log(`# ${c.name}: nbclient took ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    const nb2 = checkSaved(out2, "nbclient", true);
    c.check?.(nb2, "nbclient");
  });
}
