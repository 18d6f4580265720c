// The standalone host in a real browser: pages from `flamePage`/`flameHtml` (the text/html output
// and `flamebook open`), with every request beyond the page refused.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { ProfileBuilder, flameTree } from "../../../src/index.js";
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
