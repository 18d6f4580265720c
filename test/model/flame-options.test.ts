import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_FLAME_OPTIONS, normalizeFlameOptions } from "../../src/model/flame-options.js";
import { DEFAULT_FLAME_OPTIONS as FROM_FLAME_TREE } from "../../src/model/flame-tree.js";
import { syntheticTree } from "../widgets/core/synthetic-tree.js";

test("DEFAULT_FLAME_OPTIONS: one frozen object, the same one flame-tree.ts exports", () => {
  assert.equal(FROM_FLAME_TREE, DEFAULT_FLAME_OPTIONS);
  assert.ok(Object.isFrozen(DEFAULT_FLAME_OPTIONS));
  assert.deepEqual(normalizeFlameOptions(undefined), DEFAULT_FLAME_OPTIONS);
  assert.deepEqual(normalizeFlameOptions("junk"), DEFAULT_FLAME_OPTIONS);
});

test("normalizeFlameOptions: bad values fall back, out-of-range indices become none", () => {
  const tree = syntheticTree(100);
  const o = normalizeFlameOptions({ focus: 1e9, view: "chart", layout: "sideways", height: 5, sandwich: 1e9, thread: 3, search: 7, theme: "neon" }, tree);
  assert.equal(o.focus, 0);
  assert.equal(o.view, "tree", "no timeline, no chart");
  assert.equal(o.layout, "flame");
  assert.equal(o.height, 120);
  assert.equal(o.sandwich, -1);
  assert.equal(o.thread, -1);
  assert.equal(o.search, "");
  assert.equal(o.theme, "auto");
  assert.equal(normalizeFlameOptions({ height: 1e6 }).height, 4000);
  assert.equal(normalizeFlameOptions({ height: 333.4 }).height, 333);
});

test("normalizeFlameOptions: missing and bad keys keep the current value (base)", () => {
  const tree = syntheticTree(100);
  const current = normalizeFlameOptions({ layout: "icicle", view: "sandwich", sandwich: 3, height: 600 }, tree);
  const kept = normalizeFlameOptions({ search: "x", view: "nonsense", height: "tall" }, tree, current);
  assert.deepEqual(kept, { ...current, search: "x" });
});

test("normalizeFlameOptions: without a tree, indices are only checked for kind", () => {
  const o = normalizeFlameOptions({ focus: 12345, sandwich: 99, thread: 2, view: "chart", focusX: 1 });
  assert.deepEqual([o.focus, o.sandwich, o.thread, o.view], [12345, 99, 2, "chart"]);
  assert.equal(normalizeFlameOptions({ focus: 1.5 }).focus, 0);
  assert.ok(!("focusX" in o), "unknown keys are dropped");
});
