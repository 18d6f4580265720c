import { test } from "node:test";
import assert from "node:assert/strict";
import { zoomStep } from "../../../widgets/core/zoom.js";

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
