import assert from "node:assert/strict";
import { test } from "node:test";
import { functionTotals, stackShare } from "../../src/fold/function-totals.js";
import { folded } from "../../src/samples/folded/folded.js";
import { parseInput } from "../../src/samples/read-lines.js";

const text = "main;process;to_string;malloc 3\nmain;process;to_string 1\nmain;process 4\nmain;rec;rec;rec 2\n";

test("functionTotals: self is leaf weight, total counts a recursive function once per sample", async () => {
  const p = await parseInput(folded.parser(), text);
  const byName = Object.fromEntries(functionTotals(p).map((f) => [f.name, f]));
  assert.deepEqual(byName.main, { name: "main", self: 0, total: 10 });
  assert.deepEqual(byName.process, { name: "process", self: 4, total: 8 });
  assert.deepEqual(byName.to_string, { name: "to_string", self: 1, total: 4 });
  assert.deepEqual(byName.rec, { name: "rec", self: 2, total: 2 });
  assert.equal(functionTotals(p)[0]!.name, "main");
});

test("stackShare: the fraction of weight with a matching frame anywhere on the stack", async () => {
  const p = await parseInput(folded.parser(), text);
  assert.equal(stackShare(p, /to_string/), 0.4);
  assert.equal(stackShare(p, /malloc/), 0.3);
  assert.equal(stackShare(p, /nothing/), 0);
});
