// The standalone host in a real browser: pages from `flamePage`/`flameHtml` (the text/html output
// and `flamebook open`), with every request beyond the page refused.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { ProfileBuilder, flameTree } from "../../../src/internals.js";
import { flameHtml, flamePage } from "../../../src/render/flame-html.js";
import { cloneInLoopTrees, launchChromium, skipWithoutChromium } from "../../helpers/browser.js";
import { ensureBuilt } from "../../package/fixtures/consumer.js";
import { canvasInk, servePage } from "./serve.js";

let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
after(() => browser?.close());
const open = async (html: string) => servePage((browser ??= await launchChromium()), { "index.html": html });

function evilTree() {
  const b = new ProfileBuilder({ format: "test" });
  let s = -1;
  for (const n of ["main", `<img src=x onerror="window.__pwned=1">`, `</script><script>window.__pwned=2</script>`, "leaf"]) s = b.stack(s, b.frame(n, "m"));
  b.sample(s, b.thread("t", 1, 1), b.event("samples"), NaN, 5);
  return flameTree(b.finish(), { title: `<img src=y onerror="window.__pwned=3">` });
}

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("flamePage: every graph draws, offline, and hostile names stay text", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before, diff } = await cloneInLoopTrees();
  const { page, refused, errors } = await open(flamePage([{ tree: before }, { tree: diff }, { tree: evilTree() }]));
  await page.waitForFunction(() => document.querySelectorAll("canvas.fb-canvas").length === 3);
  const ink = await page.evaluate(canvasInk);
  assert.ok(ink.every((n) => n > 2000), `every canvas has a drawing: ${ink.join(", ")} pixels`);
  await page.fill(".fb-search input", "to_string");
  await page.waitForFunction(() => /matched: \d/.test(document.querySelector(".fb-matched")?.textContent ?? ""));
  assert.match((await page.textContent(".fb-matched")) ?? "", /matched: [1-9]\d?\.\d%/);
  const evil = (await page.$$(".fb-root"))[2]!;
  const box = (await evil.$("canvas"))!;
  const b = (await box.boundingBox())!;
  for (let y = b.y + 5; y < b.y + b.height; y += 9) await page.mouse.move(b.x + b.width / 2, y);
  await page.mouse.click(b.x + b.width / 2, b.y + b.height - 30);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.equal(await page.locator("img").count(), 0, "no element made from a frame name");
  assert.deepEqual(refused, [], "nothing fetched");
  assert.deepEqual(errors, []);
});

test("flamePage of one graph: it fills the window (as many rows as fit, no page scroll) and follows it", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before } = await cloneInLoopTrees();
  const { page, errors } = await open(flamePage([{ tree: before }]));
  const fit = async () => {
    await page.waitForFunction(() => !!document.querySelector("canvas.fb-canvas[data-boxes]"));
    return page.evaluate(() => {
      const root = document.querySelector(".fb-root")!.getBoundingClientRect();
      return { bottom: root.bottom, inner: innerHeight, scroll: document.documentElement.scrollHeight, view: document.querySelector(".fb-viewport")!.clientHeight };
    });
  };
  const a = await fit(); // 1200×900
  assert.ok(a.bottom <= a.inner && a.bottom >= a.inner - 16, `the graph ends at the window's bottom edge: ${JSON.stringify(a)}`);
  assert.equal(a.scroll, a.inner, "the page itself does not scroll");
  assert.ok(a.view > 700, `a 900 px window gives the drawing ${a.view} px`);
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.waitForFunction((h) => document.querySelector(".fb-viewport")!.clientHeight < h - 200, a.view);
  const b = await fit();
  assert.ok(b.bottom <= b.inner && b.bottom >= b.inner - 16, `after a resize too: ${JSON.stringify(b)}`);
  assert.deepEqual(errors, []);
});

test("flamePage of several graphs: each keeps its own height", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before, after: afterTree } = await cloneInLoopTrees();
  const { page } = await open(flamePage([{ tree: before }, { tree: afterTree, options: { height: 300 } }]));
  await page.waitForFunction(() => document.querySelectorAll("canvas.fb-canvas[data-boxes]").length === 2);
  const heights = await page.evaluate(() => [...document.querySelectorAll(".fb-viewport")].map((v) => v.clientHeight));
  assert.deepEqual(heights, [420, 300]);
});

test("flameHtml: outputs inserted the way JupyterLab does (scripts re-created, run before attach) mount once each", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before, after: afterTree } = await cloneInLoopTrees();
  const outputs = [flameHtml(before), flameHtml(afterTree)];
  const { page, errors } = await open("<!doctype html><html><body><div id=nb></div></body></html>");
  await page.evaluate((htmls) => {
    for (const html of htmls) {
      const host = document.createElement("div");
      host.innerHTML = html; // scripts set by innerHTML do not run; JupyterLab re-creates them
      for (const old of host.querySelectorAll("script")) {
        const s = document.createElement("script");
        for (const a of old.attributes) s.setAttribute(a.name, a.value);
        s.textContent = old.textContent;
        old.replaceWith(s);
      }
      setTimeout(() => document.getElementById("nb")!.append(host), 50);
    }
  }, outputs);
  await page.waitForFunction(() => document.querySelectorAll("#nb canvas.fb-canvas").length === 2);
  const ink = await page.evaluate(canvasInk);
  assert.ok(ink.every((n) => n > 2000), `both outputs drew: ${ink.join(", ")}`);
  assert.equal(await page.locator("[data-flamebook-mounted]").count(), 2);
  assert.deepEqual(errors, []);
});

/** Every picture in the mount points: loaded and decoded (its natural width), and its box on the page. */
const pictures = () =>
  [...document.querySelectorAll<HTMLImageElement>("[data-flamebook] img")].map((img) => ({ complete: img.complete, naturalWidth: img.naturalWidth, width: img.getBoundingClientRect().width }));

test("flameHtml with JavaScript off: each output shows its static picture, nothing fetched", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before, diff } = await cloneInLoopTrees();
  const context = await (browser ??= await launchChromium()).newContext({ javaScriptEnabled: false, viewport: { width: 900, height: 900 } });
  const refused: string[] = [];
  await context.route("**/*", (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  try {
    const page = await context.newPage();
    await page.setContent(`<!doctype html><html><body>${flameHtml(before)}${flameHtml(diff)}</body></html>`);
    assert.equal(await page.evaluate(() => document.querySelectorAll("canvas").length), 0, "no script ran");
    const shown = await page.evaluate(pictures);
    assert.equal(shown.length, 2);
    for (const p of shown) {
      assert.ok(p.complete && p.naturalWidth === 1200, `the SVG decoded: ${JSON.stringify(p)}`);
      assert.ok(p.width > 800 && p.width <= 900, `scaled to the page, not cut: ${p.width}px`);
    }
    assert.match((await page.textContent("body")) ?? "", /Static picture: the interactive flamegraph needs JavaScript/);
    assert.deepEqual(refused, [], "the picture is inline: nothing fetched");
  } finally {
    await context.close();
  }
});

test("flameHtml inserted the way VS Code's built-in renderer does (innerHTML, then scripts re-created from innerText): it draws and the picture goes", async (t) => {
  if (skipWithoutChromium(t)) return;
  const { before } = await cloneInLoopTrees();
  const { page, errors } = await open("<!doctype html><html><body><div id=output></div></body></html>");
  // As renderHTML + domEval in microsoft/vscode extensions/notebook-renderers/src/index.ts.
  await page.evaluate((html) => {
    const element = document.createElement("div");
    element.innerHTML = html;
    document.getElementById("output")!.appendChild(element);
    for (const node of Array.from(element.getElementsByTagName("script"))) {
      const tag = document.createElement("script");
      tag.text = node.innerText;
      for (const key of ["type", "src", "nonce", "noModule", "async"] as const) {
        const val = node[key] || node.getAttribute(key);
        if (val) tag.setAttribute(key, String(val));
      }
      element.appendChild(tag).parentNode!.removeChild(tag);
    }
  }, flameHtml(before));
  await page.waitForFunction(() => document.querySelectorAll("#output canvas.fb-canvas").length === 1);
  const ink = await page.evaluate(canvasInk);
  assert.ok(ink[0]! > 2000, `drew: ${ink.join(", ")}`);
  assert.deepEqual(await page.evaluate(pictures), [], "the renderer replaced the static picture");
  assert.deepEqual(errors, []);
});
