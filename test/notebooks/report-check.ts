// Opens a report written by `flamebook run --html` in headless Chromium, from file://, as a reader
// would: nothing may be fetched, nothing may log an error, every flamegraph is drawn, hovering a
// frame shows its name, and the verdict sentence is on the page. Saves a full-page screenshot.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../helpers/browser.js";

/** Pixels of each flamegraph canvas that differ from its top-left pixel. */
function canvasInk(): number[] {
  return [...document.querySelectorAll("canvas.fb-canvas")].map((c) => {
    const cv = c as HTMLCanvasElement;
    const d = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  });
}

/**
 * Checks the report at `file` and writes `<screenshotDir>/<name>-{light,dark}.png`.
 *
 * @example await checkReport("/tmp/clone-in-loop.html", { flamegraphs: 2, verdict: "after is 33.2% faster…", screenshot: "test-artifacts/clone-in-loop-report" });
 */
export async function checkReport(file: string, o: { flamegraphs: number; verdict: string; screenshot: string }): Promise<void> {
  const browser = await launchChromium();
  try {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
      const url = pathToFileURL(file).href;
      const requests: string[] = [];
      context.on("request", (r) => requests.push(r.url()));
      await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
      await page.goto(url);
      await page.waitForFunction((n) => document.querySelectorAll("canvas.fb-canvas").length === n, o.flamegraphs, { timeout: 30_000 });
      await page.waitForTimeout(500);
      const ink = await page.evaluate(canvasInk);
      assert.ok(ink.every((n) => n > 2000), `${scheme}: every flamegraph canvas is drawn: ${ink.join(", ")} pixels`);

      // Hover over the first graph, bottom up, until the tooltip names a frame.
      const canvas = page.locator("canvas.fb-canvas").first();
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      let title = "";
      for (let y = box.y + box.height - 6; y > box.y && !title; y -= 17) {
        await page.mouse.move(box.x + box.width * 0.3, y);
        title = await page.evaluate(() => {
          const tip = document.querySelector<HTMLElement>(".fb-tip");
          return tip && !tip.hidden ? (tip.querySelector(".fb-tip-title")?.textContent ?? "") : "";
        });
      }
      assert.ok(title.length > 0, `${scheme}: hovering a frame shows its name`);
      const text = await page.evaluate(() => document.body.innerText);
      assert.ok(text.includes(o.verdict), `${scheme}: the verdict is on the page: ${o.verdict}`);

      await page.mouse.move(0, 0);
      mkdirSync(join(o.screenshot, ".."), { recursive: true });
      await page.screenshot({ path: `${o.screenshot}-${scheme}.png`, fullPage: true });
      assert.deepEqual(errors, [], `${scheme}: no console or page errors`);
      assert.deepEqual(requests, [url], `${scheme}: no request but the report file itself`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
