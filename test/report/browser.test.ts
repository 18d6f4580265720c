// The report in headless Chromium, opened from disk (file://) as a reader would: nothing fetched,
// no console error, flamegraphs drawn and hoverable, untrusted HTML shown without running, light
// and dark. Screenshots go to test-artifacts/report-{light,dark}.png (not committed).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { flameTree, openProfile, readReportNotebook, renderReport, writeReport } from "../../src/internals.js";
import { launchChromium, skipWithoutChromium } from "../helpers/browser.js";
import { canvasInk, hoverFrameName } from "../widgets/hosts/serve.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { reportNotebook } from "./notebook-fixture.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const artifacts = join(repo, "test-artifacts");
let browser: Browser | undefined;
let file = "";
let verdictText = "";
let frameNames = new Set<string>();

before(async () => {
  await ensureBuilt();
  const nb = await reportNotebook();
  verdictText = nb.verdictText;
  const dir = mkdtempSync(join(tmpdir(), "fb-report-browser-"));
  file = await writeReport(join(dir, "report.html"), renderReport(readReportNotebook(JSON.stringify(nb.notebook), "wordfreq.ipynb"), { source: "wordfreq.ipynb" }));
  const profile = await openProfile(fileURLToPath(new URL("../fixtures/perf-script/clone-in-loop.before.perf.txt", import.meta.url)));
  frameNames = new Set(flameTree(profile).strings);
});
after(() => browser?.close());


for (const scheme of ["light", "dark"] as const) {
  test(`report in Chromium (${scheme}): offline, no errors, flamegraphs drawn and hoverable, verdict shown, hostile HTML inert`, { timeout: 120_000 }, async (t) => {
    if (skipWithoutChromium(t)) return;
    browser ??= await launchChromium();
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    context.on("request", (r) => requests.push(r.url()));
    await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      // Warnings are not collected: the test's own getImageData readbacks make Chromium suggest willReadFrequently.
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => document.querySelectorAll("canvas.fb-canvas").length === 3 && document.querySelectorAll(".fb-html-ready").length === 3);
    await page.waitForTimeout(300);

    const ink = await page.evaluate(canvasInk);
    assert.equal(ink.length, 3);
    assert.ok(ink.every((n) => n > 2000), `every flamegraph canvas is drawn: ${ink.join(", ")} pixels`);

    const title = await hoverFrameName(page);
    assert.ok(frameNames.has(title), `the tooltip names a frame of the profile: ${JSON.stringify(title)}`);

    const htmlOutputs = await page.locator(".fb-html").allInnerTexts();
    assert.equal(htmlOutputs.length, 4);
    assert.ok(htmlOutputs.includes("Figure(640x480)"), "an output that needs its own script keeps its text form");
    assert.ok(htmlOutputs.some((s) => s.includes(verdictText)), `the verdict is shown: ${verdictText}`);
    assert.ok(htmlOutputs.some((s) => /wordfreq::process::process/.test(s)), "the arquero table is shown");
    const table = page.locator(".fb-html table").first();
    assert.ok((await table.locator("td").count()) > 20, "the table keeps its cells");

    const hostile = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      scripts: [...document.scripts].filter((s) => !s.type).length,
      foreign: document.querySelectorAll(".fb-html-ready :is(iframe, form, input, svg, style, script, [onerror], [onmouseover], [id], [class])").length,
      remoteImages: [...document.images].filter((i) => !i.src.startsWith("data:")).length,
      jsLinks: [...document.links].filter((a) => !/^(https?:|mailto:|file:.*#)/.test(a.href)).map((a) => a.href),
      bodyVisible: getComputedStyle(document.body).display !== "none",
      keptText: document.body.innerText.includes("kept text"),
      styledDiv: [...document.querySelectorAll(".fb-html div")].some((d) => d.textContent === "styled" && !d.hasAttribute("style")),
      redCell: [...document.querySelectorAll(".fb-html td")].some((d) => d.textContent === "cell" && getComputedStyle(d).color === "rgb(255, 0, 0)"),
      mdScriptText: document.body.innerText.includes("<script>window.__pwned = 'md-inline'</script>"),
    }));
    assert.deepEqual(hostile, {
      pwned: undefined,
      scripts: 2,
      foreign: 0,
      remoteImages: 0,
      jsLinks: [],
      bodyVisible: true,
      keptText: true,
      styledDiv: true,
      redCell: true,
      mdScriptText: true,
    });

    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, scheme === "dark" ? "rgb(22, 24, 28)" : "rgb(255, 255, 255)");
    // The flamegraph widget follows the page's theme: its canvas background is dark in dark mode.
    const canvasBg = await page.evaluate(() => {
      const cv = document.querySelector<HTMLCanvasElement>("canvas.fb-canvas")!;
      const d = cv.getContext("2d")!.getImageData(cv.width - 2, 2, 1, 1).data;
      return (0.2126 * d[0]! + 0.7152 * d[1]! + 0.0722 * d[2]!) / 255;
    });
    assert.ok(scheme === "dark" ? canvasBg < 0.3 : canvasBg > 0.7, `canvas background luminance ${canvasBg.toFixed(2)} fits ${scheme}`);

    // The code toggle is CSS only (a checkbox and its label): it works without the scripts.
    const sources = page.locator(".fb-source");
    assert.ok(await sources.first().isVisible());
    await page.click('label[for="fb-hide-code"]');
    assert.equal(await sources.first().isVisible(), false, "code hidden");
    await page.click('label[for="fb-hide-code"]');
    assert.ok(await sources.first().isVisible(), "code shown again");

    await page.mouse.move(0, 0);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, `report-${scheme}.png`), fullPage: true });
    assert.deepEqual(errors, [], "no console errors or page errors");
    assert.deepEqual(requests, [url], "no request but the report file itself");
    await context.close();
  });
}
