// The pages the screen benchmark opens for one input: flamebook's page as `flamebook open` writes
// it (with its static picture, and a copy without it: the canvas alone), speedscope's own app
// loading the same profile written by toSpeedscope, flamegraph.pl's SVG of the same stacks
// (when FlameGraph is at hand), and a control page that paints one coloured box.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Profile } from "../../src/model/profile.js";
import type { FlameTree } from "../../src/model/flame-tree.js";
import { flamePage } from "../../src/render/flame-html.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { toSpeedscope } from "../../src/samples/speedscope/speedscope.js";

/** The renderers compared, in the order of the table's columns. */
export type Renderer = "flamebook" | "flamebook-canvas" | "speedscope" | "flamegraph.pl" | "control";

/** One input, as every renderer gets it. */
export interface Input {
  /** Short name: "cargo build", "10k", "100k". */
  readonly label: string;
  readonly profile: Profile;
  /** flamebook's tree of it (as `flamebook open` makes it). */
  readonly tree: FlameTree;
}

/** Where each renderer's page is on the server (URL path, with speedscope's hash). */
export type PageUrls = Partial<Record<Renderer, string>>;

/**
 * The control page: one orange box (40% of the viewport) painted by the first frame; it turns
 * red under the pointer and purple on a click, so hover and click show the browser's own floor.
 */
export const CONTROL_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>control</title>
<style>body{margin:0;font:14px system-ui,sans-serif}#box{position:absolute;left:10%;top:20%;width:80%;height:50%;background:#e8741e}</style>
</head><body><div id="box"></div><script>
const box = document.getElementById("box");
box.addEventListener("mousemove", () => { box.style.background = "#d43a2f"; });
box.addEventListener("mouseleave", () => { box.style.background = "#e8741e"; });
box.addEventListener("click", () => { box.style.background = "#8b3fd1"; });
</script></body></html>`;

/**
 * Puts the pages of `input` on the server (`files`: URL path → body) and returns their URLs.
 * `flamegraphDir` is a FlameGraph checkout (flamegraph.pl), or undefined to leave that column out.
 *
 * @example
 * const urls = addPages(srv.files, input, "100k", process.env.FLAMEGRAPH_DIR);
 * await page.goto(srv.origin + urls.flamebook);
 */
export function addPages(files: Map<string, string | Uint8Array>, input: Input, slug: string, flamegraphDir: string | undefined): PageUrls {
  const title = `${input.label} (${input.tree.nodes.frame.length} nodes)`;
  const urls: PageUrls = {};
  files.set(`/${slug}/flamebook.html`, flamePage([{ tree: input.tree }], { title }));
  urls.flamebook = `/${slug}/flamebook.html`;
  files.set(`/${slug}/flamebook-canvas.html`, flamePage([{ tree: input.tree }], { title, still: null }));
  urls["flamebook-canvas"] = `/${slug}/flamebook-canvas.html`;
  files.set(`/${slug}/profile.speedscope.json`, toSpeedscope(input.profile, { name: title }));
  urls.speedscope = `/speedscope/index.html#profileURL=${encodeURIComponent(`/${slug}/profile.speedscope.json`)}&title=${encodeURIComponent(title)}`;
  const pl = flamegraphDir ? join(flamegraphDir, "flamegraph.pl") : "";
  if (pl && existsSync(pl)) {
    const svg = spawnSync("perl", [pl, "--title", title, "--width", "1200"], { input: toFolded(input.profile).join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 30 });
    if (svg.status !== 0) throw new Error(`flamegraph.pl failed: ${svg.stderr}`);
    files.set(`/${slug}/flamegraph.svg`, svg.stdout);
    urls["flamegraph.pl"] = `/${slug}/flamegraph.svg`;
  }
  files.set("/control.html", CONTROL_PAGE);
  urls.control = "/control.html";
  return urls;
}
