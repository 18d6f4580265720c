import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { leftEdges, maxOf, subtreeEnds, unionWidths } from "../../../widgets/core/layout.js";
import { boxAt, firstFrom, preorderBoxes, rowIndex, treeBoxes, trunkTop } from "../../../widgets/core/boxes.js";
import { cloneInLoopTrees } from "../../helpers/browser.js";
import { syntheticTree } from "./synthetic-tree.js";

/** A random pre-order tree: depths that start at 0 and rise by at most one. */
const preorder = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 60 }).map((steps) => {
  const depth = [0];
  const parent = [-1];
  const self = [0];
  const path = [0];
  for (const [up, w] of steps) {
    const d = Math.max(1, Math.min(depth[depth.length - 1]! + 1, depth[depth.length - 1]! + 1 - up));
    path.length = d;
    parent.push(path[d - 1]!);
    depth.push(d);
    path.push(depth.length - 1);
    self.push(w);
  }
  const total = Float64Array.from(self);
  for (let i = total.length - 1; i > 0; i--) total[parent[i]!]! += total[i]!;
  return { depth: Int32Array.from(depth), parent: Int32Array.from(parent), total };
});

test("leftEdges: x is the parent's x plus the earlier siblings' widths", () => {
  assert.deepEqual(Array.from(leftEdges(Int32Array.of(-1, 0, 0), Float64Array.of(10, 6, 4))), [0, 0, 6]);
  fc.assert(
    fc.property(preorder, ({ parent, total }) => {
      const x = leftEdges(parent, total);
      for (let i = 1; i < parent.length; i++) {
        let expect = x[parent[i]!]!;
        for (let j = 1; j < i; j++) if (parent[j] === parent[i]) expect += total[j]!;
        assert.ok(Math.abs(x[i]! - expect) < 1e-9);
        assert.ok(x[i]! + total[i]! <= x[parent[i]!]! + total[parent[i]!]! + 1e-9, "children stay inside the parent");
      }
    }),
  );
});

test("subtreeEnds: the subtree of i is i … end[i]-1", () => {
  assert.deepEqual(Array.from(subtreeEnds(Int32Array.of(0, 1, 2, 1, 1))), [5, 3, 3, 4, 5]);
  fc.assert(
    fc.property(preorder, ({ depth, parent }) => {
      const end = subtreeEnds(depth);
      for (let i = 0; i < depth.length; i++) {
        for (let j = 0; j < depth.length; j++) {
          let anc = false;
          for (let p = j; p >= 0; p = parent[p]!) if (p === i) anc = true;
          assert.equal(anc, j >= i && j < end[i]!);
        }
      }
    }),
  );
});

test("unionWidths: vanished and new frames both get room", () => {
  const parent = Int32Array.of(-1, 0, 0);
  assert.deepEqual(Array.from(unionWidths(parent, Float64Array.of(10, 0, 10), Float64Array.of(10, 10, 0), "absolute")), [20, 10, 10]);
  assert.deepEqual(Array.from(unionWidths(parent, Float64Array.of(20, 0, 20), Float64Array.of(10, 10, 0), "proportional")), [2, 1, 1]);
});

test("treeBoxes/rowIndex: every row left to right, without overlap", async () => {
  for (const tree of [(await cloneInLoopTrees()).before, syntheticTree(5000)]) {
    const boxes = treeBoxes(tree, "proportional");
    const rows = rowIndex(boxes);
    assert.equal(boxes.maxDepth, maxOf(tree.nodes.depth));
    assert.equal(rows.start[rows.start.length - 1], boxes.count);
    for (let d = 0; d <= boxes.maxDepth; d++) {
      for (let k = rows.start[d]! + 1; k < rows.start[d + 1]!; k++) {
        const a = rows.order[k - 1]!;
        const b = rows.order[k]!;
        assert.equal(boxes.depth[b], d);
        assert.ok(boxes.x1[a]! <= boxes.x0[b]! + 1e-6, "no overlap");
      }
    }
    assert.equal(boxes.x1[0]! - boxes.x0[0]!, tree.nodes.total[0]);
  }
});

test("boxAt/firstFrom: finds the box under a point", async () => {
  const { before } = await cloneInLoopTrees();
  const boxes = treeBoxes(before, "proportional");
  const rows = rowIndex(boxes);
  assert.equal(boxAt(boxes, rows, 0, 5), 0);
  for (const n of [17, 43, 44]) {
    const mid = (boxes.x0[n]! + boxes.x1[n]!) / 2;
    assert.equal(boxAt(boxes, rows, boxes.depth[n]!, mid), n);
  }
  assert.equal(boxAt(boxes, rows, 500, 5), -1);
  assert.equal(rows.order[firstFrom(boxes, rows, 0, 0)], 0);
  const tiny = preorderBoxes(Int32Array.of(-1, 0, 0), Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 2), Int32Array.of(0, 1, 2), Float64Array.of(100, 1, 99));
  assert.equal(boxAt(tiny, rowIndex(tiny), 1, 0.5), 1);
  assert.equal(boxAt(tiny, rowIndex(tiny), 1, 50), 2);
});

test("trunkTop: follows the single dominant child up to where the program branches", async () => {
  const { before } = await cloneInLoopTrees();
  const top = trunkTop(treeBoxes(before, "proportional"));
  assert.equal(before.strings[before.frames.name[before.nodes.frame[top]!]!], "wordfreq::main");
  const flat = preorderBoxes(Int32Array.of(-1, 0, 0), Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 2), Int32Array.of(0, 1, 2), Float64Array.of(10, 5, 5));
  assert.equal(trunkTop(flat), 0, "branches at once");
});
