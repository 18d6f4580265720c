import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../src/model/errors.js";

test("FormatError: names the file, the line, what was expected, what came, and the fix", () => {
  const e = new FormatError("perf-script", 48213, "a frame line", "garbage", { fix: "Re-run perf script." }).withSource("out.txt");
  assert.equal(e.message, "flamebook: out.txt: perf-script line 48213: expected a frame line, got 'garbage'.\nRe-run perf script.");
  assert.equal(e.line, 48213);
  assert.equal(e.source, "out.txt");
});

test("FormatError: long and binary input is cut and escaped", () => {
  const e = new FormatError("folded", 1, "text", "\u0000\u0001" + "x".repeat(200));
  assert.match(e.message, /got '\\x00\\x01x{78}…'/);
});
