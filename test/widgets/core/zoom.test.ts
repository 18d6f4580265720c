import { test } from "node:test";
import assert from "node:assert/strict";
import { zoomStep } from "../../../widgets/core/zoom.js";
import { normalizeOptions, DEFAULTS } from "../../../widgets/core/options.js";
import { syntheticTree } from "./synthetic-tree.js";

test("zoomStep: ends on both ranges; the width changes geometrically; one point stays put", () => {
  assert.deepEqual(zoomStep([0, 100], [40, 41], 0), [0, 100]);
  assert.deepEqual(zoomStep([0, 100], [40, 41], 1), [40, 41]);
  const mid = zoomStep([0, 100], [40, 41], 0.5);
  assert.ok(Math.abs(mid[1] - mid[0] - 10) < 1e-9);
  // The fixed point p: (p - 0) / 100 = (p - 40) / 1  =>  p = 4000 / 99.
  const p = 4000 / 99;
  for (const t of [0.1, 0.3, 0.7]) {
    const [a, b] = zoomStep([0, 100], [40, 41], t);
    assert.ok(Math.abs((p - a) / (b - a) - p / 100) < 1e-9);
  }
  assert.deepEqual(zoomStep([0, 10], [5, 15], 0.5), [2.5, 12.5], "equal widths pan linearly");
});

test("normalizeOptions: bad values fall back, out-of-range indices become none", () => {
  const tree = syntheticTree(100);
  const o = normalizeOptions({ ...DEFAULTS, focus: 1e9, view: "chart", layout: "sideways" as never, height: 5, sandwich: 1e9, thread: 3 }, tree);
  assert.equal(o.focus, 0);
  assert.equal(o.view, "tree", "no timeline, no chart");
  assert.equal(o.layout, "flame");
  assert.equal(o.height, 120);
  assert.equal(o.sandwich, -1);
  assert.equal(o.thread, -1);
  const kept = normalizeOptions({ search: "x" }, tree, { ...DEFAULTS, layout: "icicle" });
  assert.equal(kept.layout, "icicle", "missing keys keep the current value");
  assert.equal(kept.search, "x");
});
