// The flamegraph as a user sees it (issue 19): first flames of flamebook's page, speedscope's app,
// flamegraph.pl's SVG and a control page that paints one box, timed from the DevTools screencast
// (every compositor frame) from navigation start, at 1280×800; then hover and click-to-zoom at
// 100k nodes. bench/render.ts runs it first; `npm run bench:screen` runs it alone.
import { existsSync, readFileSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { open } from "../../src/record/open.js";
import { flamegraph } from "../../src/table/flamegraph.js";
import { syntheticProfile } from "../../test/helpers/synthetic-profile.js";
import { gesture, loadTimes, quiet, record, VIEWPORT, type GestureTimes, type Recording } from "./capture.js";
import { addPages, type Input, type PageUrls, type Renderer } from "./pages.js";
import { decodePng, flameShare, type Pixels } from "./png.js";
import { serveStatic } from "./serve.js";

/** The real cargo build recording (bench/make-cargo-build-recording.sh writes it). */
export const CARGO_BUILD = new URL("../data/cargo-build.perf.txt", import.meta.url).pathname;

/** When each page has drawn (polled), before the recording runs on for `TAIL_MS`. */
const READY: Record<Renderer, string> = {
  flamebook: "!!document.querySelector('canvas.fb-canvas[data-boxes]')",
  "flamebook-canvas": "!!document.querySelector('canvas.fb-canvas[data-boxes]')",
  // speedscope names the page after the profile once it has loaded it
  speedscope: "document.title !== 'speedscope' && document.title.includes('speedscope') && !!document.querySelector('canvas')",
  "flamegraph.pl": "document.readyState === 'complete'",
  control: "document.readyState === 'complete'",
};
const TAIL_MS: Record<Renderer, number> = { flamebook: 400, "flamebook-canvas": 400, speedscope: 1200, "flamegraph.pl": 600, control: 300 };

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** "median (min–max)" in whole ms. */
export const mr = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x));
  if (s.length === 0) return "—";
  return `${median(s).toFixed(0)} (${Math.min(...s).toFixed(0)}–${Math.max(...s).toFixed(0)})${s.length < xs.length ? ` [${xs.length - s.length} failed]` : ""}`;
};

/** Options of {@link screenBench}. */
export interface ScreenOptions {
  /** Page loads per renderer and input (interleaved). */
  runs?: number;
  /** Hovers and zooms per renderer at 100k. */
  gestures?: number;
  /** A FlameGraph checkout (flamegraph.pl) for the SVG column; none: the column is left out. */
  flamegraphDir?: string | undefined;
  /** Synthetic sizes besides the cargo build recording. */
  sizes?: number[];
  /** The page loads compared (default control, flamebook, speedscope, flamegraph.pl). */
  renderers?: Renderer[];
  log?: (line: string) => void;
}

/** What one input measured: first flames per renderer (ms from navigation start, per run). */
export interface LoadResult {
  readonly input: string;
  readonly nodes: number;
  readonly firstFlames: Partial<Record<Renderer, number[]>>;
}

/** Gestures at 100k nodes, per renderer. */
export interface GestureResult {
  readonly hover: Partial<Record<Renderer, GestureTimes[]>>;
  readonly zoom: Partial<Record<Renderer, GestureTimes[]>>;
  /** Per zoom, the largest gap between the page's own animation frames during the transition (ms). */
  readonly zoomRafGap: Partial<Record<Renderer, number[]>>;
}

/**
 * From the next mouse button press on, records the page's animation frames for `ms`
 * (window.__fbRaf: their times from the press). Nothing runs before the press: animation frames
 * requested while nothing changes still make screencast frames, and the gesture waits for quiet.
 */
const RAF_ON_PRESS = (ms: number) =>
  `(() => { const out = []; window.__fbRaf = out;
  addEventListener("mousedown", () => {
    const t0 = performance.now();
    function f(t) { out.push(t - t0); if (t - t0 < ${ms}) requestAnimationFrame(f); }
    requestAnimationFrame(f);
  }, { capture: true, once: true }); })()`;

/**
 * Runs the screen benchmark and prints its tables; returns the figures.
 *
 * @example
 * await screenBench({ runs: 5, flamegraphDir: process.env.FLAMEGRAPH_DIR });
 */
export async function screenBench(opts: ScreenOptions = {}): Promise<{ loads: LoadResult[]; gestures: GestureResult | null }> {
  const runs = opts.runs ?? 5;
  const log = opts.log ?? ((l: string) => console.log(l));
  const sizes = opts.sizes ?? [10_000, 100_000];
  const srv = await serveStatic({ "/speedscope/": new URL("../../node_modules/speedscope/dist/release/", import.meta.url).pathname });
  const inputs: { input: Input; slug: string }[] = [];
  if (existsSync(CARGO_BUILD)) {
    const data = await open(CARGO_BUILD);
    inputs.push({ slug: "cargo", input: { label: "cargo build", profile: data.profile, tree: data.flamegraph().tree } });
  } else log(`(no ${CARGO_BUILD}: run bench/make-cargo-build-recording.sh for the real cargo build input)`);
  for (const n of sizes) {
    const profile = syntheticProfile(n);
    inputs.push({ slug: `n${n}`, input: { label: `synthetic ${n / 1000}k`, profile, tree: flamegraph(profile).tree } });
  }
  const urls = new Map<string, PageUrls>();
  for (const { input, slug } of inputs) urls.set(slug, addPages(srv.files, input, slug, opts.flamegraphDir));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
  });
  const loads: LoadResult[] = [];
  let gestures: GestureResult | null = null;
  try {
    log(`load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} (before), chromium ${browser.version()}, ${VIEWPORT.width}×${VIEWPORT.height}, ${runs} interleaved runs`);
    const renderers: Renderer[] = opts.renderers ?? ["control", "flamebook", "speedscope", "flamegraph.pl"];
    for (const { input, slug } of inputs) {
      const u = urls.get(slug)!;
      const result: LoadResult = { input: input.label, nodes: input.tree.nodes.frame.length, firstFlames: {} };
      for (let r = 0; r < runs; r++) {
        for (const who of renderers) {
          const path = u[who];
          if (!path) continue;
          const rec = await record(browser, srv.origin + path, READY[who], TAIL_MS[who], 120_000);
          const t = await loadTimes(rec);
          (result.firstFlames[who] ??= []).push(t.firstFlames);
          await rec.stop();
        }
      }
      loads.push(result);
      log(`first flames, ${input.label} (${result.nodes} nodes): ` + renderers.filter((w) => result.firstFlames[w]).map((w) => `${w} ${mr(result.firstFlames[w]!)}`).join(", "));
    }
    const big = inputs.find((i) => i.slug === "n100000");
    if (big && opts.gestures !== 0) gestures = await gestureBench(browser, srv.origin, urls.get(big.slug)!, opts.gestures ?? 5, log);
    log(`load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} (after)`);
  } finally {
    await browser.close();
    await srv.close();
  }
  return { loads, gestures };
}

/** A point on screen (viewport CSS px). */
type Point = readonly [number, number];

/** Hover and click-to-zoom at 100k nodes: flamebook, speedscope (double-click zooms it) and the control page. */
async function gestureBench(browser: Browser, origin: string, u: PageUrls, n: number, log: (l: string) => void): Promise<GestureResult> {
  const out: GestureResult = { hover: {}, zoom: {}, zoomRafGap: {} };
  for (const who of ["control", "flamebook", "speedscope"] as const) {
    const rec = await record(browser, origin + u[who]!, READY[who], TAIL_MS[who], 120_000);
    try {
      await quiet(rec, 400);
      const shot = decodePng(rec.frames.at(-1)!.png);
      const [a, b] = await targets(rec, who, shot);
      const away: Point = [4, VIEWPORT.height - 4];
      // hover: the pointer moves from one frame onto another, n times
      await rec.page.mouse.move(...a);
      for (let i = 0; i < n; i++) {
        const to = i % 2 === 0 ? b : a;
        (out.hover[who] ??= []).push(await gesture(rec, () => rec.page.mouse.move(...to), 400));
      }
      // click-to-zoom, then back out (Escape / a second double-click on the root), n times
      for (let i = 0; i < n; i++) {
        await rec.page.mouse.move(...away);
        await rec.page.mouse.move(...a);
        const click = who === "speedscope" ? () => rec.page.mouse.dblclick(...a) : () => rec.page.mouse.click(...a);
        await quiet(rec, 300);
        await rec.page.evaluate(RAF_ON_PRESS(1000));
        const g = await gesture(rec, click, 600);
        (out.zoom[who] ??= []).push(g);
        // the page's own frames from the click to the end of the transition (the screencast drops some)
        const raf = (await rec.page.evaluate("window.__fbRaf")) as number[];
        const during = raf.filter((t) => t <= Math.max(50, g.lastChange));
        (out.zoomRafGap[who] ??= []).push(Math.max(0, ...during.slice(1).map((t, k) => t - during[k]!)));
        await rec.page.mouse.move(...away);
        if (who === "flamebook") await rec.page.keyboard.press("Escape");
        else if (who === "speedscope") await rec.page.keyboard.press("0"); // speedscope: zoom out to the whole profile
        await quiet(rec, 500);
      }
    } finally {
      await rec.stop();
    }
  }
  const maxGap = (g: GestureTimes) => (g.gaps.length > 1 ? Math.max(...g.gaps.slice(1)) : 0);
  for (const who of ["control", "flamebook", "speedscope"] as const) {
    log(`hover at 100k, ${who}: first changed frame ${mr(out.hover[who]!.map((g) => g.firstChange))} ms`);
    const z = out.zoom[who]!;
    log(
      `click-to-zoom at 100k, ${who}: first changed frame ${mr(z.map((g) => g.firstChange))} ms, last ${mr(z.map((g) => g.lastChange))} ms, ` +
        `changed frames ${mr(z.map((g) => g.gaps.length))}, largest gap between them ${mr(z.map(maxGap))} ms (between the page's animation frames ${mr(out.zoomRafGap[who]!)} ms)`,
    );
  }
  return out;
}

/**
 * Two points over frames of the page to hover between and click: for flamebook the widest box of
 * the fourth and fifth flame rows above the bottom of its canvas, for speedscope the widest frame
 * of the second and third rows of its flame chart, for the control page two points of its box.
 */
async function targets(rec: Recording, who: Renderer, shot: Pixels): Promise<[Point, Point]> {
  if (who === "control") return [[640, 400], [640, 80]]; // into its box and out: both change its colour
  if (who === "flamebook") {
    const r = await rec.page.$eval("canvas.fb-canvas", (c) => {
      const b = c.getBoundingClientRect();
      return [b.left, b.top, b.width, b.height] as const;
    });
    const rows = flameRows(shot, r[0], r[0] + r[2], r[1], r[1] + r[3]).reverse(); // from the bottom
    return [widest(shot, rows[3]!, r[0], r[0] + r[2]), widest(shot, rows[4]!, r[0], r[0] + r[2])];
  }
  // speedscope: the flame chart fills the page below its minimap; rows are drawn from the top
  const rows = flameRows(shot, 0, VIEWPORT.width, VIEWPORT.height * 0.3, VIEWPORT.height);
  return [widest(shot, rows[1]!, 0, VIEWPORT.width), widest(shot, rows[2]!, 0, VIEWPORT.width)];
}

const isFlame = (p: Pixels, x: number, y: number) => {
  const o = (Math.round(y) * p.width + Math.round(x)) * 4;
  const [r, g, b] = [p.rgba[o]!, p.rgba[o + 1]!, p.rgba[o + 2]!];
  return Math.max(r, g, b) - Math.min(r, g, b) >= 48;
};

/** The middle y of each band of rows with flame colours between y0 and y1 (top to bottom). */
function flameRows(p: Pixels, x0: number, x1: number, y0: number, y1: number): number[] {
  const rows: number[] = [];
  let start = -1;
  for (let y = Math.ceil(y0); y < Math.floor(y1); y++) {
    let n = 0;
    for (let x = Math.ceil(x0); x < x1; x += 4) if (isFlame(p, x, y)) n++;
    const on = n >= 4;
    if (on && start < 0) start = y;
    if (!on && start >= 0) {
      if (y - start >= 8) rows.push((start + y - 1) / 2);
      start = -1;
    }
  }
  return rows;
}

/** The middle of the longest run of flame pixels on row y (a frame's box). */
function widest(p: Pixels, y: number, x0: number, x1: number): Point {
  let best: [number, number] = [x0, x0];
  let start = -1;
  for (let x = Math.ceil(x0); x <= Math.floor(x1); x++) {
    const on = x < x1 && isFlame(p, x, y);
    if (on && start < 0) start = x;
    if (!on && start >= 0) {
      if (x - start > best[1] - best[0]) best = [start, x];
      start = -1;
    }
  }
  return [Math.round((best[0] + best[1]) / 2), Math.round(y)];
}

/** The share of flame colours in a frame, for a quick look at a recording. */
export const shareOf = (png: Buffer) => flameShare(decodePng(png));

/**
 * The figures as Markdown tables (bench/RESULTS.md), each against its goal: first flames ≤ 2.5×
 * the control page (cargo build and 100k), hover ≤ 50 ms, zoom's first frame ≤ 50 ms and no gap
 * over 33 ms.
 *
 * @example
 * console.log(resultsMarkdown(await screenBench()).join("\n"));
 */
export function resultsMarkdown(r: { loads: LoadResult[]; gestures: GestureResult | null }): string[] {
  const out: string[] = [];
  const cols: Renderer[] = ["control", "flamebook", "speedscope", "flamegraph.pl"];
  const shown = cols.filter((c) => r.loads.some((l) => l.firstFlames[c]));
  out.push(`| input | nodes | ${shown.join(" | ")} | flamebook ÷ control | goal ≤ 2.5× |`);
  out.push(`|---|---:|${shown.map(() => "---:").join("|")}|---:|---|`);
  for (const l of r.loads) {
    const ratio = median(l.firstFlames.flamebook ?? []) / median(l.firstFlames.control ?? []);
    const goal = /cargo|100k/.test(l.input) ? (ratio <= 2.5 ? "met" : "**missed**") : "(no goal)";
    out.push(`| ${l.input} | ${l.nodes} | ${shown.map((c) => (l.firstFlames[c] ? mr(l.firstFlames[c]!) : "—")).join(" | ")} | ${ratio.toFixed(2)}× | ${goal} |`);
  }
  const g = r.gestures;
  if (!g) return out;
  const maxGap = (x: GestureTimes) => (x.gaps.length > 1 ? Math.max(...x.gaps.slice(1)) : 0);
  out.push("", "| at 100k nodes | control | flamebook | speedscope | goal (flamebook) |", "|---|---:|---:|---:|---|");
  const row = (what: string, f: (w: Renderer) => number[], goal: (v: number) => string) =>
    out.push(`| ${what} | ${(["control", "flamebook", "speedscope"] as const).map((w) => mr(f(w))).join(" | ")} | ${goal(median(f("flamebook")))} |`);
  const ok = (v: number, limit: number) => `≤ ${limit} ms: ${Math.round(v) <= limit ? "met" : "**missed**"}`;
  row("hover → first changed frame (ms)", (w) => (g.hover[w] ?? []).map((x) => x.firstChange), (v) => ok(v, 50));
  row("click-to-zoom → first changed frame (ms)", (w) => (g.zoom[w] ?? []).map((x) => x.firstChange), (v) => ok(v, 50));
  row("click-to-zoom → last changed frame (ms)", (w) => (g.zoom[w] ?? []).map((x) => x.lastChange), () => "(animation 250 ms)");
  row("zoom: changed frames", (w) => (g.zoom[w] ?? []).map((x) => x.gaps.length), () => "");
  row("zoom: largest gap between changed frames, screencast (ms)", (w) => (g.zoom[w] ?? []).map(maxGap), (v) => ok(v, 33));
  row("zoom: largest gap between the page's animation frames (ms)", (w) => g.zoomRafGap[w] ?? [], (v) => ok(v, 33));
  return out;
}
