// Which live widget front end a kernel assumes: Jupyter's data path (jupyter_core's order), the
// Python that started the process (procfs), the anywidget labextensions found there, the version
// range they admit (checked against JupyterLab's own widget registry), and FLAMEBOOK_WIDGETS.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { anywidgetRange, detectWidgetFrontEnd, findAnywidget } from "../../src/widget/front-end.js";
import { jupyterDataPath } from "../../src/widget/jupyter-paths.js";
import { liveView } from "../../src/widget/live-view.js";
import { pythonAncestor, type ProcessReader } from "../../src/widget/python-prefix.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "fb-front-end-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A Jupyter data directory holding an anywidget labextension of `version` (as pip lays it out). */
function dataDir(name: string, version: string | null): string {
  const d = join(dir, name, "share", "jupyter");
  mkdirSync(join(d, "labextensions", "anywidget"), { recursive: true });
  if (version !== null) writeFileSync(join(d, "labextensions", "anywidget", "package.json"), JSON.stringify({ name: "anywidget", version, jupyterlab: {} }));
  return d;
}

const SYSTEM = ["/usr/local/share/jupyter", "/usr/share/jupyter"];

test("jupyterDataPath: jupyter_core's order for a system Python, a venv, a conda env and the environment variables", () => {
  const home = "/home/me";
  const user = "/home/me/.local/share/jupyter";
  assert.deepEqual(jupyterDataPath({ env: {}, home, platform: "linux", python: { prefix: "/usr", kind: "system", userSite: true } }), [user, ...SYSTEM], "/usr/share/jupyter is a system directory, not listed twice");
  const venv = { prefix: "/work/venv", kind: "venv" as const, userSite: false };
  assert.deepEqual(jupyterDataPath({ env: {}, home, platform: "linux", python: venv }), ["/work/venv/share/jupyter", user, ...SYSTEM], "a venv comes before the user directory (jupyter_core 5)");
  assert.deepEqual(jupyterDataPath({ env: { JUPYTER_PREFER_ENV_PATH: "0" }, home, platform: "linux", python: venv }), [user, "/work/venv/share/jupyter", ...SYSTEM], "JUPYTER_PREFER_ENV_PATH=0 puts the user first");
  assert.deepEqual(
    jupyterDataPath({ env: { JUPYTER_PATH: "/a:/b/", JUPYTER_DATA_DIR: "/data", PYTHONUSERBASE: "/ub" }, home, platform: "linux", python: { prefix: "/usr", kind: "system", userSite: true } }),
    ["/a", "/b", "/data", "/ub/share/jupyter", ...SYSTEM],
  );
  assert.deepEqual(jupyterDataPath({ env: { XDG_DATA_HOME: "/xdg", PYTHONNOUSERSITE: "1" }, home, platform: "linux" }), ["/xdg/jupyter", ...SYSTEM]);
  const conda = { prefix: "/opt/conda/envs/lab", kind: "conda" as const, userSite: true };
  assert.deepEqual(jupyterDataPath({ env: { CONDA_PREFIX: "/opt/conda/envs/lab", CONDA_DEFAULT_ENV: "lab" }, home, platform: "linux", python: conda }), ["/opt/conda/envs/lab/share/jupyter", user, ...SYSTEM]);
  assert.deepEqual(jupyterDataPath({ env: { CONDA_PREFIX: "/opt/conda", CONDA_DEFAULT_ENV: "base" }, home, platform: "linux", python: { ...conda, prefix: "/opt/conda" } }), [user, "/opt/conda/share/jupyter", ...SYSTEM], "conda's base env: user first");
  // No Python ancestor (VS Code, `flamebook run`): the activated environment stands in.
  assert.deepEqual(jupyterDataPath({ env: { VIRTUAL_ENV: "/v" }, home, platform: "linux" }), [user, "/v/share/jupyter", ...SYSTEM]);
  // …but a known Python wins over an activated environment that is not the one running Jupyter.
  assert.deepEqual(jupyterDataPath({ env: { VIRTUAL_ENV: "/other" }, home, platform: "linux", python: venv }), ["/work/venv/share/jupyter", user, ...SYSTEM]);
  assert.deepEqual(jupyterDataPath({ env: { JUPYTER_PLATFORM_DIRS: "1", XDG_DATA_DIRS: "/x:/y" }, home, platform: "linux" }), [user, "/x/jupyter", "/y/jupyter"]);
  assert.deepEqual(jupyterDataPath({ env: {}, home, platform: "darwin" }), ["/home/me/Library/Jupyter", user, ...SYSTEM]);
});

/** A fake process tree: pid → [argv, ppid, PATH?]. */
function tree(procs: Record<number, [string[], number, string?]>): ProcessReader {
  return {
    cmdline: (pid) => procs[pid]?.[0],
    ppid: (pid) => procs[pid]?.[1],
    environ: (pid) => (procs[pid]?.[2] ? { PATH: procs[pid]![2]! } : undefined),
    cwd: () => "/",
  };
}

test("pythonAncestor: the nearest Python up the process tree, by argv[0] (a venv's python unresolved)", () => {
  const venv = join(dir, "venv-a");
  mkdirSync(join(venv, "bin"), { recursive: true });
  writeFileSync(join(venv, "pyvenv.cfg"), "home = /usr/bin\ninclude-system-site-packages = true\n");
  writeFileSync(join(venv, "bin", "python3"), "");
  const server = tree({ 10: [["/bin/sh", "-c", "node kernel.js"], 9], 9: [[join(venv, "bin", "python3"), "-m", "jupyter_server"], 1] });
  const found = pythonAncestor(10, 4, server);
  assert.deepEqual(found && { prefix: found.prefix, kind: found.kind, userSite: found.userSite, pid: found.pid }, { prefix: venv, kind: "venv", userSite: true, pid: 9 }, "through a wrapper shell, include-system-site-packages read");
  // argv[0] "python3" is looked up on that process's PATH.
  const bare = pythonAncestor(20, 4, tree({ 20: [["python3", "-m", "jupyterlab"], 1, `/nowhere:${join(venv, "bin")}`] }));
  assert.equal(bare?.prefix, venv);
  assert.equal(pythonAncestor(30, 4, tree({ 30: [["/usr/bin/code"], 31], 31: [["/usr/lib/node"], 1] })), undefined, "no Python: VS Code, a shell");
  assert.equal(pythonAncestor(40, 2, tree({ 40: [["a"], 41], 41: [["b"], 42], 42: [["/usr/bin/python3"], 1] })), undefined, "only `levels` ancestors are looked at");
  assert.equal(pythonAncestor(50, 4, tree({ 50: [["/usr/bin/python3-config"], 1] })), undefined, "python3-config is not Python");
});

test("findAnywidget and anywidgetRange: the labextensions' minor lines, first found first; unreadable ones skipped", () => {
  const a = dataDir("a", "0.11.0");
  const b = dataDir("b", "0.9.18");
  const bad = dataDir("bad", null);
  writeFileSync(join(bad, "labextensions", "anywidget", "package.json"), "{ not json");
  const found = findAnywidget([join(dir, "missing"), bad, a, b, dataDir("c", "0.11.2")]);
  assert.deepEqual(found.map((f) => f.version), ["0.11.0", "0.9.18", "0.11.2"]);
  assert.equal(anywidgetRange(found), "~0.11.*||~0.9.*");
  assert.equal(anywidgetRange(found.slice(0, 1)), "~0.11.*");
  assert.equal(anywidgetRange([]), null);
});

test("anywidgetRange: JupyterLab's widget registry (jupyterlab-manager's SemVerCache) finds the registered anywidget with it", async () => {
  const { SemVerCache } = (await import(pathToFileURL(join(root, "node_modules/@jupyter-widgets/jupyterlab-manager/lib/semvercache.js")).href)) as {
    SemVerCache: new () => { set(k: string, v: string, o: unknown): void; get(k: string, r: string): unknown };
  };
  for (const [registered, ranges, refused] of [
    ["0.9.18", ["~0.9.*", "~0.11.*||~0.9.*", "~0.9.*||~0.11.*"], ["~0.11.*", "~0.10.*"]],
    ["0.11.0", ["~0.11.*", "~0.11.*||~0.9.*", "~0.9.*||~0.11.*"], ["~0.9.*"]],
    ["0.10.3", ["~0.10.*"], ["~0.9.*||~0.11.*"]],
  ] as const) {
    const cache = new SemVerCache();
    const exports = { AnyModel: registered };
    cache.set("anywidget", registered, exports);
    for (const r of ranges) assert.equal(cache.get("anywidget", r), exports, `${r} admits ${registered}`);
    for (const r of refused) assert.equal(cache.get("anywidget", r), undefined, `${r} refuses ${registered} (the error box)`);
    const own = anywidgetRange([{ dir: "/d", version: registered }])!;
    assert.equal(cache.get("anywidget", own), exports, `the range of anywidget ${registered} itself (${own})`);
  }
});

test("detectWidgetFrontEnd: FLAMEBOOK_WIDGETS none / anywidget / anywidget@range / auto", () => {
  const clean = { HOME: dir, JUPYTER_DATA_DIR: join(dir, "empty"), PYTHONNOUSERSITE: "1" };
  assert.deepEqual(detectWidgetFrontEnd({ ...clean, FLAMEBOOK_WIDGETS: "none", JUPYTER_PATH: dataDir("n", "0.9.18") }), { anywidget: null, reason: "FLAMEBOOK_WIDGETS=none" });
  assert.equal(detectWidgetFrontEnd({ ...clean, FLAMEBOOK_WIDGETS: "anywidget@~0.10.*" }).anywidget, "~0.10.*");
  const found = detectWidgetFrontEnd({ ...clean, JUPYTER_PATH: dataDir("p", "0.11.0") });
  assert.match(String(found.anywidget), /^~0\.11\.\*($|\|\|)/, "JUPYTER_PATH first (a system-wide anywidget may follow)");
  assert.match(found.reason, /anywidget 0\.11\.0 in .*\/p\/share\/jupyter/);
  assert.match(String(detectWidgetFrontEnd({ ...clean, FLAMEBOOK_WIDGETS: "anywidget", JUPYTER_PATH: dataDir("q", "0.11.0") }).anywidget), /^~0\.11\.\*/);
  const typo = detectWidgetFrontEnd({ ...clean, FLAMEBOOK_WIDGETS: "yes", JUPYTER_PATH: dataDir("r", "0.9.18") });
  assert.match(String(typo.anywidget), /^~0\.9\.\*/, "an unknown value detects");
  assert.match(typo.reason, /FLAMEBOOK_WIDGETS=yes is not auto, none, anywidget or anywidget@<range>/);
});

test("liveView: a widget view only with comms and a front end that loads it", () => {
  let asked = 0;
  const fe = (anywidget: string | null) => () => (asked++, { anywidget, reason: "" });
  assert.deepEqual(liveView(true, fe("~0.11.*")), { anywidgetVersion: "~0.11.*" });
  assert.equal(liveView(true, fe(null)), null);
  asked = 0;
  assert.equal(liveView(false, fe("~0.11.*")), null);
  assert.equal(asked, 0, "without comms the front end is not even looked for");
});

const PY = "/usr/bin/python3";
const noVenv = spawnSync(PY, ["-c", "import venv"]).status === 0 ? undefined : `${PY} with venv is missing (apt install python3-venv)`;
if (noVenv && process.env["CI"]) throw new Error(noVenv);

test("detectWidgetFrontEnd in a real process tree: a venv's python starts node; the venv's share/jupyter is found", { skip: noVenv }, () => {
  const venv = join(dir, "venv");
  const made = spawnSync(PY, ["-m", "venv", "--without-pip", "--system-site-packages", venv], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  mkdirSync(join(venv, "share", "jupyter", "labextensions", "anywidget"), { recursive: true });
  writeFileSync(join(venv, "share", "jupyter", "labextensions", "anywidget", "package.json"), JSON.stringify({ name: "anywidget", version: "0.11.0" }));
  const script = `import { detectWidgetFrontEnd } from ${JSON.stringify(pathToFileURL(join(root, "src/widget/front-end.ts")).href)}; console.log(JSON.stringify(detectWidgetFrontEnd()));`;
  const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", script];
  // A hermetic environment: no user or activated anywidget can be found.
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, JUPYTER_DATA_DIR: join(dir, "empty"), PYTHONNOUSERSITE: "1" };
  const viaPython = spawnSync(join(venv, "bin", "python"), ["-c", "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)", ...node], { cwd: root, env, encoding: "utf8" });
  assert.equal(viaPython.status, 0, viaPython.stderr);
  const fe = JSON.parse(viaPython.stdout) as { anywidget: string | null; reason: string };
  assert.match(String(fe.anywidget), /^~0\.11\.\*/, fe.reason);
  assert.ok(fe.reason.includes(join(venv, "bin", "python")), `found through the parent's argv[0], not the resolved /usr/bin/python3: ${fe.reason}`);
  const direct = spawnSync(node[0]!, node.slice(1), { cwd: root, env, encoding: "utf8" });
  assert.equal(direct.status, 0, direct.stderr);
  const other = JSON.parse(direct.stdout) as { anywidget: string | null; reason: string };
  assert.ok(!other.reason.includes(venv) && !String(other.anywidget).includes("0.11"), `started by this test (node), the venv is not the Jupyter: ${other.reason}`);
});
