// Serves files to a browser context under http://flamebook.test/ (playwright routes, no socket),
// and records every other request, which is refused: an exported page must need nothing else.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";

const require = createRequire(import.meta.url);

/** A file of an npm dependency, by package and path inside it (e.g. "requirejs", "require.js"). */
export function dependencyFile(pkg: string, path: string): string {
  // Some packages (anywidget) export neither the file nor package.json: find the package directory.
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const file = join(dir, pkg, path);
    if (existsSync(file)) return readFileSync(file, "utf8");
  }
  throw new Error(`no ${path} in the npm package ${pkg}; run npm ci`);
}

/**
 * Opens `http://flamebook.test/<entry>` with `files` (path → content) as the only things
 * reachable; returns the page and the list of refused URLs.
 *
 * @example
 * const { page, refused } = await servePage(browser, { "index.html": html, "require.js": js });
 */
export async function servePage(browser: Browser, files: Record<string, string>, entry = "index.html"): Promise<{ page: Page; refused: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const refused: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "blob:" || url.protocol === "data:") return route.continue();
    const body = url.host === "flamebook.test" ? files[url.pathname.slice(1)] : undefined;
    if (body === undefined) {
      refused.push(url.href);
      return route.abort();
    }
    const type = url.pathname.endsWith(".html") ? "text/html" : "text/javascript";
    return route.fulfill({ status: 200, contentType: `${type}; charset=utf-8`, body });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`http://flamebook.test/${entry}`);
  return { page, refused, errors };
}

/**
 * Per flamegraph canvas on the page, how many pixels differ from its top-left pixel (the
 * background): a drawing, not a blank canvas. Runs in the page (pass it to `page.evaluate`).
 *
 * @example
 * const ink = await page.evaluate(canvasInk); // [48211, 51002]
 */
export function canvasInk(): number[] {
  return [...document.querySelectorAll("canvas.fb-canvas")].map((c) => {
    const cv = c as HTMLCanvasElement;
    const d = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  });
}

/**
 * One flamegraph canvas's pixels: how many differ from its top-left pixel (the background), and a
 * hash of all of them (a redraw with other content changes it). Runs in the page: pass it to a
 * canvas locator's `evaluate`.
 *
 * @example
 * const { ink, hash } = await page.locator("canvas.fb-canvas").first().evaluate(canvasPixels);
 */
export function canvasPixels(cv: HTMLCanvasElement): { ink: number; hash: number } {
  const d = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
  let ink = 0;
  let hash = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) ink++;
    hash = (Math.imul(hash, 31) + d[i]! + (d[i + 1]! << 8) + (d[i + 2]! << 16)) | 0;
  }
  return { ink, hash };
}

/**
 * Moves the mouse up the first flamegraph canvas on the page, from its bottom row, until the
 * tooltip shows a frame name; returns that name ("" when no hover showed one).
 *
 * @example
 * const name = await hoverFrameName(page); // "wordfreq::main"
 */
export async function hoverFrameName(page: Page): Promise<string> {
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
  return title;
}
