// Fault: the kernel is restarted while a cell runs an experiment (perf-profiled runs of a busy
// loop). Driven through jupyter_client (test/faults/kernel_restart.py) against the real kernel,
// twice: a graceful restart (shutdown_request with restart=true) and an immediate one (jupyter
// SIGKILLs the kernel's process group). Afterwards no program or perf process of the experiment
// is alive, the record left on disk is not complete ("running" is refused by experiment.load
// without allowIncomplete; "interrupted" loads marked as such), and the new kernel runs cells.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { experiment, MIMEBUNDLE } from "../../src/index.js";
import { readRecord } from "../../src/experiment/record.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { PY, goneWithin, jupyterUnavailable, liveWith, marker, perfUnavailable, skipUnless } from "./env.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const tmp = mkdtempSync(join(tmpdir(), "fbfault-kernel-"));
const children = new Set<number>();
after(() => {
  for (const pid of children) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

before(async () => {
  if (!jupyterUnavailable()) await ensureBuilt(); // cells import flamebook's CJS build
  const spec = join(tmp, "jupyter", "kernels", "flamebook-fault");
  mkdirSync(spec, { recursive: true });
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  writeFileSync(
    join(spec, "kernel.json"),
    JSON.stringify({ argv: [process.execPath, "--import", tsx, join(root, "kernel", "main.ts"), "{connection_file}"], display_name: "flamebook (fault test)", language: "typescript", interrupt_mode: "message" }),
  );
});

function drive(mode: string, tag: string, store: string): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env, JUPYTER_PATH: join(tmp, "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1", PYTHONUNBUFFERED: "1" };
  const child = spawn(PY, ["-Xfrozen_modules=off", join(here, "kernel_restart.py"), mode, tag, store], { cwd: tmp, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child.pid!);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((res) => child.on("close", (code) => (children.delete(child.pid!), res({ code, out, err }))));
}

for (const mode of ["shutdown", "kill"] as const) {
  test(`kernel restart (${mode === "shutdown" ? "shutdown_request restart=true" : "immediate: the kernel's group SIGKILLed"}) during an experiment: no process left, no complete-looking record`, { timeout: 120_000 }, async (t) => {
    if (skipUnless(t, jupyterUnavailable() ?? perfUnavailable())) return;
    const tag = marker(`kernel-${mode}`);
    const store = join(tmp, `store-${mode}`);
    const { code, out, err } = await drive(mode, tag, store);
    assert.equal(code, 0, `${out}\n${err}`);
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as { before: string[]; after: string[]; new_kernel: boolean; next_cell: string; restart_s: number };
    assert.ok(r.before.some((c) => c.startsWith("/bin/sh -c")), `the experiment's program was running before the restart: ${out}`);
    assert.ok(r.before.some((c) => c.startsWith("perf ")), `perf was running before the restart: ${out}`);
    assert.deepEqual(r.after, [], "the experiment's processes outlived the kernel");
    assert.ok(await goneWithin(tag, 2000), JSON.stringify(liveWith(tag)));
    assert.ok(r.new_kernel && r.next_cell === "ok", out);
    // The record on disk.
    const dir = join(store, "experiments");
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    assert.equal(files.length, 1, `one record: ${files.join(", ")}`);
    const path = join(dir, files[0]!);
    const rec = await readRecord(path, { allowIncomplete: true });
    assert.ok(rec.status === "running" || rec.status === "interrupted", `status ${rec.status}`);
    if (rec.status === "running") {
      await assert.rejects(experiment.load(path), (e: Error) => e.message.includes(path) && /was not finished/.test(e.message));
    } else {
      const loaded = await experiment.load(path);
      assert.match(String(loaded[MIMEBUNDLE]()["text/plain"]), /^\[interrupted\]/);
    }
    assert.equal((await experiment.load(path, { allowIncomplete: true })).record.status, rec.status);
    console.log(`${mode}: restart took ${r.restart_s} s; the record was left "${rec.status}" with ${rec.runs.length} runs`);
  });
}
