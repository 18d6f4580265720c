import { test } from "node:test";
import assert from "node:assert/strict";
import type { FlameTree } from "../../../src/model/flame-tree.js";
import { chartBoxes } from "../../../widgets/core/timeline.js";
import { perfFixtureTree } from "../../helpers/browser.js";
import { syntheticTree } from "./synthetic-tree.js";

/** root -> A -> B -> {C, D}; runs given as [thread, start, end, node]. */
function withRuns(runs: [number, number, number, number][]): FlameTree {
  const strings = ["all", "A", "B", "C", "D"];
  const nf = strings.length;
  return {
    version: 1,
    title: "t",
    event: "cpu-clock",
    unit: "nanoseconds",
    strings,
    frames: { name: Int32Array.of(0, 1, 2, 3, 4), module: new Int32Array(nf).fill(-1), file: new Int32Array(nf).fill(-1), line: new Int32Array(nf), kind: new Uint8Array(nf).fill(1), inlined: new Uint8Array(nf) },
    nodes: { frame: Int32Array.of(0, 1, 2, 3, 4), parent: Int32Array.of(-1, 0, 1, 2, 2), depth: Int32Array.of(0, 1, 2, 3, 3), self: Float64Array.of(0, 0, 0, 3, 1), total: Float64Array.of(4, 4, 4, 3, 1) },
    timeline: {
      threads: ["main 1", "worker 2"],
      thread: Int32Array.from(runs, (r) => r[0]),
      start: Float64Array.from(runs, (r) => r[1]),
      end: Float64Array.from(runs, (r) => r[2]),
      node: Int32Array.from(runs, (r) => r[3]),
    },
    notes: [],
  };
}

const boxes = (c: ReturnType<typeof chartBoxes>) => Array.from({ length: c.count }, (_, b) => `${c.depth[b]}:${"_ABCD"[c.frame[b]!]}@${c.x0[b]}-${c.x1[b]}`);

test("chartBoxes: touching runs share their common frames", () => {
  const c = chartBoxes(withRuns([[0, 0, 1, 3], [0, 1, 2, 4], [0, 2, 3, 3]]), 0);
  assert.deepEqual(boxes(c), ["0:A@0-3", "1:B@0-3", "2:C@0-1", "2:D@1-2", "2:C@2-3"]);
  assert.deepEqual(Array.from(c.parent), [-1, 0, 1, 1, 1]);
  assert.equal(c.t0, 0);
  assert.equal(c.t1, 3);
});

test("chartBoxes: a gap closes every frame; a shorter stack closes the deeper ones", () => {
  const c = chartBoxes(withRuns([[0, 0, 1, 3], [0, 1.5, 2, 3], [0, 2, 2.5, 2]]), 0);
  assert.deepEqual(boxes(c), ["0:A@0-1", "1:B@0-1", "2:C@0-1", "0:A@1.5-2.5", "1:B@1.5-2.5", "2:C@1.5-2"]);
});

test("chartBoxes: one thread at a time; -1 means the first", () => {
  const t = withRuns([[0, 0, 1, 3], [1, 0, 5, 4]]);
  assert.deepEqual(boxes(chartBoxes(t, 1)), ["0:A@0-5", "1:B@0-5", "2:D@0-5"]);
  assert.deepEqual(boxes(chartBoxes(t, -1)), boxes(chartBoxes(t, 0)));
  assert.equal(chartBoxes(t, 1).thread, 1);
});

test("chartBoxes: rows stay in time order on real and large timelines", async () => {
  for (const [tree, th] of [[await perfFixtureTree("threads.perf.txt"), 1], [syntheticTree(20_000, 2, { timeline: true }), 0]] as const) {
    const c = chartBoxes(tree, th);
    assert.ok(c.count > 0 && c.runs > 0);
    const lastEnd = new Map<number, number>();
    for (let b = 0; b < c.count; b++) {
      const d = c.depth[b]!;
      assert.ok(c.x0[b]! >= (lastEnd.get(d) ?? -Infinity) - 1e-12, "no overlap within a row");
      assert.ok(c.x1[b]! >= c.x0[b]!);
      lastEnd.set(d, c.x1[b]!);
      if (c.parent[b]! >= 0) {
        const p = c.parent[b]!;
        assert.ok(c.x0[p]! <= c.x0[b]! && c.x1[b]! <= c.x1[p]! + 1e-12, "inside the parent");
        assert.equal(tree.nodes.parent[c.node[b]!], c.node[p]);
      }
    }
  }
});
