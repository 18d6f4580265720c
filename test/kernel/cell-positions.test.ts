import { test } from "node:test";
import assert from "node:assert/strict";
import { cellStack } from "../../kernel/cell-positions.js";
import { cellGlobalsDeclaration } from "../../kernel/cell-globals.js";
import { expandShorthandPropertiesMapped, originalOffset } from "../../kernel/shorthand.js";

test("expandShorthandPropertiesMapped/originalOffset: expanded offsets map back to the cell", () => {
  const src = "({ a, bb })";
  const { text, insertions } = expandShorthandPropertiesMapped(src);
  assert.equal(text, "({ a: a, bb: bb })");
  assert.deepEqual(insertions, [{ at: 4, length: 3 }, { at: 8, length: 4 }]);
  // Every character outside inserted text maps to the same character of the cell.
  for (const [i, ch] of [...text].entries()) {
    const o = originalOffset(insertions, i);
    if (ch !== ":" && !(i >= 4 && i < 7) && !(i >= 11 && i < 15)) assert.equal(src[o], ch, `offset ${i}`);
    else assert.ok(o === 4 || o === 8, `inside an insertion: ${i} -> ${o}`);
  }
  assert.deepEqual(expandShorthandPropertiesMapped("const x = 1;"), { text: "const x = 1;", insertions: [] });
});

test("cellStack: stacks without cell frames are unchanged", () => {
  const stack = "Error: x\n    at f (/tmp/a.js:1:2)\n    at evalmachine.<anonymous>:2:7";
  assert.equal(cellStack(stack, () => undefined), stack);
});

test("cellGlobalsDeclaration: typed from flamebook's display.d.ts; any when it was not built", () => {
  const typed = cellGlobalsDeclaration();
  assert.match(typed, /declare global \{[\s\S]*const display: import\(".*\/dist\/esm\/display\/display\.js"\)\.Display;[\s\S]*const clearOutput: typeof import\(/);
  const untyped = cellGlobalsDeclaration("/nonexistent/display.d.ts");
  assert.match(untyped, /const display: any;[\s\S]*const clearOutput: any;/);
});
