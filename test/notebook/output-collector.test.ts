import assert from "node:assert/strict";
import { test } from "node:test";
import { OutputCollector } from "../../src/notebook/output-collector.js";
import type { Output } from "../../src/notebook/nbformat.js";

test("OutputCollector: streams merge per name, rich outputs keep order", () => {
  const c = new OutputCollector();
  const out: Output[] = [];
  c.startCell(out);
  c.add({ msgType: "stream", content: { name: "stdout", text: "a" } });
  c.add({ msgType: "stream", content: { name: "stdout", text: "b\n" } });
  c.add({ msgType: "stream", content: { name: "stderr", text: "e\n" } });
  c.add({ msgType: "execute_result", content: { execution_count: 4, data: { "text/plain": "2" }, metadata: {} } });
  c.add({ msgType: "error", content: { ename: "E", evalue: "v", traceback: ["t"] } });
  assert.equal(c.add({ msgType: "status", content: { execution_state: "idle" } }), false);
  assert.deepEqual(out, [
    { output_type: "stream", name: "stdout", text: "ab\n" },
    { output_type: "stream", name: "stderr", text: "e\n" },
    { output_type: "execute_result", data: { "text/plain": "2" }, metadata: {}, execution_count: 4 },
    { output_type: "error", ename: "E", evalue: "v", traceback: ["t"] },
  ]);
});

test("OutputCollector: update_display_data rewrites outputs with that display id, in earlier cells too", () => {
  const c = new OutputCollector();
  const cell1: Output[] = [];
  const cell2: Output[] = [];
  c.startCell(cell1);
  c.add({ msgType: "display_data", content: { data: { "text/plain": "run 1 of 10" }, metadata: {}, transient: { display_id: "p" } } });
  c.startCell(cell2);
  c.add({ msgType: "display_data", content: { data: { "text/plain": "again" }, metadata: {}, transient: { display_id: "p" } } });
  assert.equal(c.add({ msgType: "update_display_data", content: { data: { "text/plain": "done" }, metadata: {}, transient: { display_id: "p" } } }), true);
  assert.deepEqual([cell1[0], cell2[0]].map((o) => (o as unknown as { data: { "text/plain": string } }).data["text/plain"]), ["done", "done"]);
  assert.equal(c.add({ msgType: "update_display_data", content: { data: {}, metadata: {}, transient: { display_id: "unknown" } } }), false);
});

test("OutputCollector: clear_output now, and with wait at the next output", () => {
  const c = new OutputCollector();
  const out: Output[] = [];
  c.startCell(out);
  c.add({ msgType: "stream", content: { name: "stdout", text: "1" } });
  c.add({ msgType: "clear_output", content: { wait: true } });
  assert.equal(out.length, 1, "wait: nothing cleared yet");
  c.add({ msgType: "stream", content: { name: "stdout", text: "2" } });
  assert.deepEqual(out, [{ output_type: "stream", name: "stdout", text: "2" }], "the stream did not merge into the cleared one");
  c.add({ msgType: "display_data", content: { data: { "text/plain": "x" }, metadata: {}, transient: { display_id: "d" } } });
  c.add({ msgType: "clear_output", content: { wait: false } });
  assert.deepEqual(out, []);
  assert.equal(c.add({ msgType: "update_display_data", content: { data: { "text/plain": "y" }, metadata: {}, transient: { display_id: "d" } } }), false, "a cleared output is no longer updated");
});
