import { test } from "node:test";
import assert from "node:assert/strict";
import { MIMEBUNDLE, toMimeBundle } from "../../kernel/display.js";

test("toMimeBundle: plain values are text/plain via util.inspect", () => {
  assert.deepEqual(toMimeBundle(42), { "text/plain": "42" });
  assert.deepEqual(toMimeBundle("ab"), { "text/plain": "'ab'" });
  assert.deepEqual(toMimeBundle({ a: [1, 2] }), { "text/plain": "{ a: [ 1, 2 ] }" });
});

test("toMimeBundle: Symbol.for('jupyter.mimebundle') wins and keeps its own text/plain", () => {
  const v = { [MIMEBUNDLE]: () => ({ "text/html": "<b>x</b>", "text/plain": "x" }), _repr_mimebundle_: () => ({ "text/html": "no" }) };
  assert.deepEqual(toMimeBundle(v), { "text/html": "<b>x</b>", "text/plain": "x" });
});

test("toMimeBundle: _repr_mimebundle_ is used and text/plain added", () => {
  class Fg {
    _repr_mimebundle_() {
      return { "image/svg+xml": "<svg/>" };
    }
  }
  const b = toMimeBundle(new Fg());
  assert.equal(b["image/svg+xml"], "<svg/>");
  assert.equal(b["text/plain"], "Fg {}");
});

test("toMimeBundle: an empty bundle falls back to text/plain", () => {
  assert.deepEqual(toMimeBundle({ _repr_mimebundle_: () => ({}) }), { "text/plain": "{ _repr_mimebundle_: [Function: _repr_mimebundle_] }" });
});
