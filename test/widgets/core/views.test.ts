// The sandwich, flame chart and diff views in headless Chromium.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { cloneInLoopTrees, pageErrors, perfFixtureTree } from "../../helpers/browser.js";
import { canvasBox, frames, hoverNode, nodeBox, nodeCenter, renderer, textOf, tipLines } from "./harness.js";

const r = renderer();
after(() => r.close());
const { before, diff } = await cloneInLoopTrees();
const threads = await perfFixtureTree("threads.perf.txt");
const TO_STRING = "<T as alloc::string::ToString>::to_string";
const nodeNamed = (tree: typeof before, name: string) => Array.from(tree.nodes.frame).findIndex((f) => tree.strings[tree.frames.name[f]!] === name);
const toString = nodeNamed(before, TO_STRING);
const hex = (rgba: number[]) => `#${rgba.slice(0, 3).map((v) => v.toString(16).padStart(2, "0")).join("")}`;

/**
 * Moves the pointer down the canvas at `x` (mousemove events dispatched in the page, 9px apart);
 * returns [y, tooltip title] each time the title changes to a frame.
 */
async function scanRows(page: Page, x = 6): Promise<[number, string][]> {
  // A string, so the test runner's transform adds no helpers to the page function.
  return page.evaluate(`(() => {
    const canvas = document.querySelector(".fb-canvas");
    const tip = document.querySelector(".fb-tip");
    const c = canvas.getBoundingClientRect();
    const out = [];
    let last = "";
    for (let y = 4; y < c.height; y += 9) {
      canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: c.left + ${x}, clientY: c.top + y, bubbles: true }));
      const title = tip.hidden ? "" : tip.querySelector(".fb-tip-title").textContent;
      if (title !== "" && title !== last) out.push([y, title]);
      last = title;
    }
    return out;
  })()`);
}

test("sandwich: callers of to_string above it, callees below, recursion counted once", async (t) => {
  const page = await r.mount(t, before, { height: 1400 }, { viewport: { width: 1200, height: 1600 } });
  if (!page) return;
  await page.mouse.click(...(await nodeCenter(page, toString)));
  await page.keyboard.press("s");
  assert.equal(await page.evaluate(() => window.fb.handle!.options.view), "sandwich");
  const changes = await page.evaluate(() => window.fb.changes);
  assert.deepEqual(changes[changes.length - 1]!.options, { sandwich: before.strings.indexOf(TO_STRING), view: "sandwich" });
  assert.match((await textOf(page, ".fb-crumbs"))!, /sandwich: <T as ToString>::to_string/);
  const rows = await scanRows(page);
  const titles = rows.map((x) => x[1]);
  const first = titles.indexOf(TO_STRING);
  const second = titles.indexOf(TO_STRING, first + 1);
  assert.ok(first >= 0 && second > first, `the function heads both halves: ${titles.join(" | ")}`);
  const callers = titles.slice(0, first);
  const callees = titles.slice(second + 1);
  assert.equal(callers[callers.length - 1], "wordfreq::process::process", "the direct caller sits right above");
  assert.ok(callers.includes("wordfreq::main") && callers.includes("_start"));
  assert.match(callees[0]!, /^<(u64|str) as alloc::string::SpecToString>::spec_to_string$/, "a direct callee sits right below");
  assert.ok(callees.includes("<u64 as alloc::string::SpecToString>::spec_to_string"));
  assert.ok(!callers.some((n) => n.includes("spec_to_string")), "callees are not callers");
  // The function's tooltip in the sandwich: its total, as share of all.
  await page.mouse.move((await canvasBox(page)).x + 6, (await canvasBox(page)).y + rows[first]![0]);
  const tip = await tipLines(page);
  assert.ok(tip.some((l) => /^total: 30\.1 ms · 50\.0% of all/.test(l)), tip.join("\n"));
  // Clicking a caller zooms within its half; Esc zooms out, then returns to the graph.
  await page.mouse.click((await canvasBox(page)).x + 6, (await canvasBox(page)).y + rows[first - 1]![0]);
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => window.fb.handle!.options.view), "tree");
  assert.deepEqual(pageErrors(page), []);
});

test("sandwich: the view button picks the heaviest function when none is chosen", async (t) => {
  const page = await r.mount(t, before, { height: 1400 });
  if (!page) return;
  await page.click(".fb-views .fb-btn:nth-child(2)");
  const o = await page.evaluate(() => window.fb.handle!.options);
  assert.equal(o.view, "sandwich");
  assert.ok(o.sandwich >= 0);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLButtonElement>(".fb-layout")!.disabled), true, "flame/icicle does not apply");
});

test("flame chart: x is time, a <select> picks the thread", async (t) => {
  const page = await r.mount(t, threads, { view: "chart" });
  if (!page) return;
  const select = await page.evaluate(() => {
    const s = document.querySelector<HTMLSelectElement>(".fb-thread")!;
    return { hidden: s.hidden, options: [...s.options].map((o) => o.textContent), value: s.value };
  });
  assert.deepEqual(select, { hidden: false, options: ["worker one 11493", "worker two 11494"], value: "0" });
  assert.match((await textOf(page, ".fb-crumbs"))!, /chart: worker one 11493/);
  const c = await canvasBox(page);
  const shot = async () => page.evaluate(() => document.querySelector<HTMLCanvasElement>(".fb-canvas")!.toDataURL());
  const one = await shot();
  // The deepest row drawn (flame: the top of the stack) is a box that lasted some time.
  const rows: string[][] = [];
  for (let y = c.height - 12; y > 0; y -= 18) {
    await page.mouse.move(c.x + 20, c.y + y);
    rows.push(await tipLines(page));
  }
  const hits = rows.filter((l) => l.length > 0);
  assert.ok(hits.length >= 5, `${hits.length} rows`);
  assert.ok(hits.every((l) => l.some((x) => /^duration: [\d.]+ (ms|s|µs)$/.test(x))), JSON.stringify(hits[0]));
  assert.ok(hits.some((l) => l[0] === "start_thread"));
  await page.selectOption(".fb-thread", "1");
  await frames(page);
  assert.notEqual(await shot(), one, "another thread, another picture");
  assert.match((await textOf(page, ".fb-crumbs"))!, /chart: worker two 11494/);
  assert.deepEqual((await page.evaluate(() => window.fb.changes)).map((x) => x.options), [{ thread: 1 }]);
  // Click zooms to the box's time span; the crumbs show it.
  await page.mouse.click(c.x + 20, c.y + c.height - 30);
  await page.waitForFunction(() => document.querySelectorAll(".fb-crumb").length === 3);
  assert.match((await textOf(page, ".fb-crumb[aria-current]"))!, /s – .*s$/);
  assert.deepEqual(pageErrors(page), []);
});

test("flame chart: trees without a timeline have no chart button", async (t) => {
  const page = await r.mount(t, diff, { view: "chart" });
  if (!page) return;
  assert.equal(await page.evaluate(() => document.querySelector<HTMLElement>(".fb-views .fb-btn:nth-child(3)")!.hidden), true);
  assert.equal(await page.evaluate(() => window.fb.handle!.options.view), "tree");
});

test("diff: red/blue/grey legend, absolute vs proportional, both sides in the tooltip", async (t) => {
  const page = await r.mount(t, diff, { height: 900 });
  if (!page) return;
  const legend = async () => (await textOf(page, ".fb-legend"))!;
  assert.match(await legend(), /grew.*shrank.*within noise.*proportional: colour = change in share of each side's total/);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLElement>(".fb-diffmode")!.hidden), false);
  // A frame whose change is within noise is grey.
  const quiet = Array.from(diff.diff!.sig).findIndex((s, i) => s === 0 && i > 0 && diff.nodes.total[i]! > diff.nodes.total[0]! * 0.3);
  assert.ok(quiet > 0);
  const px = async (n: number) => {
    const b = (await nodeBox(page, n))!;
    const c = await canvasBox(page);
    return hex(await page.evaluate(([x, y]) => window.fb.pixel(x, y), [b.x - c.x + 3, b.y - c.y + 3]));
  };
  assert.equal(await px(quiet), "#cfd2d6");
  // A significant frame is red or blue.
  const loud = Array.from(diff.diff!.sig).findIndex((s, i) => s === 1 && diff.nodes.total[i]! > diff.nodes.total[0]! * 0.05);
  const fill = await px(loud);
  const [rr, , bb] = [1, 3, 5].map((k) => parseInt(fill.slice(k, k + 2), 16));
  assert.ok(Math.abs(rr! - bb!) > 40, `significant change is red or blue: ${fill}`);
  const tip = await hoverNode(page, loud);
  assert.ok(tip.some((l) => l.startsWith("before: ")) && tip.some((l) => l.startsWith("after: ")), tip.join("\n"));
  assert.ok(tip.some((l) => /^change: [+-].* pp · significant$/.test(l)), tip.join("\n"));
  await page.click(".fb-diffmode .fb-btn:nth-child(2)");
  assert.match(await legend(), /absolute: colour = change in cpu-clock weight/);
  assert.doesNotMatch(await legend(), /proportional/);
  assert.equal(await page.evaluate(() => document.querySelector(".fb-diffmode .fb-btn:nth-child(2)")!.getAttribute("aria-pressed")), "true");
  assert.deepEqual((await page.evaluate(() => window.fb.changes)).map((x) => x.options), [{ diffMode: "absolute" }]);
  await page.evaluate(() => window.fb.handle!.update({ diffMode: "proportional" }));
  assert.match(await legend(), /proportional: /);
  assert.equal((await page.evaluate(() => window.fb.changes)).length, 1, "update is not echoed");
  assert.deepEqual(pageErrors(page), []);
});
