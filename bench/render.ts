// Benchmark (not a test), in two parts.
// 1. As a user sees it (bench/screen/): every compositor frame of headless Chromium at 1280×800
//    (DevTools screencast), timed from navigation start: first flames (the first frame with 2% of
//    the viewport in flame colours) of flamebook's page, speedscope's app, flamegraph.pl's SVG
//    (with FLAMEGRAPH_DIR=a FlameGraph checkout) and a control page that paints one box, on the real
//    cargo build recording (bench/make-cargo-build-recording.sh) and 10k/100k synthetic trees,
//    SCREEN_RUNS=5 interleaved runs; then hover and click-to-zoom at 100k. `npm run bench:screen`
//    runs this part alone (SCREEN=0 skips it).
// 2. In the page: first-render time and click-to-zoom frame times for 1k, 10k and 100k-node trees,
//    flamebook's canvas renderer side by side with d3-flame-graph 5 (SVG) on the same trees in the
//    same run; plus output sizes (widget state, static SVG, bundles).
// Run: npm run bench:render   (REPEAT=5 first renders and ZOOM_REPEAT=3 zooms per size by default;
// ZOOM_REPEAT_100K=2 at 100k nodes, where one d3-flame-graph zoom takes tens of seconds; figures
// vary ±30% on a noisy 2-core VM, compare the ratios within one run).
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { flameTree } from "../src/fold/flame-tree.js";
import { flameTreeJson } from "../src/render/flame-wire.js";
import { flameSvg } from "../src/render/flame-svg.js";
import { flameWidgetState } from "../src/render/flame-widget-state.js";
import { widgetAsset, type WidgetAsset } from "../src/render/widget-assets.js";
import { syntheticProfile } from "../test/helpers/synthetic-profile.js";

import { ZOOM_MS } from "../widgets/core/zoom.js";
import type { ZoomRun } from "./render-page.js";
import { resultsMarkdown, screenBench } from "./screen/run.js";

if (process.env["SCREEN"] !== "0") {
  const screen = await screenBench({ runs: Number(process.env["SCREEN_RUNS"] ?? 5), gestures: Number(process.env["SCREEN_GESTURES"] ?? 5), flamegraphDir: process.env["FLAMEGRAPH_DIR"] });
  console.log(["", ...resultsMarkdown(screen), ""].join("\n"));
  if (process.argv.includes("--screen-only")) process.exit(0);
}

const REPEAT = Number(process.env["REPEAT"] ?? 5);
const ZOOM_REPEAT = Number(process.env["ZOOM_REPEAT"] ?? 3);
const ZOOM_REPEAT_100K = Number(process.env["ZOOM_REPEAT_100K"] ?? 2);
const SIZES = (process.env["SIZES"] ?? "1000,10000,100000").split(",").map(Number);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mmm = (xs: number[], d = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(d)}/${median(s).toFixed(d)}/${s.at(-1)!.toFixed(d)}`;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const bundle = await build({
  entryPoints: [new URL("./render-page.ts", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "iife",
  write: false,
  define: { __FLAMEBOOK_VERSION__: '"bench"' },
  loader: { ".css": "empty" }, // d3-flame-graph's stylesheet is added to the page below
  logLevel: "silent",
});
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.setContent(`<!doctype html><html><body></body></html>`);
  await page.addStyleTag({ content: readFileSync(new URL("../node_modules/d3-flame-graph/dist/d3-flamegraph.css", import.meta.url), "utf8") });
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`${new Date().toISOString()}, load average ${load}, chromium ${browser.version()}`);
  console.log(`first render, median of ${REPEAT} (ms; "painted" = until two animation frames have run)`);
  console.log("nodes     flamebook sync  painted   d3-flame-graph sync  painted   speedup  d3fg DOM elements/bytes");
  const zoomRows: string[] = [];
  for (const n of SIZES) {
    const tree = flameTree(syntheticProfile(n), { timeline: false });
    const { header, data } = flameTreeJson(tree);
    const loaded = await page.evaluate(([h, d]) => (window as any).bench.load(h, d), [header, data] as const);
    const ours: { syncMs: number; paintedMs: number; domNodes: number }[] = [];
    const theirs: { syncMs: number; paintedMs: number; domNodes: number; domBytes: number }[] = [];
    for (let r = 0; r < REPEAT; r++) {
      ours.push(await page.evaluate(() => (window as any).bench.ours()));
      theirs.push(await page.evaluate(() => (window as any).bench.theirs()));
    }
    const os = median(ours.map((o) => o.syncMs));
    const op = median(ours.map((o) => o.paintedMs));
    const ts = median(theirs.map((o) => o.syncMs));
    const tp = median(theirs.map((o) => o.paintedMs));
    console.log(
      `${String(loaded.nodes).padEnd(9)} ${os.toFixed(1).padStart(14)} ${op.toFixed(1).padStart(8)}   ${ts.toFixed(1).padStart(19)} ${tp.toFixed(1).padStart(8)}   ${(tp / op).toFixed(1).padStart(6)}x  ${theirs[0]!.domNodes}/${kb(theirs[0]!.domBytes)}` +
        `   (unpack ${loaded.unpackMs.toFixed(1)} ms, our DOM ${ours[0]!.domNodes} elements)`,
    );
    console.log(`          painted min/median/max: flamebook ${mmm(ours.map((o) => o.paintedMs))}, d3-flame-graph ${mmm(theirs.map((o) => o.paintedMs))}; speedup per run ${ours.map((o, i) => `${(theirs[i]!.paintedMs / o.paintedMs).toFixed(1)}x`).join(" ")}`);
    // click-to-zoom: both renderers, alternating, on the same node; d3-flame-graph with the same
    // nominal transition length as ours (its default is 750 ms)
    const zr = n >= 100_000 ? ZOOM_REPEAT_100K : ZOOM_REPEAT;
    const zo: ZoomRun[] = [];
    const zt: ZoomRun[] = [];
    for (let r = 0; r < zr; r++) {
      zo.push(await page.evaluate(() => (window as any).bench.zoomOurs()));
      zt.push(await page.evaluate((ms) => (window as any).bench.zoomTheirs(ms), ZOOM_MS));
    }
    const row = (who: string, z: ZoomRun[]) =>
      `${String(loaded.nodes).padEnd(7)} ${who.padEnd(15)} ${mmm(z.map((x) => x.frames.length)).padStart(9)} ${mmm(z.map((x) => mean(x.frames)), 1).padStart(20)} ${mmm(z.map((x) => p95(x.frames)), 1).padStart(20)} ${mmm(z.map((x) => Math.max(...x.frames)), 1).padStart(22)} ${mmm(z.map((x) => x.durationMs)).padStart(18)} ${mmm(z.map((x) => x.clickMs), 1).padStart(18)}`;
    zoomRows.push(row("flamebook", zo), row("d3-flame-graph", zt));
    zoomRows.push(`        ratio d3fg/flamebook per run: mean frame ${zo.map((o, i) => `${(mean(zt[i]!.frames) / mean(o.frames)).toFixed(1)}x`).join(" ")}; max frame ${zo.map((o, i) => `${(Math.max(...zt[i]!.frames) / Math.max(...o.frames)).toFixed(1)}x`).join(" ")}; transition ${zo.map((o, i) => `${(zt[i]!.durationMs / o.durationMs).toFixed(1)}x`).join(" ")}`);
  }
  console.log(`\nclick-to-zoom transition (nominal ${ZOOM_MS} ms for both), min/median/max over ${ZOOM_REPEAT} runs (${ZOOM_REPEAT_100K} at 100k), ms`);
  console.log("frames = animation frames from the click to the first frame after the last drawing; frame = requestAnimationFrame delta");
  console.log(`${"nodes".padEnd(7)} ${"renderer".padEnd(15)} ${"frames".padStart(9)} ${"mean frame".padStart(20)} ${"p95 frame".padStart(20)} ${"max frame".padStart(22)} ${"transition".padStart(18)} ${"click handler".padStart(18)}`);
  for (const r of zoomRows) console.log(r);
  console.log("\noutput sizes");
  for (const n of [1_000, 10_000]) {
    const tree = flameTree(syntheticProfile(n), { timeline: false });
    const { state, buffers } = flameWidgetState(tree, { host: "flamebook" });
    const stateBytes = JSON.stringify(state).length + buffers.reduce((s, b) => s + b.length, 0);
    const json = JSON.stringify(flameTreeJson(tree)).length;
    const svg = flameSvg(tree).length;
    const withTimeline = JSON.stringify(flameTreeJson(flameTree(syntheticProfile(n)))).length;
    console.log(
      `${n} nodes: widget state ${kb(stateBytes)} (binary buffer), as JSON/base64 ${kb(json)}, with a worst-case timeline ${kb(withTimeline)}; ` +
        `static SVG ${kb(svg)} (flamegraph.pl: about ${kb(190 * n)})`,
    );
  }
  for (const name of ["anywidget.js", "standalone.js", "jupyter-widgets.js"] as WidgetAsset[]) {
    const text = widgetAsset(name);
    console.log(`bundle ${name}: ${kb(text.length)} minified, ${kb(gzipSync(text).length)} gzipped`);
  }
  const d3fg = readFileSync(new URL("../node_modules/d3-flame-graph/dist/d3-flamegraph.umd.min.js", import.meta.url));
  console.log(`(d3-flame-graph's own minified file, without its d3 modules: ${kb(d3fg.length)})`);
} finally {
  await browser.close();
}
