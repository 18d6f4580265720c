// Opens a report written by `flamebook run --html` in headless Chromium, from file://, as a reader
// would: nothing may be fetched, nothing may log an error, every flamegraph is drawn, hovering a
// frame shows its name, and the verdict sentence is on the page. Saves a full-page screenshot.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../helpers/browser.js";
import { canvasInk, hoverFrameName } from "../widgets/hosts/serve.js";

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

      const title = await hoverFrameName(page);
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
