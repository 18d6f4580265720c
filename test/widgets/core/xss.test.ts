// Hostile symbol names (HTML, script end tags, control characters) are only ever text: hovering,
// searching, zooming (breadcrumbs), the selection panel and the sandwich never create elements.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { ProfileBuilder, flameTree } from "../../../src/internals.js";
import { pageErrors } from "../../helpers/browser.js";
import { canvasBox, frames, hoverNode, nodeCenter, renderer, textOf, waitZoomedTo } from "./harness.js";

const r = renderer();
after(() => r.close());

const IMG = `<img src=x onerror="window.__pwned=1">`;
const SCRIPT = `</script><script>window.__pwned=2</script>`;

/** main -> IMG -> SCRIPT -> a name with control characters, and a sibling IMG under main. */
function evilTree() {
  const b = new ProfileBuilder({ format: "test" });
  const th = b.thread("<b>thread</b>", 1, 1);
  const ev = b.event("samples");
  let s = -1;
  for (const n of ["main", IMG, SCRIPT, "ctl\u0000\u001b[31m<svg onload=alert(1)>"]) s = b.stack(s, b.frame(n, `<i>${n}</i>`));
  for (let i = 0; i < 5; i++) b.sample(s, th, ev, i * 0.001, 1);
  const other = b.stack(b.stack(-1, b.frame("main", "<i>main</i>")), b.frame(`${IMG}::{{closure}}`, "m"));
  for (let i = 0; i < 3; i++) b.sample(other, th, ev, 0.005 + i * 0.001, 1);
  return flameTree(b.finish(), { title: "<b>title</b><img src=y onerror=window.__pwned=3>" });
}

test("hostile names: hover, search, zoom, crumbs, selection and sandwich stay inert", async (t) => {
  const tree = evilTree();
  const page = await r.mount(t, tree, { height: 300 });
  if (!page) return;
  const node = (name: string) => Array.from(tree.nodes.frame).findIndex((f) => tree.strings[tree.frames.name[f]!] === name);
  const img = node(IMG);
  const script = node(SCRIPT);
  assert.ok(img > 0 && script > 0);
  const tip = await hoverNode(page, img);
  assert.equal(tip[0], IMG, "the tooltip shows the name as text");
  assert.ok(tip.some((l) => l === `path: <i>${IMG}</i>` || l.startsWith("module: ")));
  assert.equal((await hoverNode(page, script))[0], SCRIPT);
  // Search with the name itself (regex characters: it also matches literally).
  await page.fill(".fb-input", IMG);
  assert.match((await textOf(page, ".fb-matched"))!, /^matched: [1-9]/);
  await page.fill(".fb-input", "/onerror/");
  assert.match((await textOf(page, ".fb-matched"))!, /^matched: 100\.0%$/);
  // Zoom into the script frame: its ancestors become breadcrumbs.
  await page.mouse.click(...(await nodeCenter(page, script)));
  await waitZoomedTo(page, script);
  const crumbs = await page.evaluate(() => [...document.querySelectorAll(".fb-crumb")].map((e) => e.getAttribute("title")));
  assert.deepEqual(crumbs, ["<b>title</b><img src=y onerror=window.__pwned=3>: whole profile", "main", IMG, SCRIPT]);
  assert.equal(await textOf(page, ".fb-sel-name"), SCRIPT);
  // The sandwich of the img frame, and the copy action.
  await page.mouse.click(...(await nodeCenter(page, img)));
  await page.keyboard.press("s");
  assert.equal(await page.evaluate(() => window.fb.handle!.options.view), "sandwich");
  assert.ok((await textOf(page, ".fb-crumbs"))!.includes(`sandwich: ${IMG}`));
  const c = await canvasBox(page);
  for (let y = 5; y < c.height; y += 9) await page.mouse.move(c.x + 5, c.y + y);
  await page.keyboard.press("c");
  await frames(page);
  await page.waitForTimeout(100);
  const dom = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll("img").length,
    svgs: document.querySelectorAll("svg").length,
    scripts: document.querySelectorAll("script").length,
    bold: document.querySelectorAll("b, i").length,
  }));
  assert.deepEqual(dom, { pwned: undefined, imgs: 0, svgs: 0, scripts: 1, bold: 0 });
  assert.deepEqual(pageErrors(page), []);
});
