// Browser tests: Debian's Chromium through playwright-core, esbuild bundles of page entries, and
// pages opened from an HTML string with every request beyond the page itself refused.
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FlameTree } from "../../src/model/flame-tree.js";
import { diffFlameTree, flameTree, openProfile } from "../../src/internals.js";

/** Where Chromium is (FLAMEBOOK_CHROMIUM overrides; Debian's package puts it here). */
export const CHROMIUM = process.env["FLAMEBOOK_CHROMIUM"] ?? "/usr/bin/chromium";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (scripts/setup.sh does) or set FLAMEBOOK_CHROMIUM`;
}

/**
 * Skips the test (printing why) when Chromium is missing, and returns true; in CI (`CI` set) a
 * missing Chromium fails the test instead.
 *
 * @example
 * test("draws", async (t) => { if (skipWithoutChromium(t)) return; … });
 */
export function skipWithoutChromium(t: TestContext): boolean {
  const why = chromiumMissing();
  if (why === null) return false;
  if (process.env["CI"]) throw new Error(why);
  console.log(`# skipped: ${why}`);
  t.skip(why);
  return true;
}

/**
 * Launches headless Chromium.
 *
 * @example
 * const browser = await launchChromium(); … await browser.close();
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * One browser shared by the tests of a file: launched on first use, closed by `close()` (call it
 * from `after`). `page(t, …)` returns null (the test skipped) when Chromium is missing.
 *
 * @example
 * const shared = sharedBrowser();
 * after(() => shared.close());
 * test("x", async (t) => { const page = await shared.page(t, html); if (!page) return; … });
 */
export function sharedBrowser(): { page(t: TestContext, html: string, opts?: PageOptions): Promise<Page | null>; close(): Promise<void> } {
  let launching: Promise<Browser> | undefined;
  return {
    async page(t, html, opts) {
      if (skipWithoutChromium(t)) return null;
      launching ??= launchChromium();
      return openPage(await launching, html, opts);
    },
    async close() {
      if (launching) await (await launching).close();
    },
  };
}

/** Options of {@link openPage}. */
export interface PageOptions {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** Classic scripts added after the HTML is set, in order. */
  scripts?: readonly string[];
  colorScheme?: "light" | "dark";
}

/**
 * Opens a page with the given HTML in a fresh context; requests for anything but the page itself
 * (`about:`, `data:`, `blob:`) are refused, so nothing leaves the machine. Page errors are
 * collected on `page.errors` (read them with {@link pageErrors}).
 *
 * @example
 * const page = await openPage(browser, "<!doctype html><body></body>", { scripts: [bundleText] });
 */
export async function openPage(browser: Browser, html: string, opts: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1200, height: 800 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    colorScheme: opts.colorScheme ?? "light",
    reducedMotion: "no-preference",
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    return /^(about|data|blob):/.test(url) ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  await page.setContent(html);
  for (const s of opts.scripts ?? []) await page.addScriptTag({ content: s });
  return page;
}

/**
 * The errors a page reported so far (uncaught exceptions and console errors).
 *
 * @example
 * assert.deepEqual(pageErrors(page), []);
 */
export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/**
 * Bundles an entry file with esbuild (everything inlined) and returns the code.
 *
 * @example
 * const js = await bundle("test/widgets/core/page.ts", { format: "iife" });
 */
export async function bundle(entry: string, opts: { format?: "esm" | "iife"; minify?: boolean } = {}): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: opts.format ?? "iife",
    minify: opts.minify ?? false,
    target: ["chrome100"],
    define: { __FLAMEBOOK_VERSION__: '"test"' },
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/** A {@link FlameTree} with its typed arrays as plain arrays, for page.evaluate (a test-only encoding). */
export type JsonTree = Record<string, unknown>;

/**
 * A flame tree as plain JSON: every typed array becomes `{ $t: "Int32Array", v: [...] }`.
 * The page side reverses it (test/widgets/core/page.ts).
 *
 * @example
 * await page.evaluate((t) => window.fb.mount(t), treeToJson(tree));
 */
export function treeToJson(tree: FlameTree): JsonTree {
  const walk = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { $t: v.constructor.name, v: Array.from(v as unknown as ArrayLike<number>) };
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(tree) as JsonTree;
}

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;

/**
 * The flame trees of the clone-in-loop recordings: before, after (plain) and their diff.
 *
 * @example
 * const { before, diff } = await cloneInLoopTrees();
 */
export async function cloneInLoopTrees(): Promise<{ before: FlameTree; after: FlameTree; diff: FlameTree }> {
  const b = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const a = await openProfile(fixture("clone-in-loop.after.perf.txt"));
  return { before: flameTree(b, { title: "clone-in-loop (before)" }), after: flameTree(a, { title: "clone-in-loop (after)" }), diff: diffFlameTree(b, a) };
}

/**
 * The flame tree of a perf-script fixture by file name.
 *
 * @example
 * const threads = await perfFixtureTree("threads.perf.txt");
 */
export async function perfFixtureTree(name: string): Promise<FlameTree> {
  return flameTree(await openProfile(fixture(name)));
}
