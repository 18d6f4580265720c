import assert from "node:assert/strict";
import { test } from "node:test";
import { randomNormal, seededRandom } from "../../src/compare/random.js";
import { runsNeeded } from "../../src/compare/runs-needed.js";
import { verdict } from "../../src/compare/verdict.js";

const sample = (rnd: () => number, n: number, m: number, cv: number) =>
  Array.from({ length: n }, () => m * Math.exp(Math.sqrt(Math.log(1 + cv * cv)) * randomNormal(rnd)));

test("runsNeeded: grows with the spread and shrinks with the change", () => {
  const rnd = seededRandom(5);
  const quiet = runsNeeded(sample(rnd, 10, 50, 0.02), sample(rnd, 10, 50, 0.02));
  const noisy = runsNeeded(sample(rnd, 10, 50, 0.1), sample(rnd, 10, 50, 0.1));
  assert.ok(noisy > 5 * quiet, `${quiet} vs ${noisy}`);
  const big = runsNeeded(sample(rnd, 10, 50, 0.05), sample(rnd, 10, 42.5, 0.05));
  assert.ok(big <= 5, `a 15% change with cv 5% needs ${big} runs`);
  assert.throws(() => runsNeeded([1], [1, 2]), /at least 2 runs per side.*got 1 for before/);
});

test("runsNeeded: with the suggested n the CI excludes 1 for a real change of the noise size in about 80% of experiments", () => {
  const rnd = seededRandom(11);
  const cv = 0.03;
  const n = runsNeeded(sample(rnd, 50, 50, cv), sample(rnd, 50, 50, cv), { noise: 0.03 });
  let found = 0;
  const R = 100;
  for (let r = 0; r < R; r++) {
    const v = verdict(sample(rnd, n, 50, cv), sample(rnd, n, 50 * 0.97, cv), { noise: 0.03, resamples: 1000, seed: r + 1 });
    if (v.ci[1] < 1) found++;
  }
  console.log(`# runsNeeded: n = ${n} per side for a 3% change at cv 3%; the CI excluded 1 for a real 3% change in ${found}/${R}`);
  assert.ok(n > 5 && n < 200, `n = ${n}`);
  assert.ok(found >= 65 && found <= 97, `${found}/${R}`);
});
