// What the host hears: one onChange per user change, a search once typing settles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Reporter, SEARCH_EMIT_MS, type FlameChange } from "../../../widgets/core/reporter.js";

test("Reporter.report: a settling search is sent once, after the last keystroke", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const sent: FlameChange[] = [];
  const r = new Reporter((c) => sent.push(c));
  for (const text of ["t", "to", "to_"]) {
    r.report({ options: { search: text } }, "settle");
    t.mock.timers.tick(SEARCH_EMIT_MS - 1);
  }
  assert.deepEqual(sent, []);
  t.mock.timers.tick(1);
  assert.deepEqual(sent, [{ options: { search: "to_" } }]);
  r.flush();
  assert.equal(sent.length, 1, "nothing left to flush");
});

test("Reporter.report: a change sent now carries the settling search along (the host never sees a stale one)", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const sent: FlameChange[] = [];
  const r = new Reporter((c) => sent.push(c));
  r.report({ options: { search: "alloc" } }, "settle");
  r.report({ options: { focus: 4 }, selected: { node: 4, name: "f" } }, "now");
  assert.deepEqual(sent, [{ options: { search: "alloc", focus: 4 }, selected: { node: 4, name: "f" } }]);
  t.mock.timers.tick(SEARCH_EMIT_MS * 2);
  assert.equal(sent.length, 1);
});

test("Reporter.flush and destroy: Enter sends now; after destroy nothing is sent; a throwing callback is logged", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const sent: FlameChange[] = [];
  const r = new Reporter((c) => sent.push(c));
  r.report({ options: { search: "a" } }, "settle");
  r.flush();
  assert.deepEqual(sent, [{ options: { search: "a" } }]);
  r.report({ options: { search: "ab" } }, "settle");
  r.destroy();
  t.mock.timers.tick(SEARCH_EMIT_MS);
  assert.equal(sent.length, 1);
  const errors = t.mock.method(console, "error", () => {});
  new Reporter(() => {
    throw new Error("host bug");
  }).report({ options: { layout: "icicle" } }, "now");
  assert.equal(errors.mock.callCount(), 1);
});
