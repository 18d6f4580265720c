// Screenshots of the standalone page (`flamebook open` of the real cargo build recording, and a
// 100k-node tree) at 1280×800 and 1920×1080, into test-artifacts/ (git-ignored), to look at.
// Run: node --import tsx bench/screen/shots.ts
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { flamePage } from "../../src/render/flame-html.js";
import { open } from "../../src/record/open.js";
import { flamegraph } from "../../src/table/flamegraph.js";
import { syntheticProfile } from "../../test/helpers/synthetic-profile.js";
import { CARGO_BUILD } from "./run.js";
import { serveStatic } from "./serve.js";

const out = new URL("../../test-artifacts/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const srv = await serveStatic({});
srv.files.set("/cargo.html", flamePage([{ tree: (await open(CARGO_BUILD)).flamegraph({ title: "cargo-build.perf.txt" }).tree }], { title: "cargo-build.perf.txt" }));
srv.files.set("/100k.html", flamePage([{ tree: flamegraph(syntheticProfile(100_000), { title: "synthetic 100k" }).tree }], { title: "synthetic 100k" }));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
});
try {
  for (const name of ["cargo", "100k"]) {
    for (const [width, height] of [[1280, 800], [1920, 1080]] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(`${srv.origin}/${name}.html`);
      await page.waitForFunction("!!document.querySelector('canvas.fb-canvas[data-boxes]')");
      await page.waitForTimeout(300);
      const path = `${out}standalone-${name}-${width}x${height}.png`;
      await page.screenshot({ path });
      console.log(path);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await srv.close();
}
