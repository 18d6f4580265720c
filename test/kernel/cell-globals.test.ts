// The cells' `display` / `clearOutput` globals and cell error positions end to end: through the
// in-process kernel (`flamebook run`) and through nbclient driving the real kernel (Debian's
// /usr/bin/python3, execute_notebook.py).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createInProcessKernel } from "../../kernel/in-process.js";
import type { Output } from "../../src/notebook/nbformat.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const PY = "/usr/bin/python3";
const dir = mkdtempSync(join(tmpdir(), "flamebook-globals-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const text = (v: unknown): string => (Array.isArray(v) ? v.join("") : String(v ?? ""));

test("flamebook run (in-process kernel): display.*, display.update and clearOutput are globals; errors at cell positions", async () => {
  await ensureBuilt();
  const k = createInProcessKernel({ rootDir: dir });
  try {
    const html: Output[] = [];
    assert.equal((await k.execute('display.html("<b>hi</b>")', html)).status, "ok");
    assert.deepEqual(html.map((o) => [o.output_type, text((o as { data?: Record<string, unknown> }).data?.["text/html"])]), [["display_data", "<b>hi</b>"]]);

    const updated: Output[] = [];
    const r = await k.execute('const h = display("one");\ndisplay.update(h.id, "two");\nconsole.log("gone");\nclearOutput();\ndisplay.markdown("*after*")', updated);
    assert.equal(r.status, "ok", JSON.stringify(r));
    assert.deepEqual(updated.map((o) => o.output_type), ["display_data"], "clear_output removed the earlier outputs");
    assert.equal(text((updated[0] as { data: Record<string, unknown> }).data["text/markdown"]), "*after*");

    const failed = await k.execute('throw new Error("x")', []);
    assert.equal(failed.status, "error");
    const tb = failed.error!.traceback.join("\n");
    assert.match(tb, new RegExp(`at In\\[${failed.executionCount}\\]:1:7`), tb);
  } finally {
    k.close();
  }
});

function nbclientMissing(): string | undefined {
  const py = spawnSync(PY, ["-c", "import nbclient, nbformat"], { encoding: "utf8" });
  return py.status === 0 ? undefined : `${PY} lacks nbclient (apt install python3-nbclient)`;
}
const missing = nbclientMissing();
if (missing && process.env["CI"]) throw new Error(missing);

test("nbclient: a notebook using the bare globals executes, with clear_output applied", { skip: missing, timeout: 180_000 }, async () => {
  await ensureBuilt();
  const jupyterPath = join(dir, "jupyter");
  mkdirSync(join(jupyterPath, "kernels", "flamebook-globals"), { recursive: true });
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  writeFileSync(
    join(jupyterPath, "kernels", "flamebook-globals", "kernel.json"),
    JSON.stringify({ argv: [process.execPath, "--import", tsx, join(root, "kernel", "main.ts"), "{connection_file}"], display_name: "flamebook (globals test)", language: "typescript", interrupt_mode: "message" }),
  );
  const cell = (source: string, i: number) => ({ cell_type: "code", id: `c${i}`, source, metadata: {}, outputs: [], execution_count: null });
  const cells = ['display.html("<b>hi</b>")', 'console.log("soon cleared");\nclearOutput();\ndisplay.markdown("*kept*")', 'const h = display("v1");\nh.update("v2")'];
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "flamebook-globals", display_name: "flamebook", language: "typescript" } }, cells: cells.map(cell) };
  const src = join(dir, "globals.ipynb");
  const out = join(dir, "globals.out.ipynb");
  writeFileSync(src, JSON.stringify(nb));
  const run = spawnSync(PY, [join(here, "execute_notebook.py"), "flamebook-globals", src, out, dir], {
    encoding: "utf8",
    env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    timeout: 170_000,
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const done = JSON.parse(readFileSync(out, "utf8")) as { cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[] };
  const [c1, c2, c3] = done.cells.map((c) => c.outputs);
  assert.deepEqual(c1!.map((o) => [o.output_type, text(o.data?.["text/html"])]), [["display_data", "<b>hi</b>"]]);
  assert.deepEqual(c2!.map((o) => [o.output_type, text(o.data?.["text/markdown"])]), [["display_data", "*kept*"]]);
  assert.deepEqual(c3!.map((o) => [o.output_type, text(o.data?.["text/plain"])]), [["display_data", "v2"]], "the update replaced the output in place");
});
