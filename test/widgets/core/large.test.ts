// Big trees: 100k nodes draw correctly, merging sub-pixel frames, and stay interactive. Timings
// are printed (diagnostics), with a generous bound: this checks correctness, not speed.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { compileSearch, matchedWeight, matchingNames, matchingNodes } from "../../../widgets/core/search.js";
import { formatPercent } from "../../../widgets/core/format.js";
import { hoverNode, renderer, textOf, waitZoomedTo } from "./harness.js";
import { syntheticTree } from "./synthetic-tree.js";

const r = renderer();
after(() => r.close());

test("100k nodes: first render, merged rows, hover, search and zoom", { timeout: 60_000 }, async (t) => {
  const tree = syntheticTree(100_000, 7, { timeline: true });
  const page = await r.mount(t, syntheticTree(1_000, 7), { height: 600 }, { viewport: { width: 1300, height: 900 } });
  if (!page) return;
  // The page builds the same tree from the same seed (no 100k-node transfer).
  const runs: number[] = [await page.evaluate(() => window.fb.mountSynthetic(100_000, 7, true, { height: 600 }))];
  for (let k = 0; k < 2; k++) runs.push(await page.evaluate(() => window.fb.remount({ height: 600 })));
  assert.equal(await page.evaluate(() => window.fb.tree!.nodes.total[0]), tree.nodes.total[0], "same tree on both sides");
  t.diagnostic(`100k nodes: createFlamegraph ${runs.map((x) => x.toFixed(0)).join(", ")} ms`);
  assert.ok(Math.min(...runs) < 3000, `first render took ${runs.join(", ")} ms`);
  const stats = await page.evaluate(() => {
    const c = document.querySelector(".fb-canvas")!;
    return { boxes: Number(c.getAttribute("data-boxes")), merged: Number(c.getAttribute("data-merged")), labels: Number(c.getAttribute("data-labels")) };
  });
  assert.ok(stats.merged > 100, `sub-pixel frames merged into ${stats.merged} runs`);
  assert.ok(stats.boxes + stats.merged < 40_000, `drew ${stats.boxes} boxes + ${stats.merged} runs, not 100k`);
  assert.ok(stats.labels > 20);
  // The widest child of the root: hover it, zoom into it.
  let widest = -1;
  for (let i = 1; i < tree.nodes.frame.length; i++) if (tree.nodes.parent[i] === 0 && (widest < 0 || tree.nodes.total[i]! > tree.nodes.total[widest]!)) widest = i;
  const tip = await hoverNode(page, widest);
  assert.equal(tip[0], tree.strings[tree.frames.name[tree.nodes.frame[widest]!]!]);
  assert.ok(tip.some((l) => l.includes(`${formatPercent(tree.nodes.total[widest]! / tree.nodes.total[0]!)} of all`)), tip.join("\n"));
  await page.evaluate((n) => window.fb.handle!.update({ focus: n }), widest);
  await waitZoomedTo(page, widest);
  // Search: the share equals the node-side computation.
  await page.evaluate(() => window.fb.handle!.update({ focus: 0, search: "grow_amortized" }));
  const hit = matchingNodes(tree, matchingNames(tree, compileSearch("grow_amortized")!));
  const share = matchedWeight(tree.nodes.depth, tree.nodes.total, hit, 0) / tree.nodes.total[0]!;
  assert.equal(await textOf(page, ".fb-matched"), `matched: ${formatPercent(share)}`);
  // The flame chart of the big timeline builds and draws.
  const ms = await page.evaluate(() => {
    const t0 = performance.now();
    window.fb.handle!.update({ view: "chart", search: "" });
    return performance.now() - t0;
  });
  t.diagnostic(`100k nodes: flame chart of ${tree.timeline!.start.length} runs in ${ms.toFixed(0)} ms`);
  assert.ok(Number(await page.evaluate(() => document.querySelector(".fb-canvas")!.getAttribute("data-boxes"))) > 10);
});

test("10k nodes: first render time (printed)", { timeout: 60_000 }, async (t) => {
  const tree = syntheticTree(10_000, 3);
  const page = await r.mount(t, tree, { height: 600 }, { viewport: { width: 1300, height: 900 } });
  if (!page) return;
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) runs.push(await page.evaluate(() => window.fb.remount({ height: 600 })));
  const median = [...runs].sort((a, b) => a - b)[2]!;
  t.diagnostic(`10k nodes: createFlamegraph median ${median.toFixed(1)} ms (${runs.map((x) => x.toFixed(0)).join(", ")})`);
  assert.ok(median < 1000, `${median} ms`);
  assert.ok(Number(await page.evaluate(() => document.querySelector(".fb-canvas")!.getAttribute("data-boxes"))) > 100);
});
