import assert from "node:assert/strict";
import { test } from "node:test";
import { WidgetStateTracker } from "../../src/notebook/widget-state.js";

test("WidgetStateTracker: open, update with buffers, close; ipywidgets schema 2.0", () => {
  const w = new WidgetStateTracker();
  const state = { _model_name: "FlamegraphModel", _model_module: "flamebook", _model_module_version: "0.1.0", selected: null };
  w.add("comm_open", { comm_id: "a", target_name: "jupyter.widget", data: { state, buffer_paths: [["tree"]] } }, [new Uint8Array([1, 2, 3])]);
  w.add("comm_open", { comm_id: "ctl", target_name: "jupyter.widget.control", data: {} }, []);
  w.add("comm_msg", { comm_id: "a", data: { method: "update", state: { selected: "to_string" }, buffer_paths: [["tree"]] } }, [new Uint8Array([9])]);
  w.add("comm_msg", { comm_id: "a", data: { method: "custom", content: {} } }, []);
  w.add("comm_open", { comm_id: "b", target_name: "jupyter.widget", data: { state: { _model_name: "X" } } }, []);
  w.add("comm_close", { comm_id: "b", data: {} }, []);
  const j = w.toJSON();
  assert.equal(j.version_major, 2);
  assert.deepEqual(Object.keys(j.state), ["a"], "the control comm and the closed model are not stored");
  const a = j.state.a!;
  assert.equal(a.model_name, "FlamegraphModel");
  assert.equal(a.model_module, "flamebook");
  assert.equal((a.state as { selected: string }).selected, "to_string");
  assert.deepEqual(a.buffers, [{ path: ["tree"], data: Buffer.from([9]).toString("base64"), encoding: "base64" }]);
});
