// `flamebook run` through the real CLI entry, in a child process: parameters, outputs, widget
// state, a failing cell, a bad parameter, no Python on PATH, and Ctrl-C.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { installAnywidgetLabextension, npmAnywidgetVersion } from "../helpers/anywidget-labextension.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "src", "cli", "bin.ts");

type Json = Record<string, unknown>;
const cell = (cell_type: string, source: string, tags: string[] = []): Json => ({
  cell_type,
  id: Math.random().toString(36).slice(2, 10),
  metadata: tags.length ? { tags } : {},
  source,
  ...(cell_type === "code" ? { outputs: [], execution_count: null } : {}),
});
const notebook = (cells: Json[]): string => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "flamebook", display_name: "TypeScript (flamebook)", language: "typescript" } }, cells }, null, 1);

async function fixture(cells: Json[]): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), "fb-run-"));
  const file = join(dir, "nb.ipynb");
  await writeFile(file, notebook(cells));
  return { dir, file };
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = [
  cell("markdown", "# A test notebook\n"),
  cell("code", "const n = 3; // rounds\nconst label = 'x';\n", ["parameters"]),
  cell("code", "console.log('n is', n, label);\nn * 2"),
  cell("code", "import { display, verdict } from 'flamebook';\nimport { flamegraph, folded, parseInput } from 'flamebook/internals';\nconst p = await parseInput(folded.parser(), 'main;work;hot 6\\nmain;idle 2\\n');\nflamegraph(p)"),
  cell("code", "const h = display('step 1');\nawait new Promise((r) => setTimeout(r, 20));\nh.update('done');\nverdict([100, 101, 99, 100.5], [80, 81, 79, 80.5])"),
  cell("code", "display.markdown('**shown once**')"),
];

test("flamebook run: parameters injected, outputs, display updates, widget state; a valid nbformat file; no Python needed", async () => {
  await ensureBuilt(); // cells import the CJS build
  const { dir, file } = await fixture(GOOD);
  const out = join(dir, "out", "executed.ipynb");
  // PATH holds node only: the run needs no python, jupyter or anything else. The user's Jupyter
  // has anywidget (in JUPYTER_PATH), so the saved flamegraph carries the widget view and state.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: dirname(process.execPath), JUPYTER_PATH: installAnywidgetLabextension(join(dir, "jupyter"), npmAnywidgetVersion()) };
  delete env["FLAMEBOOK_WIDGETS"];
  const r = cli(["run", file, "-p", "n=5", "-p", 'label="y"', "--out", out], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\[4\/6\] cell 5 ok in/, "one progress line per code cell when not on a terminal");
  assert.match(r.stdout, /^verdict: improved: after is \d+(\.\d+)?% faster/m, "the verdict line is printed, its kind once");
  const nb = JSON.parse(await readFile(out, "utf8")) as { cells: Json[]; metadata: Json };
  const code = nb.cells.filter((c) => c.cell_type === "code") as { source: string[]; outputs: Json[]; execution_count: number; metadata: Json }[];
  assert.equal(code.length, 6);
  assert.deepEqual(code[1]!.metadata.tags, ["injected-parameters"]);
  assert.deepEqual(code[1]!.source, ["// Parameters injected by flamebook run\n", "const n = 5;\n", 'const label = "y";\n']);
  assert.deepEqual(code.map((c) => c.execution_count), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(code[5]!.outputs, [{ output_type: "display_data", data: { "text/markdown": ["**shown once**"], "text/plain": ["**shown once**"] }, metadata: {} }], "a display handle as the last expression shows nothing more");
  assert.deepEqual(code[2]!.outputs[0], { output_type: "stream", name: "stdout", text: ["n is 5 y\n"] });
  assert.deepEqual((code[2]!.outputs[1] as { data: Json }).data["text/plain"], ["10"]);
  const fg = (code[3]!.outputs[0] as { data: Json }).data;
  for (const mime of ["text/html", "image/svg+xml", "text/plain", "application/vnd.jupyter.widget-view+json"]) assert.ok(mime in fg, `the flamegraph output has ${mime}`);
  const modelId = (fg["application/vnd.jupyter.widget-view+json"] as { model_id: string }).model_id;
  const widgets = (nb.metadata.widgets as Json)["application/vnd.jupyter.widget-state+json"] as { state: Record<string, { model_module: string; state: Json }> };
  assert.equal(widgets.state[modelId]?.model_module, "anywidget", "the widget's state is stored in the notebook");
  assert.equal(typeof widgets.state[modelId]?.state._esm, "string", "with the widget's front end code");
  assert.deepEqual((code[4]!.outputs[0] as { data: Json }).data["text/plain"], ["done"], "display updates rewrite the output");
  assert.ok("application/vnd.flamebook.verdict+json" in (code[4]!.outputs[1] as { data: Json }).data);
  assert.equal((nb.metadata.flamebook as Json).status, "ok");
  // Jupyter's own validator accepts it (Debian's nbformat, under /usr/bin/python3).
  const v = spawnSync("/usr/bin/python3", ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4)); print('valid')", out], { encoding: "utf8" });
  if (v.error && process.env.CI !== "true") console.log(`# nbformat validation skipped: /usr/bin/python3 with nbformat is missing (${v.error.message}); run scripts/setup.sh`);
  else assert.equal(v.stdout.trim(), "valid", v.stderr);
});

test("flamebook run: with no anywidget front end the flamegraph is saved without a widget view or state", async () => {
  await ensureBuilt();
  const { dir, file } = await fixture([cell("code", "import { flamegraph, folded, parseInput } from 'flamebook/internals';\nconst p = await parseInput(folded.parser(), 'main;work;hot 6\\nmain;idle 2\\n');\nflamegraph(p)")]);
  const out = join(dir, "out.ipynb");
  const r = cli(["run", file, "--out", out], { ...process.env, FLAMEBOOK_WIDGETS: "none" });
  assert.equal(r.status, 0, r.stderr);
  const nb = JSON.parse(await readFile(out, "utf8")) as { cells: { outputs: { data: Json }[] }[]; metadata: Json };
  const fg = nb.cells[0]!.outputs[0]!.data;
  assert.deepEqual(Object.keys(fg).sort(), ["image/svg+xml", "text/html", "text/plain"], "a JupyterLab without anywidget shows its text/html, not an error box");
  assert.equal(nb.metadata.widgets, undefined, "no widget state is saved");
});

test("flamebook run: a failing cell stops the run with exit 1, its error, and a notebook marked failed", async () => {
  await ensureBuilt();
  const { dir, file } = await fixture([
    cell("code", "const a = 1;", ["parameters"]),
    cell("code", "function parse(s: string): number { if (!/^\\d+$/.test(s)) throw new RangeError(`not a count: ${s}`); return +s; }\nparse('12x')"),
    cell("code", "console.log('never runs')"),
  ]);
  const out = join(dir, "out.ipynb");
  const r = cli(["run", file, "--out", out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cell 2 of .*nb\.ipynb failed \(function parse/);
  assert.match(r.stderr, /RangeError: not a count: 12x/);
  assert.match(r.stderr, /The executed notebook, with the error, is .*out\.ipynb/);
  assert.doesNotMatch(r.stderr, /node:internal|tslab[\\/]dist/, "no internal stack frames");
  const nb = JSON.parse(await readFile(out, "utf8")) as { cells: { outputs: Json[]; execution_count: number | null }[]; metadata: Json };
  assert.equal((nb.metadata.flamebook as Json).status, "failed");
  assert.equal(nb.cells[1]!.outputs.at(-1)!.output_type, "error");
  assert.deepEqual(nb.cells[2]!.outputs, [], "cells after the failure did not run");
  assert.equal(nb.cells[2]!.execution_count, null);
});

test("flamebook run: bad parameters are refused before anything runs", async () => {
  const { dir, file } = await fixture(GOOD);
  const out = join(dir, "o.ipynb");
  const unknown = cli(["run", file, "-p", "rounds=3", "--out", out]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /does not declare "rounds"; it declares: n, label/);
  const typed = cli(["run", file, "-p", "n=abc", "--out", out]);
  assert.equal(typed.status, 1);
  assert.match(typed.stderr, /\(cell \d+, tagged "parameters"\) declares n as number, but -p n=abc gives a string/);
  const code = cli(["run", file, "-p", "n;process.exit(3)=1", "--out", out]);
  assert.equal(code.status, 1);
  assert.match(code.stderr, /bad parameter name/);
  assert.equal(existsSync(out), false);
  const missing = cli(["run", join(dir, "nope.ipynb")]);
  assert.match(missing.stderr, /cannot read the notebook .*nope\.ipynb: no such file/);
});

test("flamebook run: Ctrl-C stops the cell and its child processes, exits 130, and writes the notebook so far with the interrupted cell marked (like nbclient and papermill)", async () => {
  await ensureBuilt();
  const marker = `fb-run-sigint-${process.pid}`;
  const { dir, file } = await fixture([
    cell("code", "const x = 1;", ["parameters"]),
    cell("code", "console.log('first cell done');\nx + 41"),
    cell("code", `import { run } from 'flamebook/internals';\nconsole.log('started');\nawait run('sh', ['-c', 'sleep 60; echo ${marker}']);`),
    cell("code", "console.log('never runs');"),
  ]);
  const out = join(dir, "out.ipynb");
  const child = spawn(process.execPath, ["--import", "tsx", bin, "run", file, "--out", out], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // Wait until the sleep is running.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !spawnSync("pgrep", ["-f", marker]).stdout.toString().trim()) await new Promise((r) => setTimeout(r, 200));
  assert.ok(spawnSync("pgrep", ["-f", marker]).stdout.toString().trim(), `the cell's process started (stderr: ${stderr})`);
  const t0 = Date.now();
  child.kill("SIGINT");
  const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
  assert.equal(code, 130, stderr);
  assert.ok(Date.now() - t0 < 5000, "exits promptly");
  assert.match(stderr, /flamebook: interrupted: stopping the running cell and saving the notebook so far/);
  assert.match(stderr, new RegExp(`flamebook: interrupted: cell 3 \\(import \\{ run \\} from 'flamebook/internals';\\) was interrupted; the executed notebook so far, with the finished cells' outputs, is ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.`));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(spawnSync("pgrep", ["-f", marker]).stdout.toString().trim(), "", "no process of the cell is left");
  const nb = JSON.parse(readFileSync(out, "utf8")) as { metadata: { flamebook: { status: string } }; cells: { outputs: { output_type: string; text?: string | string[]; ename?: string; data?: Record<string, unknown> }[]; execution_count: number | null }[] };
  assert.equal(nb.metadata.flamebook.status, "interrupted");
  const text = (o: { text?: string | string[] }) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "");
  assert.ok(nb.cells[1]!.outputs.some((o) => text(o).includes("first cell done")), "the finished cell keeps its output");
  assert.ok(nb.cells[1]!.outputs.some((o) => o.output_type === "execute_result"), "and its result");
  assert.ok(nb.cells[2]!.outputs.some((o) => text(o).includes("started")), "the interrupted cell keeps what it printed");
  assert.equal(nb.cells[2]!.outputs.at(-1)!.output_type, "error", "the interrupted cell is marked");
  assert.deepEqual(nb.cells[3]!.outputs, [], "the cell after it did not run");
  assert.equal(nb.cells[3]!.execution_count, null);
});
