// Acceptance test: a notebook that uses the flamegraph widget, executed by nbclient through the real
// kernel (Debian's /usr/bin/python3, execute_notebook.py), saved with its widget state in the
// metadata, validated by nbformat, converted by nbconvert to HTML, and drawn by the widget in that
// HTML under headless Chromium with html-manager, requirejs and anywidget served from local npm
// packages (the CDN requests are intercepted; every other request is recorded and refused).
// The HTML is checked as nbconvert writes it: Debian's nbconvert 6.5.3 HTML-escapes the widget
// state (jupyter/nbconvert#1900), which our state survives because it holds no < > &.
import { after, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { open } from "../../src/table/open.js";
import { flameWidgetState } from "../../src/render/flame-widget-state.js";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../helpers/browser.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { canvasInk, dependencyFile } from "../widgets/hosts/serve.js";
import { installAnywidgetLabextension, npmAnywidgetVersion } from "../helpers/anywidget-labextension.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const PY = "/usr/bin/python3";
const KERNEL = "flamebook-nbclient";
const PROFILE = join(root, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
const SCREENSHOT_DIR = join(root, "test-artifacts");
const STATE_MIME = "application/vnd.jupyter.widget-state+json";
const VIEW_MIME = "application/vnd.jupyter.widget-view+json";

/** Why this test cannot run here, or undefined. */
function whyMissing(): string | undefined {
  const py = spawnSync(PY, ["-c", "import nbclient, nbconvert, nbformat"], { encoding: "utf8" });
  if (py.status !== 0) return `${PY} lacks nbclient/nbconvert (apt install python3-nbclient python3-nbconvert): ${(py.stderr ?? String(py.error)).trim().split("\n").pop()}`;
  return chromiumMissing() ?? undefined;
}
const missing = whyMissing();
if (missing && process.env["CI"]) throw new Error(missing);
if (missing) console.log(`# skipping the nbclient/nbconvert widget test: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), "flamebook-nb-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// ---- The notebook format, as far as this test reads it ----
type Source = string | string[];
interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Cell {
  cell_type: "code" | "markdown";
  id: string;
  source: Source;
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
}
interface SavedBuffer {
  path: (string | number)[];
  encoding: string;
  data: string;
}
interface SavedModel {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
  buffers?: SavedBuffer[];
}
interface WidgetStateDoc {
  version_major: number;
  version_minor: number;
  state: Record<string, SavedModel>;
}
interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { widgets?: Record<string, WidgetStateDoc> } & Record<string, unknown>;
  cells: Cell[];
}

const text = (s: Source | unknown): string => (Array.isArray(s) ? s.join("") : String(s));
const code = (id: string, source: string): Cell => ({ cell_type: "code", id, source, metadata: {}, outputs: [], execution_count: null });

/** The notebook under test: a profile opened, the live flamegraph, a kernel-side change, a table. */
function notebook(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: KERNEL, display_name: "flamebook (test)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    cells: [
      { cell_type: "markdown", id: "intro", source: "# clone-in-loop\nThe flamegraph of the *before* recording, drawn live by the widget.", metadata: {} },
      code("open", `import { open } from "flamebook";\nconst p = await open(${JSON.stringify(PROFILE)});\np.totalWeight()`),
      code("flame", "const fg = p.flamegraph();\nfg"),
      code("change", 'fg.widget().update({ layout: "icicle" });\nfg.widget().options.layout'),
      code("table", "p.functions()"),
    ],
  };
}

/** Runs nbconvert --to html (optionally with a config file); returns the HTML file's path. */
function convert(notebookPath: string, name: string, env: NodeJS.ProcessEnv): string {
  const args = ["-m", "nbconvert", "--to", "html", "--output", name, "--output-dir", dirname(notebookPath), notebookPath];
  const r = spawnSync(PY, args, { env, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `nbconvert ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return join(dirname(notebookPath), `${name}.html`);
}

/** The widget state embedded in an nbconvert HTML page, parsed as html-manager does (the raw script text). */
function embeddedState(html: string): WidgetStateDoc | undefined {
  const m = new RegExp(`<script type="${STATE_MIME.replace(/[.+]/g, "\\$&")}">([\\s\\S]*?)</script>`).exec(html);
  return m ? (JSON.parse(m[1]!) as WidgetStateDoc) : undefined;
}

/**
 * Opens an nbconvert HTML file in Chromium with require.js, html-manager and anywidget served from
 * local npm packages; asserts the widget's flamegraph canvas is drawn in icicle layout with no page
 * errors, and that nothing else was fetched; saves a screenshot to test-artifacts/.
 */
async function checkDrawn(browser: Browser, htmlPath: string, shot: string, t: TestContext): Promise<void> {
  const pageUrl = pathToFileURL(htmlPath).href;
  // requirejs first looks for the module next to the page (html-manager then falls back to the CDN).
  const localModule = new URL("anywidget.js", pageUrl).href;
  const local: { match: RegExp; body: () => string }[] = [
    { match: /\/require(\.min)?\.js(\?.*)?$/, body: () => dependencyFile("requirejs", "require.js") },
    { match: /\/@jupyter-widgets\/html-manager@[^/]*\/dist\/embed-amd\.js$/, body: () => dependencyFile("@jupyter-widgets/html-manager", "dist/embed-amd.js") },
    { match: /^https:\/\/cdn\.jsdelivr\.net\/npm\/anywidget@[^/]*\/dist\/index\.js$/, body: () => dependencyFile("anywidget", "dist/index.js") },
  ];
  const requested: string[] = [];
  const served: string[] = [];
  const refused: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (/^(data|blob):/.test(url)) return route.continue();
      requested.push(url);
      if (url === pageUrl) return route.continue();
      const hit = local.find((l) => l.match.test(url));
      if (!hit) {
        refused.push(url);
        return route.abort();
      }
      served.push(url);
      return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: hit.body() });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    const realErrors = () => errors.filter((e) => !/^Failed to load resource/.test(e));
    await page.goto(pageUrl);
    // The canvas must be the widget's, inside the widget-view output nbconvert wrote. Stop early on a page error.
    const canvas = page.locator(".jupyter-widgets canvas.fb-canvas");
    const deadline = Date.now() + 60_000;
    while ((await canvas.count()) === 0 && realErrors().length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
    const report = `requested: ${requested.join(" ")}\nrefused: ${refused.join(" ") || "none"}\npage errors: ${errors.join("\n") || "none"}`;
    t.diagnostic(`requested: ${requested.join(" ")}`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    if ((await canvas.count()) > 0) {
      // The view draws on an animation frame after it mounts: wait for ink (asserted below).
      const drawnBy = Date.now() + 10_000;
      while (((await page.evaluate(canvasInk))[0] ?? 0) <= 2000 && Date.now() < drawnBy) await page.waitForTimeout(100);
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, shot), fullPage: true });
    assert.equal(await canvas.count(), 1, `one flamegraph canvas in the widget output\n${report}`);
    const ink = await page.evaluate(canvasInk);
    assert.equal(ink.length, 1, "no other flamegraph canvas on the page (the text/html fallback is not shown)");
    assert.ok(ink[0]! > 2000, `the widget drew its flamegraph (${ink[0]} pixels of ink)`);
    assert.match((await page.locator(".jupyter-widgets .fb-layout").first().textContent()) ?? "", /icicle/, "the saved options apply (layout icicle)");
    // What nbconvert's HTML needs from outside: require.js, html-manager and (through it) anywidget.
    assert.deepEqual(local.map((l) => served.some((u) => l.match.test(u))), [true, true, true], report);
    // Refused: MathJax (the lab template always loads it; this notebook has no math) and requirejs's local try.
    assert.deepEqual(refused.filter((u) => u !== localModule && !/\/MathJax\.js(\?|$)/.test(u)), [], report);
    assert.ok(errors.length - realErrors().length <= refused.length, report);
    assert.deepEqual(realErrors(), [], `no page errors\n${report}`);
  } finally {
    await context.close();
  }
}

test("nbclient runs a widget notebook; the saved widget state renders in nbconvert's HTML", { skip: missing, timeout: 240_000 }, async (t) => {
  const t0 = Date.now();
  await ensureBuilt(); // cells import the CJS build

  // The kernelspec in a temp JUPYTER_PATH, and a project whose node_modules has flamebook.
  const spec = join(dir, "kernels", KERNEL);
  mkdirSync(spec, { recursive: true });
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, "--import", tsx, join(root, "kernel", "main.ts"), "{connection_file}"], display_name: "t", language: "typescript", interrupt_mode: "message" }));
  const project = join(dir, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  symlinkSync(root, join(project, "node_modules", "flamebook"), "dir");
  const input = join(project, "widgets.ipynb");
  const executed = join(project, "widgets.executed.ipynb");
  writeFileSync(input, JSON.stringify(notebook(), null, 1));

  // 1. Execute with nbclient (store_widget_state) and validate with nbformat. This Jupyter has
  // anywidget (the version the page below serves), so the kernel sends widget views.
  installAnywidgetLabextension(dir, npmAnywidgetVersion());
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: dir };
  delete env["FLAMEBOOK_WIDGETS"];
  const run = spawnSync(PY, [join(here, "execute_notebook.py"), KERNEL, input, executed, project], { env, encoding: "utf8", timeout: 200_000 });
  assert.equal(run.status, 0, `execute_notebook.py failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /"validated": true/, "nbformat.validate passed on the executed and the saved notebook");
  const tExec = Date.now();

  // 2. The saved notebook: every code cell has outputs and none is an error.
  const nb = JSON.parse(readFileSync(executed, "utf8")) as Notebook;
  const cells = new Map(nb.cells.map((c) => [c.id, c]));
  for (const c of nb.cells.filter((c) => c.cell_type === "code")) {
    assert.ok((c.outputs ?? []).length > 0, `cell ${c.id} has outputs`);
    assert.deepEqual(c.outputs!.filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`), [], `cell ${c.id} has no error`);
    assert.equal(typeof c.execution_count, "number", `cell ${c.id} ran`);
  }
  assert.match(text(cells.get("change")!.outputs![0]!.data?.["text/plain"]), /icicle/);
  const table = cells.get("table")!.outputs![0]!.data!;
  assert.match(text(table["text/html"]), /<table>/, "the functions table has an HTML form");
  assert.match(text(table["text/plain"]), /wordfreq::main/);

  // The flamegraph cell: the live view plus static fallbacks.
  const flameOut = cells.get("flame")!.outputs!;
  assert.equal(flameOut.length, 1);
  const data = flameOut[0]!.data!;
  const view = data[VIEW_MIME] as { model_id?: unknown; version_major?: unknown };
  assert.equal(typeof view?.model_id, "string", "widget-view has a model_id");
  assert.equal(view.version_major, 2);
  const modelId = view.model_id as string;
  assert.match(text(data["text/html"]), /flamebook/, "text/html fallback");
  assert.match(text(data["image/svg+xml"]), /^<svg[\s>]/, "image/svg+xml fallback");

  // The widget state in the metadata, with the kernel-side change applied.
  const doc = nb.metadata.widgets?.[STATE_MIME];
  assert.ok(doc, `metadata.widgets["${STATE_MIME}"] is saved`);
  assert.equal(doc.version_major, 2);
  assert.equal(typeof doc.version_minor, "number");
  const model = doc.state[modelId];
  assert.ok(model, `state[${modelId}] exists (ids: ${Object.keys(doc.state).join(", ")})`);
  assert.equal(model.model_name, "AnyModel");
  assert.equal(model.model_module, "anywidget");
  assert.equal(typeof model.model_module_version, "string");
  assert.ok(model.model_module_version.length > 0);
  assert.equal(model.state["_view_name"], "AnyView");
  assert.equal(model.state["_anywidget_id"], "flamebook.Flamegraph");
  assert.ok(String(model.state["_esm"]).length > 1000, "the view's _esm is saved");
  assert.equal((model.state["options"] as { layout?: unknown }).layout, "icicle", "the kernel-side update reached the saved state");
  // The tree travels as a base64 buffer at path ["tree"], byte for byte what flamebook packs.
  assert.equal(model.state["tree"], null, "the tree itself is in buffers");
  assert.equal(model.buffers?.length, 1);
  const buf = model.buffers[0]!;
  assert.deepEqual(buf.path, ["tree"]);
  assert.equal(buf.encoding, "base64");
  const expected = flameWidgetState((await open(PROFILE)).flamegraph().tree, { options: { layout: "icicle" } });
  assert.deepEqual(Buffer.from(buf.data, "base64"), Buffer.from(expected.buffers[0]!), "the saved buffer is the packed tree");
  assert.deepEqual(model.state["tree_header"], expected.state["tree_header"]);
  assert.deepEqual(model.state["options"], expected.state["options"]);

  // 3. nbconvert to HTML. Debian's nbconvert 6.5.3 HTML-escapes (&lt; &gt; &amp;) the JSON inside
  // the widget-state script element (jupyter/nbconvert#1900) and html-manager parses it verbatim:
  // our state has no < > & (the _esm is a base64 loader), so it arrives exactly as saved.
  const htmlPath = convert(executed, "widgets", env);
  const html = readFileSync(htmlPath, "utf8");
  assert.ok(html.includes(modelId), "the HTML references the flamegraph model");
  const embedded = embeddedState(html);
  assert.ok(embedded, `the HTML embeds the widget state (<script type="${STATE_MIME}">)`);
  assert.deepEqual(embedded, JSON.parse(JSON.stringify(doc)), "the HTML embeds exactly the saved widget state");
  const tConv = Date.now();

  // 4. The HTML in Chromium: CDN files from local npm packages, anything else refused.
  const browser = await launchChromium();
  try {
    await checkDrawn(browser, htmlPath, "nbconvert-widgets.png", t);
  } finally {
    await browser.close();
  }
  t.diagnostic(`times: execute ${((tExec - t0) / 1000).toFixed(1)} s, nbconvert ${((tConv - tExec) / 1000).toFixed(1)} s, browser ${((Date.now() - tConv) / 1000).toFixed(1)} s`);
});
