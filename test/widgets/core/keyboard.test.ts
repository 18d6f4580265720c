import { test } from "node:test";
import assert from "node:assert/strict";
import { keyCommand, moveSelection } from "../../../widgets/core/keyboard.js";
import { preorderBoxes, rowIndex } from "../../../widgets/core/boxes.js";

test("keyCommand: arrows follow the drawing direction", () => {
  assert.deepEqual(keyCommand({ key: "ArrowUp" }, "up"), { kind: "move", move: "child" });
  assert.deepEqual(keyCommand({ key: "ArrowUp" }, "down"), { kind: "move", move: "parent" });
  assert.deepEqual(keyCommand({ key: "ArrowDown" }, "up"), { kind: "move", move: "parent" });
  assert.deepEqual(keyCommand({ key: "ArrowLeft" }, "up"), { kind: "move", move: "prev" });
  assert.deepEqual(keyCommand({ key: "Enter" }, "up"), { kind: "zoom" });
  assert.deepEqual(keyCommand({ key: "Escape" }, "up"), { kind: "escape" });
  assert.deepEqual(keyCommand({ key: "/" }, "up"), { kind: "search" });
  assert.deepEqual(keyCommand({ key: "c" }, "up"), { kind: "copy" });
  assert.equal(keyCommand({ key: "c", ctrlKey: true }, "up"), null, "Ctrl+C stays the host's");
  assert.equal(keyCommand({ key: "q" }, "up"), null);
});

test("moveSelection: parent, first child, siblings, then the nearest cousin", () => {
  // 0 -> {1 -> {2, 3}, 4 (zero width), 5 -> {6}}
  const parent = Int32Array.of(-1, 0, 1, 1, 0, 0, 5);
  const depth = Int32Array.of(0, 1, 2, 2, 1, 1, 2);
  const width = Float64Array.of(10, 4, 1, 3, 0, 6, 2);
  const ids = Int32Array.of(0, 1, 2, 3, 4, 5, 6);
  const boxes = preorderBoxes(parent, depth, ids, ids, width);
  const rows = rowIndex(boxes);
  assert.equal(moveSelection(boxes, rows, 2, "parent"), 1);
  assert.equal(moveSelection(boxes, rows, 0, "parent"), 0);
  assert.equal(moveSelection(boxes, rows, 1, "child"), 2);
  assert.equal(moveSelection(boxes, rows, 2, "child"), 2);
  assert.equal(moveSelection(boxes, rows, 2, "next"), 3);
  assert.equal(moveSelection(boxes, rows, 1, "next"), 5, "the zero-width frame is skipped");
  assert.equal(moveSelection(boxes, rows, 5, "prev"), 1);
  assert.equal(moveSelection(boxes, rows, 3, "next"), 6, "no sibling right: the nearest box of the row");
  assert.equal(moveSelection(boxes, rows, 2, "prev"), 2);
});
