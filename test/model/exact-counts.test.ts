import assert from "node:assert/strict";
import { test } from "node:test";
import { hasExactCounts } from "../../src/model/exact-counts.js";

test("hasExactCounts: callgrind's instructions and DHAT's allocations are exact; samples and times are not", () => {
  assert.equal(hasExactCounts({ unit: "instructions", format: "callgrind" }), true);
  assert.equal(hasExactCounts({ unit: "events", format: "dhat" }), true);
  assert.equal(hasExactCounts({ unit: "nanoseconds", format: "perf-script" }), false);
  assert.equal(hasExactCounts({ unit: "events", format: "perf-script" }), false);
  assert.equal(hasExactCounts({ unit: "samples", format: "folded" }), false);
});
