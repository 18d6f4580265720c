// flamebook in a real JupyterLab notebook, in the four setups users have (flamebook issue 15):
//
//   | JupyterLab                              | the flamegraph output must be           |
//   | no widget manager (plain JupyterLab)    | the interactive text/html               |
//   | ipywidgets, no anywidget                | the interactive text/html (no error box) |
//   | ipywidgets + anywidget 0.9.18, in a venv | the live widget                         |
//   | ipywidgets + anywidget 0.11.0, in a venv | the live widget                         |
//
// The page is JupyterLab itself, bundled from npm (test/kernel/lab/): `JupyterLab` + `LabShell`, the
// full `NotebookPanel` (@jupyterlab/notebook, docmanager, rendermime, codemirror 4.6), and per case
// the real @jupyter-widgets/jupyterlab-manager 5.0.16 plugins and anywidget's plugin, activated by
// JupyterLab's plugin system. Debian's jupyter_server serves the page and starts the installed
// flamebook kernelspec, run by /usr/bin/python3 or by a venv's python whose share/jupyter holds the
// anywidget labextension (as `pip install anywidget` lays it out). Headless Chromium runs a
// notebook: a flamegraph from open(), the click read back through fg.widget().selected, a change
// through fg.widget().update(), console.log/console.error, a failing cell. Everything is checked by
// what the user sees: DOM text and canvas pixels; nothing may leave 127.0.0.1. Screenshots go to
// test-artifacts/jupyterlab-<case>.png. A last, control cell forces a widget view past detection
// where anywidget cannot load it, and must show exactly the error box the detection prevents.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import { installKernelSpec } from "../../src/cli/kernel-install.js";
import { findAnywidget } from "../../src/widget/front-end.js";
import { installAnywidgetLabextension } from "../helpers/anywidget-labextension.js";
import { chromiumMissing, launchChromium } from "../helpers/browser.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { bundleLab, type LabFrontEnd } from "./lab/bundle.js";
import type { CellRan } from "./lab/page.js";
import { startJupyterServer, type JupyterServer } from "./lab/server.js";
import { pidsWith } from "../helpers/processes.js";
import { canvasPixels } from "../widgets/hosts/serve.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const PY = "/usr/bin/python3";
const KERNEL = "flamebook";
const ARTIFACTS = join(root, "test-artifacts");
const PROFILE = join(root, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
/** Requests of JupyterLab 4.6 that jupyter_server 1.23 does not serve (it answers 404). */
const SERVER_1_23 = /\/api\/me\b|\/api\/events\/subscribe\b/;
/** What an error box says (jupyterlab-manager's error view and renderer). */
const ERROR_BOX = /Click to show javascript error|Failed to load model class|is not registered|Error displaying widget|Could not create a view/;

function whyMissing(): string | null {
  const py = spawnSync(PY, ["-c", "import jupyter_server, venv"], { encoding: "utf8" });
  if (py.status !== 0) return `${PY} lacks jupyter_server or venv (apt install python3-jupyter-server python3-venv)`;
  const system = findAnywidget(["/usr/local/share/jupyter", "/usr/share/jupyter"]);
  if (system.length) return `this machine has anywidget installed system-wide (${system.map((f) => f.dir).join(", ")}), so no JupyterLab here is without it`;
  return chromiumMissing();
}
const missing = whyMissing();
if (missing && process.env["CI"]) throw new Error(missing);
if (missing) console.log(`# skipping the JupyterLab notebook test: ${missing}`);

/** One setup: what the lab has, which Python runs Jupyter, and what the user must see. */
interface Case {
  name: string;
  title: string;
  fe: LabFrontEnd;
  /** "system": /usr/bin/python3 (kernelspec in the user data dir); "venv": a venv's python (kernelspec and labextensions in the venv). */
  python: "system" | "venv";
  live: boolean;
  /** The error box a widget view forced past detection shows here (the control cell), or null (no widget manager: text/html). */
  control: RegExp | null;
}

const CASES: Case[] = [
  { name: "plain", title: "JupyterLab without a widget manager", fe: { manager: false }, python: "system", live: false, control: null },
  { name: "ipywidgets", title: "ipywidgets, no anywidget (venv)", fe: { manager: true }, python: "venv", live: false, control: /Failed to load model class 'AnyModel' from module 'anywidget'[\s\S]*No version of module anywidget is registered/ },
  { name: "anywidget-0.9", title: "ipywidgets + anywidget 0.9.18 (venv)", fe: { manager: true, anywidget: "anywidget" }, python: "venv", live: true, control: /version ~0\.1\.\* is not registered, however,\s+0\.9\.18 is/ },
  { name: "anywidget-0.11", title: "ipywidgets + anywidget 0.11.0 (venv)", fe: { manager: true, anywidget: "anywidget-0-11" }, python: "venv", live: true, control: /version ~0\.9\.\* is not registered, however,\s+0\.11\.0 is/ },
];

const code = (source: string) => ({ cell_type: "code", id: randomBytes(4).toString("hex"), metadata: {}, source, outputs: [], execution_count: null });

/** The notebook every case runs. The control cell (last) forces `range` past detection. */
function notebook(range: string): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: KERNEL, display_name: "TypeScript (flamebook)", language: "typescript" }, language_info: { name: "typescript" } },
      cells: [
        code(`import { open } from "flamebook";\nconst p = await open(${JSON.stringify(PROFILE)});\nconst fg = p.flamegraph();\nfg`),
        code('fg.widget().selected ?? "no selection"'),
        code('fg.widget().update({ layout: "icicle", search: "to_string" })'),
        code('console.log(`to stdout: ${p.totalWeight()} samples`);\nconsole.error("to stderr: a warning");'),
        code('throw new RangeError("this cell fails on purpose");'),
        code(`import { setWidgetFrontEnd } from "flamebook/internals";\nsetWidgetFrontEnd({ anywidget: ${JSON.stringify(range)}, reason: "control: forced past detection" });\np.flamegraph()`),
      ],
    },
    null,
    1,
  );
}

const work = mkdtempSync(join(tmpdir(), "flamebook-lab-"));
let browser: Browser | undefined;
const bundles = new Map<string, Promise<{ js: string; css: string; anywidgetVersion: string | null }>>();
const servers: JupyterServer[] = [];

before(() => {
  if (missing) return;
  // Bundling takes a few seconds each: start them all at once, with the build cells import.
  for (const c of CASES) bundles.set(c.name, bundleLab(c.fe));
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
  // Kernels started here: their connection files are in the cases' runtime directories.
  const left = pidsWith([join(work, "/"), "/runtime/kernel-"]);
  for (const pid of left) process.kill(pid, "SIGKILL");
  rmSync(work, { recursive: true, force: true });
  if (left.length) throw new Error(`kernel processes were left running (killed now): ${left.join(", ")}`);
});

/** Canvas pixels unlike the background, and a hash of all pixels, of one flamegraph canvas. */
const canvasSummary = (canvas: Locator) => canvas.evaluate(canvasPixels);

/** Waits until a flamegraph canvas is drawn (more than 2000 pixels of ink); returns its summary. */
async function drawn(page: Page, canvas: Locator, what: string): Promise<{ ink: number; hash: number }> {
  await canvas.waitFor({ state: "attached", timeout: 30_000 });
  let s = await canvasSummary(canvas);
  for (let i = 0; i < 100 && s.ink <= 2000; i++) s = await page.waitForTimeout(100).then(() => canvasSummary(canvas));
  assert.ok(s.ink > 2000, `${what}: the flamegraph is drawn (${s.ink} pixels of ink)`);
  return s;
}

/** The tooltip at (x, y) over a flamegraph inside `output`: its title and the frame's share of all ("" and 0 when none shows). */
async function hoverTip(page: Page, output: Locator, x: number, y: number): Promise<{ title: string; share: number }> {
  await page.mouse.move(x - 1, y);
  await page.mouse.move(x, y);
  return output.evaluate((el) => {
    const tip = el.querySelector<HTMLElement>(".fb-tip");
    if (!tip || tip.hidden) return { title: "", share: 0 };
    const total = tip.querySelector(".fb-tip-v")?.textContent ?? "";
    return { title: tip.querySelector(".fb-tip-title")?.textContent ?? "", share: Number(/([\d.]+)% of all/.exec(total)?.[1] ?? 0) };
  });
}

const cellOutputs = (page: Page, i: number) => page.locator(`[data-fb-cell="${i}"] .jp-OutputArea-output`);
const cellText = async (page: Page, i: number) => (await cellOutputs(page, i).allInnerTexts()).join("\n");

/** The kernel's entry file, as the kernelspec in `specDir` runs it (its processes are found by it). */
function kernelEntryOf(specDir: string): string {
  const argv = (JSON.parse(readFileSync(join(specDir, "kernel.json"), "utf8")) as { argv: string[] }).argv;
  return argv[argv.indexOf("{connection_file}") - 1]!;
}

/** Creates the Python environment of a case and installs the kernelspec as a user would; returns the server's Python and environment. */
function setUp(c: Case, dir: string, labextensionVersion: string | null): { python: string; env: NodeJS.ProcessEnv; kernelEntry: string } {
  const { FLAMEBOOK_WIDGETS: _a, JUPYTER_PATH: _b, VIRTUAL_ENV: _c, CONDA_PREFIX: _d, JUPYTER_PREFER_ENV_PATH: _e, ...inherited } = process.env;
  // Nothing from this machine's user directories: an empty user data dir and Python user base.
  const env: NodeJS.ProcessEnv = { ...inherited, JUPYTER_DATA_DIR: join(dir, "user-data"), PYTHONUSERBASE: join(dir, "user-base"), JUPYTER_RUNTIME_DIR: join(dir, "runtime") };
  if (c.python === "system") {
    // `flamebook kernel install --user` with JUPYTER_DATA_DIR set.
    const spec = installKernelSpec({ prefix: join(dir, "user-prefix"), name: KERNEL });
    env["JUPYTER_DATA_DIR"] = join(dir, "user-prefix", "share", "jupyter");
    assert.equal(labextensionVersion, null, "a system-Python case has no anywidget");
    return { python: PY, env, kernelEntry: kernelEntryOf(spec) };
  }
  const venv = join(dir, "venv");
  const made = spawnSync(PY, ["-m", "venv", "--without-pip", "--system-site-packages", venv], { encoding: "utf8" });
  assert.equal(made.status, 0, `python3 -m venv: ${made.stderr}`);
  // `flamebook kernel install --prefix $VIRTUAL_ENV`, and `pip install anywidget` into the venv.
  const spec = installKernelSpec({ prefix: venv, name: KERNEL });
  if (labextensionVersion) installAnywidgetLabextension(join(venv, "share", "jupyter"), labextensionVersion);
  return { python: join(venv, "bin", "python"), env, kernelEntry: kernelEntryOf(spec) };
}

for (const c of CASES) {
  test(`JupyterLab notebook, ${c.title}: ${c.live ? "the live widget" : "the interactive text/html"}, never an error box`, { skip: missing ?? undefined, timeout: 180_000 }, async () => {
    const t0 = Date.now();
    const lap = (what: string) => console.log(`${c.name}: ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const dir = join(work, c.name);
    const project = join(dir, "project");
    const staticDir = join(dir, "static");
    // The notebook directory is a project whose node_modules has flamebook (as in the other kernel tests).
    mkdirSync(join(project, "node_modules"), { recursive: true });
    symlinkSync(root, join(project, "node_modules", "flamebook"), "dir");
    mkdirSync(join(staticDir, "flamebook-lab"), { recursive: true });
    const [, page$] = await Promise.all([ensureBuilt(), bundles.get(c.name)!]);
    const { js, css, anywidgetVersion } = page$;
    const { python, env, kernelEntry } = setUp(c, dir, anywidgetVersion);
    const kernels = () => pidsWith([kernelEntry, dir]);
    // The control cell asks for a version this lab cannot load (anywidget 0.1 where one is registered).
    writeFileSync(join(project, "flamebook.ipynb"), notebook(anywidgetVersion?.startsWith("0.9.") ? "~0.1.*" : "~0.9.*"));
    const token = randomBytes(24).toString("hex");
    const server = await startJupyterServer({ python, env, configDir: join(dir, "config"), rootDir: project, staticDir, token, debug: !!process.env["LAB_DEBUG"] });
    servers.push(server);
    const origin = new URL(server.url).host;
    // The page, as jupyter_server serves JupyterLab's: the page config first, then the bundle.
    const config = { baseUrl: "/", wsUrl: server.url.replace(/^http/, "ws") + "/", token, appName: "JupyterLab", appVersion: "4.6.6", terminalsAvailable: "False", notebookStartsKernel: true };
    writeFileSync(join(staticDir, "flamebook-lab", "page.js"), js);
    writeFileSync(join(staticDir, "flamebook-lab", "page.css"), css);
    writeFileSync(
      join(staticDir, "flamebook-lab", "index.html"),
      `<!doctype html><html><head><meta charset="utf-8"><title>JupyterLab</title><script id="jupyter-config-data" type="application/json">${JSON.stringify(config)}</script><link rel="stylesheet" href="page.css"></head><body><script src="page.js"></script></body></html>`,
    );
    lap("server up");

    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
    const refused: string[] = [];
    const sockets: string[] = [];
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.protocol === "data:" || u.protocol === "blob:" || u.host === origin) return route.continue();
      refused.push(u.href);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const serverMismatch: string[] = [];
    page.on("pageerror", (e) => errors.push(`pageerror: ${String(e)}`));
    page.on("console", (m) => {
      // JupyterLab 4.6 asks for /api/me and /api/events/subscribe, which jupyter_server 2 added;
      // Debian's 1.23 answers 404. Those errors are the lab's and the server's, kept apart.
      if (m.type() === "error" && SERVER_1_23.test(`${m.text()} ${m.location().url}`)) serverMismatch.push(m.text());
      else if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
      if (process.env["LAB_DEBUG"]) console.error(`[page ${m.type()}] ${m.text()}`);
    });
    page.on("websocket", (ws) => sockets.push(ws.url().replace(token, "<token>")));
    try {
      await runNotebook(c, page, server, { dir, errors, serverMismatch, refused, sockets, origin, t0, kernels });
    } catch (e) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `jupyterlab-${c.name}-failed.png`) }).catch(() => undefined);
      const seen = await page
        .evaluate(() => ({
          cells: document.querySelectorAll(".jp-Cell").length,
          outputs: [...document.querySelectorAll(".jp-OutputArea-output")].map((o) => `${o.getAttribute("data-mime-type") ?? o.className}: ${(o as HTMLElement).innerText.slice(0, 200)}`),
          notebook: JSON.stringify(document.querySelector(".jp-NotebookPanel")?.getBoundingClientRect() ?? null),
        }))
        .catch((x: unknown) => String(x));
      console.log(`${c.name}: on failure the page had ${JSON.stringify(seen, null, 1)}\nconsole errors: ${errors.join("\n")}`);
      throw e;
    } finally {
      await context.close();
      await server.stop();
    }
    for (let i = 0; i < 50 && kernels().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(kernels(), [], "the kernel stopped with the server");
  });
}

/** Opens the notebook in the lab page and runs and checks every cell. */
async function runNotebook(c: Case, page: Page, server: JupyterServer, o: { dir: string; errors: string[]; serverMismatch: string[]; refused: string[]; sockets: string[]; origin: string; t0: number; kernels: () => number[] }): Promise<void> {
    const { errors, refused, sockets, origin, t0 } = o;
    const lap = (what: string) => console.log(`${c.name}: ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await page.goto(`${server.url}/static/flamebook-lab/index.html`);
    await page.waitForFunction(() => "lab" in window || "labError" in window, undefined, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { labError?: string }).labError), undefined);
    type Lab = { lab: { plugins(): string[]; open(p: string, k: string): Promise<string>; run(i: number): Promise<CellRan>; markCells(): number; shutdown(): Promise<void> } };
    const plugins = await page.evaluate(() => (window as unknown as Lab).lab.plugins());
    assert.equal(plugins.includes("@jupyter-widgets/jupyterlab-manager:plugin"), c.fe.manager, `the widget manager is ${c.fe.manager ? "" : "not "}active: ${plugins.join(", ")}`);
    assert.equal(plugins.includes("anywidget:plugin"), !!c.fe.anywidget, "anywidget's plugin");
    const implementation = await page.evaluate((k) => (window as unknown as Lab).lab.open("flamebook.ipynb", k), KERNEL);
    assert.equal(implementation, "flamebook");
    assert.equal(o.kernels().length, 1, "the kernel process is found by its command line (so the check that it stops is real)");
    assert.equal(await page.evaluate(() => (window as unknown as Lab).lab.markCells()), 6);
    lap("kernel started");
    const run = (i: number) => page.evaluate((n) => (window as unknown as Lab).lab.run(n), i);

    // Cell 1: the flamegraph. Live: inside the widget view; otherwise: the text/html output.
    const r0 = await run(0);
    assert.equal(r0.ok, true, `cell 1 ran: ${await cellText(page, 0)}`);
    const out0 = cellOutputs(page, 0).first();
    await page.locator('[data-fb-cell="0"]').locator("canvas.fb-canvas, .jupyter-widgets-error-widget").first().waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await cellText(page, 0), ERROR_BOX, "cell 1 shows no error box");
    const canvas = out0.locator("canvas.fb-canvas");
    const first = await drawn(page, canvas, "cell 1");
    assert.equal(await cellOutputs(page, 0).count(), 1, "one output");
    const inHtml = await out0.evaluate((el) => el.querySelector(".jp-RenderedHTMLCommon canvas.fb-canvas") !== null);
    assert.equal(inHtml, !c.live, c.live ? "drawn by the widget view (not the text/html fallback)" : "drawn by the text/html output");
    assert.doesNotMatch(await page.locator("body").innerText(), ERROR_BOX, "no error box");
    lap(`cell 1 drawn (${first.ink} px)`);

    // Hover: a tooltip names the frame; a click on a frame with under half of all samples zooms to it.
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const x = box.x + box.width / 4;
    const bottom = await hoverTip(page, out0, x, box.y + box.height - 4);
    let clicked = "";
    let at = 0;
    for (let y = box.y + box.height - 4; y > box.y && !clicked; y -= 5) {
      const tip = await hoverTip(page, out0, x, y);
      if (tip.title && tip.share > 0 && tip.share < 50) [clicked, at] = [tip.title, y];
    }
    assert.ok(bottom.title && clicked, `hovering shows a tooltip (${JSON.stringify(bottom)}, then ${JSON.stringify(clicked)})`);
    assert.equal(await out0.locator(".fb-reset").isDisabled(), true, "not zoomed yet");
    await page.mouse.click(x, at);
    await out0.locator(".fb-reset:not([disabled])").waitFor({ timeout: 5_000 });
    const zoomed = await canvasSummary(canvas);
    assert.notEqual(zoomed.hash, first.hash, "the click zoomed (the canvas was redrawn)");
    const crumb = (await out0.locator('.fb-crumb[aria-current="location"]').getAttribute("title")) ?? "";
    assert.ok(crumb.length > 0 && clicked.includes(crumb.replace(/…$/, "")), `the breadcrumb ends at the clicked frame (${crumb} / ${clicked})`);
    // The footer names the selection in full (issue 15, 5b: it was cut to "<T a…").
    const sel = out0.locator(".fb-sel-name");
    assert.equal(await sel.textContent(), clicked);
    const fits = await sel.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    assert.ok(fits.scroll <= fits.client + 1, `the footer shows the whole name (${fits.scroll} px of text in ${fits.client} px)`);
    lap(`hovered and clicked ${clicked}`);

    // Cell 2: the click reached the kernel object where the view is live.
    const r1 = await run(1);
    assert.equal(r1.ok, true);
    const selected = await cellText(page, 1);
    if (c.live) assert.ok(selected.includes(`name: '${clicked}'`), `fg.widget().selected is the clicked frame: ${selected}`);
    else assert.match(selected, /no selection/, "no live view: the kernel object has no selection");

    // Cell 3: a change through the widget API. Live: cell 1's view redraws; otherwise the updated graph is shown here.
    const r2 = await run(2);
    assert.equal(r2.ok, true, await cellText(page, 2));
    const target = c.live ? out0 : cellOutputs(page, 2).first();
    if (c.live) assert.equal(await cellOutputs(page, 2).count(), 0, "nothing to show in the cell itself");
    await target.locator(".fb-layout", { hasText: "icicle" }).waitFor({ timeout: 10_000 });
    await target.locator(".fb-matched", { hasText: /matched: [1-9]/ }).waitFor({ timeout: 10_000 });
    assert.equal(await target.locator(".fb-search input").inputValue(), "to_string");
    const updated = await drawn(page, target.locator("canvas.fb-canvas"), "after update()");
    assert.notEqual(updated.hash, zoomed.hash, "redrawn in icicle layout");
    lap("update() shown");

    // Cell 4: console.log and console.error; cell 5: a failing cell.
    const r3 = await run(3);
    assert.equal(r3.ok, true);
    assert.deepEqual(r3.outputs, ["stream", "stream"]);
    assert.match(await page.locator('[data-fb-cell="3"] [data-mime-type="application/vnd.jupyter.stdout"]').innerText(), /to stdout: \d+ samples/);
    assert.match(await page.locator('[data-fb-cell="3"] [data-mime-type="application/vnd.jupyter.stderr"]').innerText(), /to stderr: a warning/);
    const r4 = await run(4);
    assert.equal(r4.ok, false, "the failing cell fails");
    assert.deepEqual(r4.outputs, ["error"]);
    assert.match(await cellText(page, 4), /RangeError: this cell fails on purpose/);

    // What the user saw, with nothing wrong on the page and nothing fetched from elsewhere.
    await page.mouse.move(0, 0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `jupyterlab-${c.name}.png`) });
    assert.doesNotMatch(await page.locator("body").innerText(), ERROR_BOX, "no error box anywhere");
    assert.deepEqual(errors, [], "no console errors");
    console.log(`${c.name}: ${o.serverMismatch.length} console errors from JupyterLab 4.6 asking jupyter_server 1.23 for /api/me or /api/events (404), set apart`);
    assert.deepEqual(refused, [], "no request left 127.0.0.1");
    assert.ok(sockets.length > 0 && sockets.every((s) => new URL(s).host === origin), `websockets to the server only: ${sockets.join(", ")}`);
    lap("checked");

    // Control: a widget view forced past detection is exactly the error box of the issue (or, without a widget manager, the text/html).
    const r5 = await run(5);
    assert.equal(r5.ok, true);
    if (c.control) {
      // jupyterlab-manager's error box: a broken-file icon; a click shows the message.
      const errorBox = page.locator('[data-fb-cell="5"] .jupyter-widgets-error-widget');
      await errorBox.filter({ hasText: "Click to show javascript error." }).waitFor({ timeout: 15_000 });
      await errorBox.click();
      await page.locator('[data-fb-cell="5"]', { hasText: c.control }).waitFor({ timeout: 5_000 });
      await page.locator('[data-fb-cell="5"]').screenshot({ path: join(ARTIFACTS, `jupyterlab-${c.name}-control.png`) });
    } else {
      // No renderer for the widget view: JupyterLab shows the text/html, as in row 1 of the issue.
      await drawn(page, page.locator('[data-fb-cell="5"] .jp-RenderedHTMLCommon canvas.fb-canvas'), "control without a widget manager");
    }

    await page.evaluate(() => (window as unknown as Lab).lab.shutdown());
    lap("done");
}
