import assert from "node:assert/strict";
import { test } from "node:test";
import { median, quantileInPlace, quantileSorted, summarize } from "../../src/compare/summary.js";

test("summarize: centre, spread and Tukey outliers with their run indices", () => {
  const s = summarize([48.2, 48.5, 48.1, 60.3, 48.4]);
  assert.equal(s.n, 5);
  assert.equal(s.median, 48.4);
  assert.equal(s.min, 48.1);
  assert.equal(s.max, 60.3);
  assert.ok(Math.abs(s.mad - 0.2) < 1e-9); // deviations 0.2, 0.1, 0.3, 11.9, 0
  assert.deepEqual(s.outliers.indices, [3]);
  assert.deepEqual(s.outliers.values, [60.3]);
  assert.ok(Math.abs(s.cv - s.sd / s.mean) < 1e-15);
  assert.throws(() => summarize([]), /at least one value/);
});

test("quantileInPlace: agrees with quantileSorted (type 7)", () => {
  const v = [5, 1, 4, 2, 3, 3, 9, 0.5];
  const s = [...v].sort((a, b) => a - b);
  for (const p of [0, 0.025, 0.25, 0.5, 0.9, 0.975, 1]) assert.equal(quantileInPlace(Float64Array.from(v), p), quantileSorted(s, p));
  assert.equal(median([1, 2, 3, 4]), 2.5);
});
