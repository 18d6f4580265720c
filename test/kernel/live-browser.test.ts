// A live round trip in a real browser: Debian's Jupyter Server starts our kernel for a page in
// headless Chromium (@jupyterlab/services), whose real @jupyter-widgets manager renders the
// flamegraph widget through npm anywidget's front end. A click in the canvas reaches the kernel
// object; a kernel-side option change reaches the view; a second connection restores the models.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { bundle, chromiumMissing, launchChromium } from "../helpers/browser.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { pidsWith } from "../helpers/processes.js";
import { canvasInk, canvasPixels } from "../widgets/hosts/serve.js";
import { installAnywidgetLabextension, npmAnywidgetVersion } from "../helpers/anywidget-labextension.js";
import type { Executed, Restored } from "./live/page.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const PY = "/usr/bin/python3";
const KERNEL = "flamebook-live";
const missing =
  (spawnSync(PY, ["-c", "import jupyter_server"]).status === 0 ? null : `${PY} lacks jupyter_server (apt install python3-jupyter-server)`) ?? chromiumMissing();
if (missing && process.env["CI"]) throw new Error(missing);
if (missing) console.log(`# skipping the live browser test: ${missing}`);

type Live = {
  live: {
    start(name: string, token: string): Promise<string>;
    execute(code: string): Promise<Executed>;
    show(modelId: string): Promise<void>;
    modelValue(key: string): unknown;
    pendingMessages(): number;
    reconnect(): Promise<Restored>;
    shutdown(): Promise<void>;
  };
};

const dir = mkdtempSync(join(tmpdir(), "flamebook-live-"));
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let serverLog = "";

/** The pids of kernels started from our temp kernelspec (their connection files are under `dir`). */
const kernelPids = (): number[] => pidsWith([join(root, "kernel", "main.ts"), dir]);

/** Stops the server (it shuts down its kernels); resolves when it has exited. */
async function stopServer(): Promise<void> {
  const s = server;
  if (!s || s.exitCode !== null || s.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.once("exit", () => r()));
  s.kill("SIGTERM");
  const late = setTimeout(() => s.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(late);
}

/** Kernels still running after the server stopped, after a grace period (killed, then reported). */
async function leftoverKernels(): Promise<number[]> {
  for (let i = 0; i < 50 && kernelPids().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  const left = kernelPids();
  for (const pid of left) process.kill(pid, "SIGKILL");
  return left;
}

after(async () => {
  await browser?.close();
  await stopServer();
  const left = existsSync(dir) ? await leftoverKernels() : [];
  rmSync(dir, { recursive: true, force: true });
  if (left.length) throw new Error(`kernel processes were left running (killed now): ${left.join(", ")}`);
});

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** Starts Jupyter Server on a free port with our kernelspec; resolves once `/api` answers. */
async function startServer(token: string): Promise<string> {
  const spec = join(dir, "jupyter", "kernels", KERNEL);
  mkdirSync(spec, { recursive: true });
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, "--import", tsx, join(root, "kernel", "main.ts"), "{connection_file}"], display_name: "flamebook (live test)", language: "typescript", interrupt_mode: "message" }));
  // The notebook directory (the kernel's cwd) is a project whose node_modules has flamebook.
  const project = join(dir, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  symlinkSync(root, join(project, "node_modules", "flamebook"), "dir");
  const port = await freePort();
  const jupyter = join(dir, "jupyter");
  // This Jupyter has the anywidget the page bundles, so the kernel sends widget views.
  installAnywidgetLabextension(jupyter, npmAnywidgetVersion());
  const { FLAMEBOOK_WIDGETS: _ignored, ...inherited } = process.env;
  const env = { ...inherited, JUPYTER_PATH: jupyter, JUPYTER_DATA_DIR: jupyter, JUPYTER_CONFIG_DIR: join(dir, "config"), JUPYTER_RUNTIME_DIR: join(dir, "runtime"), JUPYTER_PLATFORM_DIRS: "0" };
  const args = ["-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0", `--ServerApp.token=${token}`, `--ServerApp.root_dir=${project}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : [])];
  const s = spawn(PY, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  server = s;
  const log = (b: Buffer) => {
    serverLog += b.toString();
    if (process.env["LIVE_DEBUG"]) process.stderr.write(b);
  };
  s.stdout!.on("data", log);
  s.stderr!.on("data", log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (s.exitCode !== null) throw new Error(`jupyter_server exited (${s.exitCode}):\n${serverLog}`);
    if (Date.now() > deadline) throw new Error(`jupyter_server did not answer /api within 60 s:\n${serverLog}`);
    const ok = await fetch(`${url}/api`).then((r) => r.ok, () => false);
    if (ok) return url;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first flamegraph canvas: the count of pixels unlike the background, and a hash of all pixels. */
const canvasSummary = (page: Page) => page.locator("canvas.fb-canvas").first().evaluate(canvasPixels);

/** Moves the mouse to (x, y) and returns the tooltip's title ("" when none shows). */
async function hoverTitle(page: Page, x: number, y: number): Promise<string> {
  await page.mouse.move(x - 1, y);
  await page.mouse.move(x, y);
  return page.evaluate(() => {
    const tip = document.querySelector<HTMLElement>(".fb-tip");
    return tip && !tip.hidden ? (tip.querySelector(".fb-tip-title")?.textContent ?? "") : "";
  });
}

test("live: Jupyter Server + our kernel + a real widget manager in Chromium", { skip: missing ?? undefined, timeout: 240_000 }, async () => {
  const t0 = Date.now();
  const lap = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const token = randomBytes(24).toString("hex");
  // All three settle before a failure is thrown, so after() never races a server still starting.
  const [built, started, bundled] = await Promise.allSettled([ensureBuilt(), startServer(token), bundle(join(here, "live", "page.ts"))]);
  for (const r of [built, started, bundled]) if (r.status === "rejected") throw r.reason;
  const url = (started as PromiseFulfilledResult<string>).value;
  const js = (bundled as PromiseFulfilledResult<string>).value;
  lap("server up, page bundled");

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // Pages the test serves have no address space of their own; Chromium's Local Network Access
  // checks would then refuse the kernel websocket to 127.0.0.1 unless the page may reach it.
  await context.grantPermissions(["local-network-access"], { origin: url });
  // The page lives on the server's origin (no CORS); only its two files are served by the test.
  const files: Record<string, { type: string; body: string }> = {
    "/flamebook-live/index.html": { type: "text/html", body: `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="host" style="width:1000px"></div><div id="host2" style="width:1000px"></div><script src="page.js"></script></body></html>` },
    "/flamebook-live/page.js": { type: "text/javascript", body: js },
  };
  await context.route(`${url}/flamebook-live/**`, (route) => {
    const f = files[new URL(route.request().url()).pathname];
    return f ? route.fulfill({ status: 200, contentType: `${f.type}; charset=utf-8`, body: f.body }) : route.abort();
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(`${r.method()} ${r.url().replace(token, "<token>")}`));
  page.on("websocket", (ws) => requests.push(`WS ${ws.url().replace(token, "<token>")}`));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
    if (process.env["LIVE_DEBUG"]) console.error(`[page ${m.type()}] ${m.text()}`);
  });
  await page.goto(`${url}/flamebook-live/index.html`);
  await page.waitForFunction(() => "live" in window);

  const implementation = await page.evaluate(([n, t]) => (window as unknown as Live).live.start(n, t), [KERNEL, token] as const);
  assert.equal(implementation, "flamebook");
  assert.equal(kernelPids().length, 1, "the kernel process is found by its command line (so the leftover check below is real)");
  lap("kernel started");

  // Cell 1: the flamegraph widget. The kernel opens a jupyter.widget comm; the result names the model.
  const profile = join(root, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
  const cell1 = `import { open } from "flamebook";\nconst p = await open(${JSON.stringify(profile)});\nconst fg = p.flamegraph();\nfg`;
  const r1 = await page.evaluate((c) => (window as unknown as Live).live.execute(c), cell1);
  assert.equal(r1.status, "ok", `cell 1: ${r1.error}\n${r1.stdout}`);
  assert.ok(r1.types.includes("comm_open"), r1.types.join(", "));
  const viewRef = r1.result?.["application/vnd.jupyter.widget-view+json"] as { model_id: string; version_major: number; version_minor: number };
  assert.equal(viewRef.version_major, 2);
  assert.equal(viewRef.version_minor, 1);
  await page.evaluate((id) => (window as unknown as Live).live.show(id), viewRef.model_id);
  await page.waitForSelector("canvas.fb-canvas", { timeout: 30_000 });
  await page.waitForFunction(() => {
    const cv = document.querySelector<HTMLCanvasElement>("canvas.fb-canvas");
    return cv !== null && cv.width > 0 && cv.height > 0;
  });
  let drawn = await canvasSummary(page);
  for (let i = 0; i < 100 && drawn.ink <= 2000; i++) drawn = await page.waitForTimeout(100).then(() => canvasSummary(page));
  assert.ok(drawn.ink > 2000, `the flamegraph drew (${drawn.ink} pixels of ink)`);
  assert.equal(await page.evaluate(() => (window as unknown as Live).live.modelValue("_model_name")), "AnyModel");
  lap("cell 1 shown");

  // A click on a frame above the root (flame layout: the root is the bottom row).
  const box = (await page.locator("canvas.fb-canvas").boundingBox())!;
  const x = box.x + box.width / 2;
  const rootTitle = await hoverTitle(page, x, box.y + box.height - 4);
  let clicked = "";
  let at = 0;
  for (let y = box.y + box.height - 4; y > box.y && !clicked; y -= 6) {
    const title = await hoverTitle(page, x, y);
    if (title && title !== rootTitle) [clicked, at] = [title, y];
  }
  assert.ok(rootTitle && clicked, `found a frame above the root (${JSON.stringify(rootTitle)})`);
  await page.mouse.click(x, at);
  await page.waitForFunction(() => (window as unknown as Live).live.modelValue("selected") !== null);
  const selected = (await page.evaluate(() => (window as unknown as Live).live.modelValue("selected"))) as { name: string };
  assert.equal(selected.name, clicked);

  // Cell 2: the kernel object saw the click.
  const r2 = await page.evaluate(() => (window as unknown as Live).live.execute("fg.widget().selected"));
  assert.equal(r2.status, "ok", String(r2.error));
  const text = String(r2.result?.["text/plain"]);
  assert.ok(text.includes(`name: '${clicked}'`), `the kernel saw the click on ${clicked}: ${text}`);
  // The kernel answered the view's comm_msg with busy/idle status, so the model sends again freely.
  await page.waitForFunction(() => (window as unknown as Live).live.pendingMessages() === 0, undefined, { timeout: 10_000 });
  lap(`click on ${clicked} reached the kernel`);

  // Cell 3: a kernel-side change reaches the view (options, layout button, search status, pixels).
  const before = await canvasSummary(page);
  const r3 = await page.evaluate(() => (window as unknown as Live).live.execute('fg.widget().update({ layout: "icicle", search: "to_string" })'));
  assert.equal(r3.status, "ok", String(r3.error));
  await page.waitForFunction(() => ((window as unknown as Live).live.modelValue("options") as { layout?: string }).layout === "icicle");
  const options = (await page.evaluate(() => (window as unknown as Live).live.modelValue("options"))) as { layout: string; search: string };
  assert.equal(options.search, "to_string");
  await page.waitForFunction(() => /icicle/.test(document.querySelector(".fb-layout")?.textContent ?? ""));
  await page.waitForFunction(() => /matched: [1-9]/.test(document.querySelector(".fb-matched")?.textContent ?? ""));
  assert.equal(await page.inputValue(".fb-search input"), "to_string");
  const afterUpdate = await canvasSummary(page);
  assert.notEqual(afterUpdate.hash, before.hash, "the canvas was redrawn");
  assert.ok(afterUpdate.ink > 2000, `still drawn (${afterUpdate.ink})`);
  lap("kernel update reached the view");

  // A second connection (a reloaded page) restores the model from the kernel (jupyter.widget.control).
  const restored = await page.evaluate(() => (window as unknown as Live).live.reconnect());
  assert.deepEqual(restored.restored, [viewRef.model_id]);
  assert.equal(restored.usedFallback, false, "restored through jupyter.widget.control's update_states");
  assert.equal(restored.modelName, "AnyModel");
  assert.equal(restored.layout, "icicle", "the restored state is the current one");
  assert.ok(restored.treeBytes > 1000, `the tree came back as a binary buffer (${restored.treeBytes} bytes)`);
  await page.waitForFunction(() => document.querySelectorAll("canvas.fb-canvas").length === 2);
  let inks = await page.evaluate(canvasInk);
  for (let i = 0; i < 100 && !(inks[1]! > 2000); i++) inks = await page.waitForTimeout(100).then(() => page.evaluate(canvasInk));
  assert.ok(inks[1]! > 2000, `the restored view drew (${inks[1]} pixels of ink)`);
  lap("restored");

  await page.evaluate(() => (window as unknown as Live).live.shutdown());
  assert.deepEqual(errors, [], "no page errors");
  const origins = new Set(requests.map((r) => new URL(r.split(" ")[1]!).host));
  assert.deepEqual([...origins], [new URL(url).host], `every request went to the server:\n${requests.join("\n")}`);
  console.log(`requests:\n${[...new Set(requests.map((r) => r.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>").replace(/\?.*$/, "")))].map((r) => `  ${r}`).join("\n")}`);
  await browser.close();
  browser = undefined;
  await stopServer();
  assert.deepEqual(await leftoverKernels(), [], "no kernel process is left");
  lap("done");
});
