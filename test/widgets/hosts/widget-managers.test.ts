// The two widget hosts under a real widget manager: @jupyter-widgets/html-manager (what nbconvert
// exports and static pages use) with requirejs, all served locally. The CDN fallback must never be
// reached. The anywidget host runs under anywidget's own front end (npm anywidget, the AMD module
// JupyterLab's anywidget extension also registers).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { flameWidgetState, widgetStateJson } from "../../../src/render/flame-widget-state.js";
import { widgetPage } from "../../../src/render/flame-export.js";
import { widgetAsset } from "../../../src/render/widget-assets.js";
import { scriptJson } from "../../../src/render/flame-html.js";
import { bundle, cloneInLoopTrees, launchChromium, openPage, pageErrors, skipWithoutChromium } from "../../helpers/browser.js";
import { ensureBuilt } from "../../package/fixtures/consumer.js";
import { canvasInk, dependencyFile, servePage } from "./serve.js";

const MANAGER_PAGE = new URL("./manager-page.ts", import.meta.url).pathname;
type Fbm = { fbm: { show(e: never): Promise<void>; comm?: { sent: { method: string; state?: Record<string, unknown> }[]; receive(d: unknown): void }; model?: { get(k: string): unknown } } };

let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
after(() => browser?.close());

const baseFiles = () => ({
  "require.js": dependencyFile("requirejs", "require.js"),
  "embed-amd.js": dependencyFile("@jupyter-widgets/html-manager", "dist/embed-amd.js"),
  "flamebook-widgets.js": widgetAsset("jupyter-widgets.js"),
});

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("widgetPage: the flamebook module renders from saved widget state with html-manager, no CDN", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before, diff } = await cloneInLoopTrees();
  browser ??= await launchChromium();
  const { page, refused, errors } = await servePage(browser, { ...baseFiles(), "index.html": widgetPage([{ tree: before }, { tree: diff, options: { layout: "icicle" } }]) });
  await page.waitForFunction(() => document.querySelectorAll(".widget-subarea canvas.fb-canvas").length === 2, undefined, { timeout: 30_000 });
  const ink = await page.evaluate(canvasInk);
  assert.ok(ink.every((n) => n > 2000), `both widgets drew: ${ink.join(", ")}`);
  assert.equal(await page.locator(".fb-layout").nth(1).textContent().then((s) => s?.includes("icicle")), true, "the saved options apply");
  await page.fill(".fb-search input >> nth=0", "to_string");
  await page.waitForFunction(() => /matched: [1-9]/.test(document.querySelector(".fb-matched")?.textContent ?? ""));
  assert.deepEqual(refused, [], "html-manager never fell back to a CDN");
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test("anywidget host: anywidget's own front end loads our _esm from the state and draws", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before } = await cloneInLoopTrees();
  browser ??= await launchChromium();
  const state = widgetStateJson({ any1: flameWidgetState(before, { anywidgetVersion: "~0.9.*" }) });
  const html = `<!doctype html><html><head><meta charset="utf-8">
<script src="require.js"></script>
<script>requirejs.config({ paths: { anywidget: "anywidget" } });</script>
<script src="embed-amd.js"></script>
<script type="application/vnd.jupyter.widget-state+json">${scriptJson(state)}</script>
</head><body><script type="application/vnd.jupyter.widget-view+json">${scriptJson({ version_major: 2, version_minor: 0, model_id: "any1" })}</script></body></html>`;
  const { page, refused, errors } = await servePage(browser, { ...baseFiles(), "anywidget.js": dependencyFile("anywidget", "dist/index.js"), "index.html": html });
  await page.waitForFunction(() => document.querySelectorAll("canvas.fb-canvas").length === 1, undefined, { timeout: 30_000 });
  const ink = await page.evaluate(canvasInk);
  assert.ok(ink[0]! > 2000, `drew ${ink[0]} pixels`);
  assert.deepEqual(refused, []);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test("FlamegraphModel over a comm: kernel updates redraw the view; user changes go back as comm updates", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before } = await cloneInLoopTrees();
  browser ??= await launchChromium();
  const entry = widgetStateJson({ m1: flameWidgetState(before, { host: "flamebook" }) }).state["m1"];
  const page = await openPage(browser, `<!doctype html><html><body><div id="host" style="width:1000px"></div></body></html>`, { scripts: [await bundle(MANAGER_PAGE)] });
  await page.evaluate((e) => (window as unknown as Fbm).fbm.show(e as never), entry);
  await page.waitForSelector("canvas.fb-canvas");
  assert.match((await page.textContent(".fb-layout")) ?? "", /flame/);
  // The kernel sets options (a comm_msg "update"): the view follows without echoing them back.
  await page.evaluate(() => {
    const { comm, model } = (window as unknown as Fbm).fbm;
    comm!.receive({ method: "update", state: { options: { ...(model!.get("options") as object), layout: "icicle", search: "fmt" } } });
  });
  await page.waitForFunction(() => /icicle/.test(document.querySelector(".fb-layout")?.textContent ?? ""));
  assert.equal(await page.inputValue(".fb-search input"), "fmt", "the kernel's search shows in the box");
  assert.deepEqual(await page.evaluate(() => (window as unknown as Fbm).fbm.comm!.sent), [], "no echo of the kernel's own change");
  // The user searches and clicks a frame: both reach the kernel as comm updates.
  await page.fill(".fb-search input", "to_string");
  await page.waitForFunction(() => (window as unknown as Fbm).fbm.comm!.sent.some((m) => (m.state?.["options"] as { search?: string } | undefined)?.search === "to_string"));
  const c = (await page.locator("canvas.fb-canvas").boundingBox())!;
  await page.mouse.click(c.x + c.width / 2, c.y + 12);
  await page.waitForFunction(() => (window as unknown as Fbm).fbm.comm!.sent.some((m) => m.state?.["selected"]));
  const sent = await page.evaluate(() => (window as unknown as Fbm).fbm.comm!.sent);
  assert.ok(sent.every((m) => m.method === "update"), JSON.stringify(sent.map((m) => m.method)));
  const selected = sent.map((m) => m.state?.["selected"]).filter(Boolean).pop() as { node: number; name: string };
  assert.equal(typeof selected.name, "string");
  assert.equal(selected.name.length > 0, true);
  assert.deepEqual(pageErrors(page), []);
});
