import assert from "node:assert/strict";
import { test } from "node:test";
import { functionTable } from "../../src/cli/text-table.js";

const rows = [
  { name: "_start", self: 0, total: 100 },
  { name: "main", self: 0, total: 99 },
  { name: "process", self: 10, total: 95 },
  { name: "to_string", self: 5, total: 40 },
  { name: "malloc", self: 30, total: 30 },
];

test("functionTable: ranks by self or total, with percentages of all samples", () => {
  const self = functionTable(rows, "self", 2, 100).split("\n");
  assert.equal(self.length, 3);
  assert.match(self[1]!, /^\s+30\.0%\s+30\.0%\s+malloc$/);
  assert.match(self[2]!, /^\s+10\.0%\s+95\.0%\s+process$/);
});

test("functionTable: skipBase leaves out wide frames without self time, and says how many", () => {
  const total = functionTable(rows, "total", 10, 100, { skipBase: 0.9 });
  assert.match(total.split("\n")[0]!, /2 start-up frames on ≥90% of stacks with no self time left out/);
  assert.doesNotMatch(total, /_start|main\n/);
  assert.match(total.split("\n")[1]!, /process$/, "process has self time, so it stays");
});
