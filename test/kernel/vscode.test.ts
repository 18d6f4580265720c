// kernel/vscode.ts: a kernel that VS Code's Jupyter extension started sends no widget view (VS Code
// would need a CDN to load anywidget for it), so a flamegraph shows its text/html there. Unit tests
// of the detection, then the real kernel through jupyter_client with and without VS Code's
// extension-host environment, in a Jupyter that has anywidget.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startedByVsCode, vscodeWidgetFrontEnd } from "../../kernel/vscode.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { installAnywidgetLabextension, npmAnywidgetVersion } from "../helpers/anywidget-labextension.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const PY = "/usr/bin/python3";
const EXT_HOST = "vs/workbench/api/node/extensionHostProcess";

test("startedByVsCode: the extension host's entry point, in each spelling VS Code has used", () => {
  assert.equal(startedByVsCode({ VSCODE_ESM_ENTRYPOINT: EXT_HOST }), true);
  assert.equal(startedByVsCode({ VSCODE_AMD_ENTRYPOINT: EXT_HOST }), true);
  assert.equal(startedByVsCode({ VSCODE_AMD_ENTRYPOINT: "vs/workbench/services/extensions/node/extensionHostProcess" }), true);
  assert.equal(startedByVsCode({}), false);
  assert.equal(startedByVsCode({ TERM_PROGRAM: "vscode", VSCODE_IPC_HOOK_CLI: "/run/user/1000/vscode-ipc.sock" }), false, "a terminal inside VS Code");
  assert.equal(startedByVsCode({ VSCODE_ESM_ENTRYPOINT: "vs/platform/terminal/node/ptyHostMain" }), false, "another VS Code process");
  assert.equal(startedByVsCode({ VSCODE_ESM_ENTRYPOINT: "my-extensionHostProcess" }), false);
});

test("vscodeWidgetFrontEnd: no widget view under VS Code unless FLAMEBOOK_WIDGETS chooses", () => {
  const fe = vscodeWidgetFrontEnd({ VSCODE_ESM_ENTRYPOINT: EXT_HOST });
  assert.equal(fe?.anywidget, null);
  assert.match(fe!.reason, /VS Code.*CDN.*jupyter\.widgetScriptSources.*FLAMEBOOK_WIDGETS=anywidget/);
  assert.equal(vscodeWidgetFrontEnd({ VSCODE_ESM_ENTRYPOINT: EXT_HOST, FLAMEBOOK_WIDGETS: " auto " })?.anywidget, null);
  assert.equal(vscodeWidgetFrontEnd({ VSCODE_ESM_ENTRYPOINT: EXT_HOST, FLAMEBOOK_WIDGETS: "anywidget" }), null, "the user's choice: the usual detection decides");
  assert.equal(vscodeWidgetFrontEnd({ VSCODE_ESM_ENTRYPOINT: EXT_HOST, FLAMEBOOK_WIDGETS: "none" }), null);
  assert.equal(vscodeWidgetFrontEnd({ FLAMEBOOK_WIDGETS: "auto" }), null, "not VS Code");
});

const missing = spawnSync(PY, ["-c", "import jupyter_client"]).status === 0 ? undefined : `${PY} lacks jupyter_client (apt install jupyter-client)`;
if (missing && process.env["CI"]) throw new Error(missing);

/** Starts the kernel with `env`, shows a flamegraph, prints the message types and the result's mimetypes. */
const SHOW = `
import json, sys
from jupyter_client.manager import start_new_kernel
name, cwd, profile = sys.argv[1:4]
km, kc = start_new_kernel(kernel_name=name, startup_timeout=90, cwd=cwd)
try:
    msg_id = kc.execute(f'import {{ open }} from "flamebook";\\n(await open({json.dumps(profile)})).flamegraph()')
    types, data = [], {}
    while True:
        m = kc.get_iopub_msg(timeout=90)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        types.append(m["msg_type"])
        if m["msg_type"] == "execute_result":
            data = m["content"]["data"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    print(json.dumps({"types": types, "mimes": sorted(data), "picture": 'src="data:image/svg+xml;base64,' in data.get("text/html", "")}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`;

test("kernel started by VS Code: a flamegraph is its text/html (with the picture), no comm, though this Jupyter has anywidget", { skip: missing, timeout: 300_000 }, async () => {
  await ensureBuilt(); // cells import the CJS build
  const dir = mkdtempSync(join(tmpdir(), "flamebook-vscode-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const spec = join(dir, "kernels", "flamebook-vscode");
  mkdirSync(spec, { recursive: true });
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, "--import", tsx, join(root, "kernel", "main.ts"), "{connection_file}"], display_name: "t", language: "typescript", interrupt_mode: "message" }));
  const cwd = join(dir, "project");
  mkdirSync(join(cwd, "node_modules"), { recursive: true });
  symlinkSync(root, join(cwd, "node_modules", "flamebook"), "dir");
  installAnywidgetLabextension(dir, npmAnywidgetVersion());
  const profile = join(root, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
  const show = (extra: Record<string, string>) => {
    const env: Record<string, string | undefined> = { ...process.env, JUPYTER_PATH: dir, ...extra };
    for (const k of ["FLAMEBOOK_WIDGETS", "VSCODE_ESM_ENTRYPOINT", "VSCODE_AMD_ENTRYPOINT"]) if (!(k in extra)) delete env[k];
    const r = spawnSync(PY, ["-c", SHOW, "flamebook-vscode", cwd, profile], { env, encoding: "utf8", timeout: 200_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    return { ...(JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { types: string[]; mimes: string[]; picture: boolean }), stderr: r.stderr };
  };
  const vscode = show({ VSCODE_ESM_ENTRYPOINT: EXT_HOST });
  assert.deepEqual(vscode.types, ["status", "execute_input", "execute_result", "status"], "no comm_open");
  assert.deepEqual(vscode.mimes, ["image/svg+xml", "text/html", "text/plain"]);
  assert.equal(vscode.picture, true, "the text/html holds the static picture");
  const lab = show({});
  assert.ok(lab.types.includes("comm_open"), `outside VS Code the same Jupyter gets the live widget: ${lab.types.join(", ")}`);
  assert.ok(lab.mimes.includes("application/vnd.jupyter.widget-view+json"));
  const chosen = show({ VSCODE_ESM_ENTRYPOINT: EXT_HOST, FLAMEBOOK_WIDGETS: "anywidget" });
  assert.ok(chosen.mimes.includes("application/vnd.jupyter.widget-view+json"), "FLAMEBOOK_WIDGETS=anywidget asks for the live widget in VS Code too");
});
