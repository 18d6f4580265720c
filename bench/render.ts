// Benchmark (not a test): first-render time of the flamegraph in headless Chromium for 1k, 10k and
// 100k-node trees, flamebook's canvas renderer side by side with d3-flame-graph 5 (SVG) on the
// same trees in the same run; plus output sizes (widget state, static SVG, bundles).
// Run: npm run bench:render   (REPEAT=5 by default; figures vary ±30% on a noisy 2-core VM,
// compare the ratios within one run).
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

const REPEAT = Number(process.env["REPEAT"] ?? 5);
const SIZES = [1_000, 10_000, 100_000];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
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
  console.log(`first render, median of ${REPEAT} (ms; "painted" = until two animation frames have run)`);
  console.log("nodes     flamebook sync  painted   d3-flame-graph sync  painted   speedup  d3fg DOM elements/bytes");
  for (const n of SIZES) {
    const tree = flameTree(syntheticProfile(n), { timeline: false });
    const { header, data } = flameTreeJson(tree);
    const loaded = await page.evaluate(([h, d]) => (window as any).bench.load(h, d), [header, data] as const);
    const ours = [];
    const theirs = [];
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
  }
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
