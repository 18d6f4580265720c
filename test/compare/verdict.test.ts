import assert from "node:assert/strict";
import { test } from "node:test";
import { randomNormal, seededRandom } from "../../src/compare/random.js";
import { verdict } from "../../src/compare/verdict.js";

/** n lognormal times with median m and coefficient of variation cv. */
const sample = (rnd: () => number, n: number, m: number, cv: number) =>
  Array.from({ length: n }, () => m * Math.exp(Math.sqrt(Math.log(1 + cv * cv)) * randomNormal(rnd)));

function rate(kind: string, reps: number, seed: number, cv: number, ratio: number): number {
  const rnd = seededRandom(seed);
  let hits = 0;
  for (let r = 0; r < reps; r++) {
    const v = verdict(sample(rnd, 10, 48, cv), sample(rnd, 10, 48 * ratio, cv), { seed: r + 1, resamples: 2000 });
    if (v.kind === kind) hits++;
  }
  return hits / reps;
}

test("verdict: a clear improvement, its text and its plain-JSON form", () => {
  const v = verdict([48.4, 48.1, 49.0, 48.6, 48.2], [41.2, 41.0, 41.9, 41.3, 40.8]);
  assert.equal(v.kind, "improved");
  assert.ok(Math.abs(v.ratio - 41.2 / 48.4) < 1e-12);
  assert.ok(v.ci[1] < 1);
  assert.ok(v.pValue < 0.01);
  assert.equal(v.pExact, true);
  assert.match(v.text, /^after is 14\.9% faster than before \(median 41\.2 ms vs 48\.4 ms; 95% CI of the ratio 0\.\d\d–0\.\d\d; p = 0\.0079; 5 runs each\)$/);
  assert.equal(String(v), v.text);
  const json = JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  assert.equal(json.kind, "improved");
  assert.equal(json.text, v.text);
  assert.deepEqual(v.toJSON(), json);
  assert.equal(Object.values(v.toJSON()).some((x) => typeof x === "function"), false);
  // deterministic
  assert.deepEqual(verdict([48.4, 48.1, 49.0, 48.6, 48.2], [41.2, 41.0, 41.9, 41.3, 40.8]).toJSON(), v.toJSON());
});

test("verdict: a regression, labels and units", () => {
  const v = verdict([10, 10.1, 9.9, 10.05, 9.95, 10.02], [12, 12.1, 11.9, 12.2, 11.8, 12.05], { base: "main", other: "pr", unit: "s" });
  assert.equal(v.kind, "regressed");
  assert.deepEqual([v.base, v.other, v.baseSummary.median, v.otherSummary.median], ["main", "pr", 10.01, 12.025]);
  assert.match(v.text, /^pr is 20\.\d% slower than main \(median 12\.0 s vs 10\.0 s;/);
});

test("verdict: too few runs is an error naming the side; bad values too", () => {
  assert.throws(() => verdict([1, 2, 3], [1]), { message: "flamebook: verdict needs at least 2 runs per side, got 1 for after" + "." });
  assert.throws(() => verdict([1], [1, 2]), /got 1 for before/);
  assert.throws(() => verdict([1, 2], [1, NaN]), /positive finite measurements, got NaN at run 1 of after/);
  assert.throws(() => verdict([1, -2], [1, 2]), /got -2 at run 1 of before/);
});

test("verdict: outliers, high variance and few runs produce warnings", () => {
  const v = verdict([48.2, 48.5, 48.1, 48.3, 60.3, 48.4, 48.2, 48.6], [48.0, 52.0, 44.1, 49.9, 45.2, 50.8, 47.1, 53.0]);
  const w = v.warnings.join("\n");
  assert.match(w, /before has 1 outlier .*: 60\.3 ms at run 4\./);
  assert.match(w, /after has high variance: cv \d+\.\d%/);
  assert.doesNotMatch(w, /only \d+ runs/);
  const few = verdict([48, 49, 47], [41, 42, 40]);
  assert.match(few.warnings.join("\n"), /before has only 3 runs; use at least 5 per side/);
  assert.match(few.warnings.join("\n"), /after has only 3 runs/);
});

test("verdict: a wide 'no change' says how many runs would be needed", () => {
  const rnd = seededRandom(9);
  const v = verdict(sample(rnd, 6, 48, 0.08), sample(rnd, 6, 48, 0.08));
  assert.equal(v.kind, "no change");
  assert.match(v.text, /^no change: after wall time is [−+]\d+\.\d% vs before, not a clear change \(median/);
  assert.match(v.warnings.join("\n"), /wider than the ±2\.0% noise threshold.*about \d+ runs per side would detect a \d+\.\d% change with 80% power/);
});

test("verdict: A/A with cv 10% says 'no change' in at least 95% of 500 repetitions", () => {
  const r = rate("no change", 500, 100, 0.1, 1);
  console.log(`# A/A no-change rate (cv 10%, n = 10): ${(r * 100).toFixed(1)}%`);
  assert.ok(r >= 0.95, `${r}`);
});

test("verdict: A/A with cv 30% does not call changes (≥ 95% 'no change' of 500)", () => {
  const r = rate("no change", 500, 200, 0.3, 1);
  console.log(`# A/A no-change rate (cv 30%, n = 10): ${(r * 100).toFixed(1)}%`);
  assert.ok(r >= 0.95, `${r}`);
});

test("verdict: a real 15% improvement with cv 5% is 'improved' in at least 95% of 500", () => {
  const r = rate("improved", 500, 300, 0.05, 0.85);
  console.log(`# power: 15% improvement, cv 5%, n = 10: ${(r * 100).toFixed(1)}% improved`);
  assert.ok(r >= 0.95, `${r}`);
});

test("verdict: a real 15% regression with cv 5% is 'regressed' in at least 95% of 500", () => {
  const r = rate("regressed", 500, 400, 0.05, 1.15);
  console.log(`# power: 15% regression, cv 5%, n = 10: ${(r * 100).toFixed(1)}% regressed`);
  assert.ok(r >= 0.95, `${r}`);
});
