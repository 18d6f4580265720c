// createFlamegraph in headless Chromium on the clone-in-loop recording: drawing, tooltips, zoom,
// search, layout, keyboard, host updates, themes, HiDPI, resizing and destroy.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { cloneInLoopTrees, pageErrors, perfFixtureTree } from "../../helpers/browser.js";
import { formatPercent } from "../../../widgets/core/format.js";
import { compileSearch, matchedWeight, matchingNames, matchingNodes } from "../../../widgets/core/search.js";
import { canvasBox, frames, hostHtml, hoverNode, nodeBox, nodeCenter, renderer, textOf, waitZoomedTo } from "./harness.js";

const r = renderer();
after(() => r.close());
const { before } = await cloneInLoopTrees();
const TO_STRING = "<T as alloc::string::ToString>::to_string";
const toString = Array.from(before.nodes.frame).findIndex((f) => before.strings[before.frames.name[f]!] === TO_STRING);
const process = Array.from(before.nodes.frame).findIndex((f) => before.strings[before.frames.name[f]!] === "wordfreq::process::process");
const main = Array.from(before.nodes.frame).findIndex((f) => before.strings[before.frames.name[f]!] === "wordfreq::main");
const ARTIFACTS = new URL("../../../test-artifacts/", import.meta.url).pathname;

const hex = (rgba: number[]) => `#${rgba.slice(0, 3).map((v) => v.toString(16).padStart(2, "0")).join("")}`;

test("createFlamegraph: the first paint is synchronous, coloured by kind of code, labelled", async (t) => {
  const page = await r.mount(t, before, { height: 810 }, { viewport: { width: 1016, height: 1000 } });
  if (!page) return;
  // Mount again and read pixels in the same task: no animation frame runs in between.
  const sync = await page.evaluate((p) => {
    window.fb.remount({ height: 810 });
    const rect = window.fb.handle!.nodeRect(p)!;
    const root = window.fb.handle!.nodeRect(0)!;
    return { rect, pixel: window.fb.pixel(rect.x + 2, rect.y + 8), root: window.fb.pixel(root.x + 200, root.y + 8), boxes: Number(document.querySelector(".fb-canvas")!.getAttribute("data-boxes")) };
  }, process);
  assert.ok(sync.rect.width > 500, "process::process is most of the width");
  assert.ok(sync.boxes > 30, `${sync.boxes} boxes drawn`);
  const [r0, g0, b0] = sync.pixel;
  assert.ok(r0! > 200 && g0! < 160 && b0! < 130, `wordfreq::process::process is a "your crates" red, got ${hex(sync.pixel)}`);
  assert.equal(hex(sync.root), "#b9bcc2", "the root is grey");
  const labels = Number(await page.evaluate(() => document.querySelector(".fb-canvas")!.getAttribute("data-labels")));
  assert.ok(labels > 20, `${labels} labels drawn`);
  assert.equal(await textOf(page, ".fb-crumb"), "clone-in-loop (before)");
  assert.match((await textOf(page, ".fb-legend"))!, /your crates.*std \/ core \/ alloc.*C \/ C\+\+/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}flamegraph.png`, fullPage: true });
  assert.deepEqual(pageErrors(page), []);
});

test("hover: the tooltip names the frame with total, self and percentages", async (t) => {
  const page = await r.mount(t, before);
  if (!page) return;
  const lines = await hoverNode(page, toString);
  const all = before.nodes.total[0]!;
  assert.equal(lines[0], TO_STRING);
  const total = lines.find((l) => l.startsWith("total: "))!;
  assert.ok(total.includes(`${formatPercent(before.nodes.total[toString]! / all)} of all`), total);
  assert.match(total, /^total: 30\.1 ms/);
  assert.ok(lines.some((l) => l.startsWith("self: ")));
  assert.ok(lines.some((l) => l === "module: wordfreq-before (inlined)"), lines.join("\n"));
  assert.ok(lines.some((l) => l === "kind: std / core / alloc"));
  // Zoomed: the share of the zoomed frame is shown too.
  await page.evaluate((n) => window.fb.handle!.update({ focus: n }), process);
  await waitZoomedTo(page, process);
  const zoomed = await hoverNode(page, toString);
  const share = formatPercent(before.nodes.total[toString]! / before.nodes.total[process]!);
  assert.ok(zoomed.some((l) => l.startsWith("total: ") && l.endsWith(`${share} of zoom`)), zoomed.join("\n"));
  await page.mouse.move(1, 1);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLElement>(".fb-tip")!.hidden), true, "leaving hides it");
});

test("click: zooms with an animation, breadcrumbs follow, reset and the root crumb zoom out", async (t) => {
  const page = await r.mount(t, before, { height: 810 }, { viewport: { width: 1016, height: 1000 } });
  if (!page) return;
  const canvas = await canvasBox(page);
  const widthBefore = (await nodeBox(page, toString))!.width;
  assert.ok(widthBefore < canvas.width * 0.7);
  // Click in the page and measure in the same task: the zoom has started but not jumped.
  const [cx, cy] = await nodeCenter(page, toString);
  const atOnce = await page.evaluate(
    ([x, y, n]) => {
      const canvas = document.querySelector(".fb-canvas")!;
      for (const type of ["mousedown", "mouseup", "click"]) canvas.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, bubbles: true }));
      return window.fb.handle!.nodeRect(n)!.width;
    },
    [cx, cy, toString] as const,
  );
  assert.ok(Math.abs(atOnce - widthBefore) < 0.5, "not there at once: it animates");
  await waitZoomedTo(page, toString);
  const crumbs = await page.evaluate(() => [...document.querySelectorAll(".fb-crumb")].map((e) => e.textContent));
  assert.equal(crumbs[0], "clone-in-loop (before)");
  assert.equal(crumbs[crumbs.length - 1], "<T as ToString>::to_string");
  assert.equal(await page.evaluate(() => document.querySelector(".fb-crumb[aria-current]")!.getAttribute("title")), TO_STRING);
  assert.deepEqual(await page.evaluate(() => window.fb.changes), [{ options: { focus: toString }, selected: { node: toString, name: TO_STRING } }]);
  assert.equal(await page.evaluate(() => window.fb.handle!.options.focus), toString);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLButtonElement>(".fb-reset")!.disabled), false);
  // A crumb in the middle zooms out to that frame.
  await page.click(".fb-crumb:nth-last-of-type(2)");
  await waitZoomedTo(page, process);
  // Reset zooms out all the way.
  await page.click(".fb-reset");
  await waitZoomedTo(page, 0);
  assert.ok(Math.abs((await nodeBox(page, toString))!.width - widthBefore) < 0.5);
  const focuses = (await page.evaluate(() => window.fb.changes)).map((c) => c.options.focus);
  assert.deepEqual(focuses, [toString, process, 0]);
  assert.equal(await page.evaluate(() => document.querySelectorAll(".fb-crumb").length), 1);
});

test("search: matches stay bright, the rest dims, the matched share is the node-side one", async (t) => {
  const page = await r.mount(t, before);
  if (!page) return;
  const at = async (n: number) => {
    const b = (await nodeBox(page, n))!;
    const c = await canvasBox(page);
    return page.evaluate(([x, y]) => window.fb.pixel(x, y), [b.x - c.x + 2, b.y - c.y + 3]);
  };
  const brightMain = await at(main);
  const brightTo = await at(toString);
  await page.click(".fb-input");
  await page.keyboard.type("to_string");
  const hit = matchingNodes(before, matchingNames(before, compileSearch("to_string")!));
  const share = matchedWeight(before.nodes.depth, before.nodes.total, hit, 0) / before.nodes.total[0]!;
  assert.ok(share > 0);
  assert.equal(await textOf(page, ".fb-matched"), `matched: ${formatPercent(share)}`);
  await frames(page);
  assert.notDeepEqual(await at(main), brightMain, "wordfreq::main does not match: dimmed");
  assert.deepEqual(await at(toString), brightTo, "to_string matches: unchanged");
  await page.keyboard.press("Enter");
  // Reported when typing pauses (250 ms) or on Enter, not per key (a slow machine may pause mid-word).
  const reported = (await page.evaluate(() => window.fb.changes)).map((c) => c.options);
  assert.deepEqual(reported[reported.length - 1], { search: "to_string" });
  assert.ok(reported.length < "to_string".length, `${reported.length} reports for 9 keys`);
  // A regex written as /…/.
  await page.fill(".fb-input", "/^wordfreq::/");
  assert.match((await textOf(page, ".fb-matched"))!, /^matched: 100\.0%$/);
  assert.match((await page.getAttribute(".fb-input", "placeholder"))!, /regex/);
});

test("layout: icicle puts the root at the top, flame at the bottom", async (t) => {
  const page = await r.mount(t, before, { height: 900 });
  if (!page) return;
  const flame = { root: (await nodeBox(page, 0))!.y, leaf: (await nodeBox(page, toString))!.y };
  assert.ok(flame.root > flame.leaf, "flame: root below");
  await page.click(".fb-layout");
  const icicle = { root: (await nodeBox(page, 0))!.y, leaf: (await nodeBox(page, toString))!.y };
  assert.ok(icicle.root < icicle.leaf, "icicle: root above");
  assert.equal(await textOf(page, ".fb-layout"), "▼ icicle");
  assert.deepEqual((await page.evaluate(() => window.fb.changes)).map((c) => c.options), [{ layout: "icicle" }]);
});

test("keyboard: arrows walk the tree, Enter zooms, Esc resets, / searches, c copies", async (t) => {
  const page = await r.mount(t, before);
  if (!page) return;
  // A string, so the test runner's transform adds no helpers to the page function.
  await page.evaluate(`
    window.copied = [];
    Object.defineProperty(navigator, "clipboard", { value: { writeText: async (s) => { window.copied.push(s); } }, configurable: true });
    document.querySelector(".fb-root").focus();
  `);
  const selected = () => textOf(page, ".fb-sel-name");
  await page.keyboard.press("ArrowUp"); // selects the zoomed frame (the root)
  assert.equal(await selected(), "all");
  for (let k = 0; k < main; k++) await page.keyboard.press("ArrowUp"); // flame: up = first child
  assert.equal(await selected(), "wordfreq::main");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowRight");
  assert.equal(await selected(), "wordfreq::process::process");
  await page.keyboard.press("ArrowDown");
  assert.equal(await selected(), "wordfreq::main", "flame: down = parent");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await waitZoomedTo(page, process);
  assert.equal(await page.evaluate(() => window.fb.handle!.options.focus), process);
  await page.keyboard.press("c");
  await page.waitForFunction(() => (window as unknown as { copied: string[] }).copied.length === 1);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { copied: string[] }).copied), ["wordfreq::process::process"]);
  assert.equal(await textOf(page, ".fb-sel-msg"), "copied");
  await page.click(".fb-sel .fb-btn:last-child"); // the "copy name" button does the same
  await page.waitForFunction(() => (window as unknown as { copied: string[] }).copied.length === 2);
  await page.evaluate(() => document.querySelector<HTMLElement>(".fb-root")!.focus());
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.className), "fb-input");
  await page.keyboard.type("zzz");
  await page.keyboard.press("Escape"); // clears the search first
  assert.equal(await page.inputValue(".fb-input"), "");
  await page.keyboard.press("Escape"); // back to the graph
  await page.keyboard.press("Escape"); // resets the zoom
  await waitZoomedTo(page, 0);
  const changes = await page.evaluate(() => window.fb.changes);
  assert.ok(changes.some((c) => c.options.focus === process));
  assert.equal(changes[changes.length - 1]!.options.focus, 0);
  assert.ok(changes.some((c) => c.selected?.name === "wordfreq::main"));
});

test("update: options from the host apply live and are never echoed", async (t) => {
  const page = await r.mount(t, before, { height: 900 });
  if (!page) return;
  const rootY = (await nodeBox(page, 0))!.y;
  await page.evaluate((n) => window.fb.handle!.update({ layout: "icicle", search: "alloc", focus: n, theme: "dark" }), process);
  await waitZoomedTo(page, process);
  assert.ok((await nodeBox(page, 0))!.y < rootY);
  assert.match((await textOf(page, ".fb-matched"))!, /^matched: /);
  assert.equal(await page.inputValue(".fb-input"), "alloc");
  assert.equal(await page.evaluate(() => document.querySelector(".fb-root")!.getAttribute("data-theme")), "dark");
  const o = await page.evaluate(() => window.fb.handle!.options);
  assert.deepEqual([o.layout, o.search, o.focus, o.theme], ["icicle", "alloc", process, "dark"]);
  await page.evaluate(() => window.fb.handle!.update({ view: "sandwich", sandwich: 5, height: 300 }));
  assert.equal(await page.evaluate(() => document.querySelector<HTMLElement>(".fb-viewport")!.style.height), "300px");
  assert.deepEqual(await page.evaluate(() => window.fb.changes), [], "nothing reported");
  await page.evaluate(() => window.fb.handle!.update({ focus: 1e9, view: "nonsense" as never }));
  assert.deepEqual(pageErrors(page), []);
});

test("theme: light and dark backgrounds; auto follows JupyterLab, VS Code and the page", async (t) => {
  const bg = async (html: string | undefined, theme: "light" | "dark" | "auto", colorScheme: "light" | "dark" = "light") => {
    const page = await r.mount(t, before, { theme, height: 1000 }, { ...(html ? { html } : {}), colorScheme });
    if (!page) return null;
    return hex(await page.evaluate(() => window.fb.pixel(3, 3)));
  };
  const light = await bg(undefined, "light");
  if (light === null) return;
  assert.equal(light, "#ffffff");
  assert.equal(await bg(undefined, "dark"), "#1e1f22");
  assert.equal(await bg(hostHtml().replace("<body ", `<body data-jp-theme-light="false" `), "auto"), "#1e1f22", "JupyterLab dark");
  assert.equal(await bg(hostHtml().replace("<body ", `<body class="vscode-light" `), "auto", "dark"), "#ffffff", "VS Code light beats the system");
  assert.equal(await bg(hostHtml().replace("<body ", `<body data-vscode-theme-kind="vscode-dark" `), "auto"), "#1e1f22", "VS Code dark");
  assert.equal(await bg(hostHtml(`<style>main{background:#202124}</style>`).replace(`<div id="host"`, `<main><div id="host"`).replace("</div></body>", "</div></main></body>"), "auto"), "#1e1f22", "a dark page");
  assert.equal(await bg(undefined, "auto", "dark"), "#1e1f22", "nothing else: the system's preference");
  // Auto follows a theme switch of the host.
  const page = await r.mount(t, before, { theme: "auto", height: 1000 });
  await page!.evaluate(() => document.body.setAttribute("data-jp-theme-light", "false"));
  await page!.waitForFunction(() => document.querySelector(".fb-root")!.getAttribute("data-theme") === "dark");
  assert.equal(hex(await page!.evaluate(() => window.fb.pixel(3, 3))), "#1e1f22");
});

test("HiDPI, resizing with the container, options.height, notes and destroy", async (t) => {
  const page = await r.mount(t, { ...before, notes: ["3 samples had no stack"] }, { height: 333 }, { deviceScaleFactor: 2 });
  if (!page) return;
  const size = await page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>(".fb-canvas")!;
    return { w: c.width, h: c.height, css: c.getBoundingClientRect().width, vh: document.querySelector<HTMLElement>(".fb-viewport")!.getBoundingClientRect().height };
  });
  assert.equal(size.w, Math.round(size.css * 2));
  assert.equal(size.h, 666);
  assert.equal(size.vh, 333);
  assert.equal(await textOf(page, ".fb-notes"), "notes: 3 samples had no stack");
  await page.evaluate(() => (document.getElementById("host")!.style.width = "600px"));
  // wordfreq::main spans everything, and is in view (the start-up frames below it are scrolled away).
  await page.waitForFunction((m) => Math.abs(window.fb.handle!.nodeRect(m)!.width - document.querySelector(".fb-canvas")!.getBoundingClientRect().width) < 1 && document.querySelector(".fb-canvas")!.getBoundingClientRect().width < 620, main);
  assert.ok((await nodeBox(page, main))!.width < 620);
  assert.equal(await nodeBox(page, 0), null, "the root row is scrolled out of a 333px view");
  await page.evaluate(() => window.fb.handle!.destroy());
  assert.equal(await page.evaluate(() => document.getElementById("host")!.children.length), 0);
  assert.equal(await page.evaluate(() => document.querySelectorAll("style[data-fb-style]").length), 1, "one stylesheet per document");
  await page.evaluate(() => (document.getElementById("host")!.style.width = "500px"));
  await frames(page);
  assert.deepEqual(pageErrors(page), []);
});

test("hover: source file and line when known; Ctrl+wheel zooms around the pointer", async (t) => {
  const tree = await perfFixtureTree("srcline.perf.txt");
  const page = await r.mount(t, tree, { height: 500 });
  if (!page) return;
  // The widest node of that name.
  const node = (name: string) =>
    Array.from(tree.nodes.frame).reduce((best, f, i) => (tree.strings[tree.frames.name[f]!] === name && (best < 0 || tree.nodes.total[i]! > tree.nodes.total[best]!) ? i : best), -1);
  assert.ok((await hoverNode(page, node("wordfreq::main"))).includes("source: main.rs:26"));
  assert.ok(!(await hoverNode(page, node("_start"))).some((l) => l.startsWith("source:")), "?? is no source");
  const c = await canvasBox(page);
  const before = (await nodeBox(page, 0))!.width;
  await page.mouse.move(c.x + c.width / 2, (await nodeCenter(page, 0))[1]);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -200);
  await page.keyboard.up("Control");
  await page.waitForFunction((w) => window.fb.handle!.nodeRect(0)!.width > w * 1.2, before);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLButtonElement>(".fb-reset")!.disabled), false);
  await page.click(".fb-reset");
  await waitZoomedTo(page, 0);
});

test("footer: the selected frame's name is shown whole at a notebook output's width (issue 15, 5b: it was cut to '<T a…')", async (t) => {
  for (const width of [790, 620]) {
    const page = await r.mount(t, before, {}, { html: hostHtml("", `width:${width}px`) });
    if (!page) return;
    const [x, y] = await nodeCenter(page, toString);
    await page.mouse.click(x, y);
    await waitZoomedTo(page, toString);
    assert.equal(await textOf(page, ".fb-sel-name"), TO_STRING);
    const fit = await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>(".fb-sel-name")!;
      return { text: el.scrollWidth, box: el.clientWidth };
    });
    assert.ok(fit.text <= fit.box + 1, `${width}px: the name's ${fit.text}px of text fit its ${fit.box}px`);
  }
});
