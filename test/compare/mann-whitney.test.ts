import assert from "node:assert/strict";
import { test } from "node:test";
import { mannWhitney, uDistribution } from "../../src/compare/mann-whitney.js";
import { randomNormal, seededRandom } from "../../src/compare/random.js";

test("uDistribution: counts of U over all orderings (Gaussian binomial coefficients)", () => {
  assert.deepEqual([...uDistribution(2, 2)], [1, 1, 2, 1, 1]);
  assert.deepEqual([...uDistribution(1, 3)], [1, 1, 1, 1]);
  const d = uDistribution(20, 20);
  assert.equal(d.reduce((a, b) => a + b, 0), 137846528820); // C(40, 20)
  assert.equal(d[0], 1);
  assert.equal(d[400], 1);
  assert.equal(d[1], 1);
  assert.equal(d[2], 2);
});

test("mannWhitney: exact p for a complete separation of 3 vs 3 is 2/20", () => {
  const r = mannWhitney([1, 2, 3], [4, 5, 6]);
  assert.equal(r.u, 0);
  assert.equal(r.exact, true);
  assert.ok(Math.abs(r.p - 0.1) < 1e-12);
  assert.equal(mannWhitney([4, 5, 6], [1, 2, 3]).u, 9);
  assert.ok(Math.abs(mannWhitney([4, 5, 6], [1, 2, 3]).p - 0.1) < 1e-12);
});

test("mannWhitney: exact p of a hand example without ties", () => {
  // x = [1, 4], y = [2, 3]: U = 2 = the mean, P(U ≤ 2) = 4/6, P(U ≥ 2) = 4/6 → p = 1
  assert.equal(mannWhitney([1, 4], [2, 3]).p, 1);
  // x = [1, 2], y = [3, 4, 5]: U = 0, P = 1/10 → two-sided 0.2
  assert.ok(Math.abs(mannWhitney([1, 2], [3, 4, 5]).p - 0.2) < 1e-12);
});

test("mannWhitney: ties use the normal approximation with tie and continuity corrections", () => {
  // ranks: 1, 3, 3, 3 (x), 5, 6, 7, 8: R1 = 12, U = 2; var = 16/12·(9 − 24/56); z = 5.5/sd
  const r = mannWhitney([1, 2, 2, 3], [2, 4, 5, 6]);
  assert.equal(r.u, 2);
  assert.equal(r.exact, false);
  assert.ok(Math.abs(Math.abs(r.z) - 1.6269219403523945) < 1e-9);
  assert.ok(Math.abs(r.p - 0.1037536775209857) < 1e-6, `p = ${r.p}`);
  assert.throws(() => mannWhitney([1, 2, 2], [2, 3], { method: "exact" }), /exact Mann–Whitney test needs no ties/);
});

test("mannWhitney: identical values everywhere give p = 1; empty sides are an error", () => {
  assert.equal(mannWhitney([0, 0, 0], [0, 0]).p, 1);
  assert.throws(() => mannWhitney([], [1]), /needs values on both sides, got 0 and 1/);
});

test("mannWhitney: exact and normal approximation agree roughly for n = 20", () => {
  const rnd = seededRandom(3);
  for (const shift of [0, 0.3, 0.6, 1]) {
    const x = Array.from({ length: 20 }, () => randomNormal(rnd));
    const y = Array.from({ length: 20 }, () => randomNormal(rnd) + shift);
    const exact = mannWhitney(x, y, { method: "exact" });
    const normal = mannWhitney(x, y, { method: "normal" });
    assert.equal(exact.exact, true);
    assert.ok(Math.abs(exact.p - normal.p) < 0.01 + 0.1 * exact.p, `shift ${shift}: exact ${exact.p} vs normal ${normal.p}`);
    assert.equal(mannWhitney(y, x).p, mannWhitney(x, y).p);
  }
});
