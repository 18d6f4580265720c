// The flamegraph widget through the real kernel and jupyter_client (Debian's /usr/bin/python3):
// comm_open with protocol 2.1 state and the tree as a binary buffer, the widget view in the
// execute_result, a front-end update reaching the kernel object, a kernel change reaching the
// front end, and request_state answered with the whole state.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { kernelSpec } from "../../src/cli/kernel-install.js";
import { installAnywidgetLabextension, npmAnywidgetVersion } from "../helpers/anywidget-labextension.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const PY = "/usr/bin/python3";
const missing = spawnSync(PY, ["-c", "import jupyter_client"]).status === 0 ? undefined : `${PY} lacks jupyter_client (apt install jupyter-client)`;
if (missing && process.env["CI"]) throw new Error(missing);
if (missing) console.log(`# skipping the widget comm test: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), "flamebook-comm-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("kernel + FlamegraphWidget: a comm round trip through jupyter_client", { skip: missing, timeout: 240_000 }, async () => {
  await ensureBuilt(); // cells import the CJS build
  const spec = join(dir, "kernels", "flamebook-comm");
  mkdirSync(spec, { recursive: true });
  // The kernel users get: the compiled dist/kernel/main.js, run by plain node.
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: kernelSpec().argv, display_name: "t", language: "typescript", interrupt_mode: "message" }));
  // A notebook directory whose node_modules has flamebook, as a user's project would.
  const cwd = join(dir, "project");
  mkdirSync(join(cwd, "node_modules"), { recursive: true });
  symlinkSync(root, join(cwd, "node_modules", "flamebook"), "dir");
  const profile = join(root, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
  // This Jupyter has anywidget (as pip installs it), so the kernel sends the live widget view.
  installAnywidgetLabextension(dir, npmAnywidgetVersion());
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: dir };
  delete env["FLAMEBOOK_WIDGETS"];
  const r = spawnSync(PY, [join(here, "widget_comm.py"), "flamebook-comm", cwd, profile], { env, encoding: "utf8", timeout: 200_000 });
  assert.equal(r.status, 0, `widget_comm.py failed:\n${r.stdout}\n${r.stderr}`);
  const steps = Object.fromEntries(
    r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>).map((o) => [o["step"], o]),
  ) as Record<string, Record<string, unknown>>;
  const show = steps["show"]!;
  assert.deepEqual(show["types"], ["status", "execute_input", "comm_open", "execute_result", "status"]);
  assert.equal(show["target"], "jupyter.widget");
  assert.deepEqual(show["metadata"], { version: "2.1.0" });
  assert.equal(show["model_module"], "anywidget");
  assert.match(String(show["model_module_version"]), /^~0\.9\.\*/, "the range of the anywidget found in JUPYTER_PATH");
  assert.equal(show["has_esm"], true);
  assert.equal(show["tree_is_null"], true);
  assert.deepEqual(show["buffer_paths"], [["tree"]]);
  assert.equal(show["buffers"], 1);
  assert.deepEqual(show["result_mimes"], ["application/vnd.jupyter.widget-view+json", "image/svg+xml", "text/html", "text/plain"]);
  assert.deepEqual(show["view"], { version_major: 2, version_minor: 1, model_id: show["comm_id"] });
  assert.match(String(steps["select"]!["selected"]), /name: 'wordfreq::main'/);
  assert.deepEqual(steps["update"]!["updates"], [{ method: "update", layout: "icicle" }]);
  assert.deepEqual(steps["request_state"], { step: "request_state", ok: true, buffers: 1 });
  // A model the front end opened is backed by the kernel and listed with the flamegraph.
  const id = String(show["comm_id"]);
  assert.deepEqual(steps["comm_info"], { step: "comm_info", ids: [id, "fe-model-1"].sort(), targets: ["jupyter.widget"] });
  // The control comm answers request_states with every model, the tree as a buffer under [id, "state", "tree"].
  const us = steps["update_states"]!;
  assert.equal(us["method"], "update_states");
  assert.deepEqual(us["ids"], [id, "fe-model-1"].sort());
  assert.deepEqual(us["names"], { [id]: "AnyModel", "fe-model-1": "IntModel" });
  assert.equal((us["modules"] as Record<string, string>)[id], "anywidget");
  assert.equal(us["fe_value"], 3);
  assert.equal(us["layout"], "icicle");
  assert.deepEqual(us["buffer_paths"], [[id, "state", "tree"]]);
  assert.equal((us["buffers"] as number[]).length, 1);
  assert.ok((us["buffers"] as number[])[0]! > 1000, "the packed tree travels as a buffer");
  assert.ok(Number(us["took_s"]) < 4, `update_states within the front ends' 4 s wait (took ${us["took_s"]} s)`);
});
