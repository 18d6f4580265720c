import { test } from "node:test";
import assert from "node:assert/strict";
import { MIMEBUNDLE, toMimeBundle } from "../../kernel/display.js";

test("toMimeBundle: plain values are text/plain via util.inspect", () => {
  assert.deepEqual(toMimeBundle(42), { "text/plain": "42" });
  assert.deepEqual(toMimeBundle("ab"), { "text/plain": "'ab'" });
  assert.deepEqual(toMimeBundle({ a: [1, 2] }), { "text/plain": "{ a: [ 1, 2 ] }" });
});

test("toMimeBundle: Symbol.for('jupyter.mimebundle') keeps its own text/plain", () => {
  const v = { [MIMEBUNDLE]: () => ({ "text/html": "<b>x</b>", "text/plain": "x" }) };
  assert.deepEqual(toMimeBundle(v), { "text/html": "<b>x</b>", "text/plain": "x" });
});

test("toMimeBundle: the display protocol's bundle gets a text/plain added", () => {
  class Fg {
    [MIMEBUNDLE]() {
      return { "image/svg+xml": "<svg/>" };
    }
  }
  const b = toMimeBundle(new Fg());
  assert.equal(b["image/svg+xml"], "<svg/>");
  assert.equal(b["text/plain"], "Fg {}");
});

test("toMimeBundle: one protocol: IPython's _repr_mimebundle_ is an ordinary method", () => {
  assert.deepEqual(toMimeBundle({ _repr_mimebundle_: () => ({ "text/html": "no" }) }), { "text/plain": "{ _repr_mimebundle_: [Function: _repr_mimebundle_] }" });
});

test("toMimeBundle: an empty bundle falls back to text/plain", () => {
  assert.deepEqual(toMimeBundle({ [MIMEBUNDLE]: () => ({}) }), { "text/plain": "{ [Symbol(jupyter.mimebundle)]: [Function: [jupyter.mimebundle]] }" });
});
