import assert from "node:assert/strict";
import { test } from "node:test";
import { benjaminiHochberg } from "../../src/compare/multiple-testing.js";

const close = (a: ArrayLike<number>, b: number[]) => b.forEach((v, i) => assert.ok(Math.abs(a[i]! - v) < 1e-12, `${a[i]} vs ${v} at ${i}`));

test("benjaminiHochberg: a hand example, adjusted in input order", () => {
  // sorted 0.005, 0.01, 0.03, 0.04 → ·4/rank: 0.02, 0.02, 0.04, 0.04 (monotone from the top)
  close(benjaminiHochberg([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02]);
  // monotonicity: 0.04·5/4 = 0.05 < 0.03·5/3? no: 0.05 = 0.05; the minimum from above wins
  close(benjaminiHochberg([0.001, 0.008, 0.039, 0.041, 0.042]), [0.005, 0.02, 0.042, 0.042, 0.042]);
  close(benjaminiHochberg([0.9, 1]), [1, 1]);
});

test("benjaminiHochberg: NaN stays NaN and does not count", () => {
  const q = benjaminiHochberg([0.01, NaN, 0.02]);
  assert.ok(Number.isNaN(q[1]!));
  close([q[0]!, q[2]!], [0.02, 0.02]);
});
