// Shared steps of the renderer's browser tests (not a test file): one bundle of page.ts per file,
// mounting a tree, finding frames on the canvas, hovering and waiting for zoom animations.
import type { TestContext } from "node:test";
import type { Page } from "playwright-core";
import type { FlameOptions, FlameTree } from "../../../src/model/flame-tree.js";
import { bundle, sharedBrowser, treeToJson, type PageOptions } from "../../helpers/browser.js";

const PAGE = new URL("./page.ts", import.meta.url).pathname;
let pageJs: Promise<string> | undefined;

/** The bundled page entry (built once per test file). */
export function pageScript(): Promise<string> {
  pageJs ??= bundle(PAGE, { format: "iife" });
  return pageJs;
}

/** A blank page with a 1000px-wide #host, the page script loaded. */
export function hostHtml(body = "", hostStyle = "width:1000px"): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body style="margin:8px">${body}<div id="host" style="${hostStyle}"></div></body></html>`;
}

/** A {@link sharedBrowser} plus a mount step: opens a page and draws `tree` with `options`. */
export function renderer() {
  const shared = sharedBrowser();
  return {
    close: () => shared.close(),
    async mount(t: TestContext, tree: FlameTree, options: Partial<FlameOptions> = {}, page: PageOptions & { html?: string } = {}): Promise<Page | null> {
      const p = await shared.page(t, page.html ?? hostHtml(), { ...page, scripts: [await pageScript()] });
      if (!p) return null;
      await p.evaluate(([json, o]) => window.fb.mount(json, o), [treeToJson(tree), options] as const);
      return p;
    },
  };
}

/** Where a node is drawn, in page coordinates (null when not in view). */
export async function nodeBox(page: Page, node: number): Promise<{ x: number; y: number; width: number; height: number } | null> {
  return page.evaluate((n) => {
    const r = window.fb.handle!.nodeRect(n);
    if (!r) return null;
    const c = document.querySelector(".fb-canvas")!.getBoundingClientRect();
    return { x: c.left + r.x, y: c.top + r.y, width: r.width, height: r.height };
  }, node);
}

/** The centre of a node on the page (within the visible part of the canvas). */
export async function nodeCenter(page: Page, node: number): Promise<[number, number]> {
  const r = await nodeBox(page, node);
  if (!r) throw new Error(`node ${node} is not in view`);
  const c = await canvasBox(page);
  const x0 = Math.max(r.x, c.x);
  const x1 = Math.min(r.x + r.width, c.x + c.width);
  return [(x0 + x1) / 2, r.y + r.height / 2];
}

/** The canvas's box on the page. */
export async function canvasBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.evaluate(() => {
    const r = document.querySelector(".fb-canvas")!.getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  });
}

/** Hovers a node and returns the tooltip's text lines (title first). */
export async function hoverNode(page: Page, node: number): Promise<string[]> {
  const [x, y] = await nodeCenter(page, node);
  await page.mouse.move(x - 2, y);
  await page.mouse.move(x, y);
  return tipLines(page);
}

/** The visible tooltip's lines, or [] when hidden. */
export async function tipLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const tip = document.querySelector<HTMLElement>(".fb-tip")!;
    if (tip.hidden) return [];
    const title = tip.querySelector(".fb-tip-title")?.textContent ?? "";
    const ks = [...tip.querySelectorAll(".fb-tip-k")].map((e) => e.textContent ?? "");
    const vs = [...tip.querySelectorAll(".fb-tip-v")].map((e) => e.textContent ?? "");
    return [title, ...ks.map((k, i) => `${k}: ${vs[i]}`)];
  });
}

/** Waits until a node spans (nearly) the whole canvas width, i.e. a zoom to it has finished. */
export async function waitZoomedTo(page: Page, node: number): Promise<void> {
  await page.waitForFunction((n) => {
    const r = window.fb.handle!.nodeRect(n);
    const w = document.querySelector<HTMLCanvasElement>(".fb-canvas")!.getBoundingClientRect().width;
    return r !== null && Math.abs(r.x) < 0.5 && Math.abs(r.width - w) < 0.5;
  }, node);
}

/** Text of an element (trimmed), or null when absent. */
export async function textOf(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
}

/** Waits for the next two animation frames (so rAF paints have happened). */
export async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

declare global {
  interface Window {
    fb: {
      handle: import("../../../widgets/core/index.js").FlamegraphHandle | null;
      changes: import("../../../widgets/core/index.js").FlameChange[];
      tree: FlameTree | null;
      mount(tree: unknown, options?: Partial<FlameOptions>): number;
      remount(options?: Partial<FlameOptions>): number;
      mountSynthetic(n: number, seed: number, timeline: boolean, options?: Partial<FlameOptions>): number;
      setTree(tree: unknown): void;
      pixel(x: number, y: number): number[];
    };
    __pwned?: unknown;
  }
}
