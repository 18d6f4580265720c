import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { open, setCommHost, splitBuffers, Widget, FlamegraphWidget, flameTree, openProfile } from "../../src/index.js";
import { unpackFlameTree } from "../../widgets/wire/unpack.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { memoryComms } from "./memory-comms.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;
afterEach(() => setCommHost(undefined));

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("splitBuffers: binary values become buffers addressed by buffer_paths", () => {
  const a = new Uint8Array([1, 2]);
  const b = new Float64Array([3]);
  const { state, buffers, bufferPaths } = splitBuffers({ x: 1, a, nested: { list: [0, b] } });
  assert.deepEqual(state, { x: 1, a: null, nested: { list: [0, null] } });
  assert.deepEqual(bufferPaths, [["a"], ["nested", "list", 1]]);
  assert.deepEqual([...buffers[0]!], [1, 2]);
  assert.equal(buffers[1]!.byteLength, 8);
});

test("Widget: comm_open carries protocol 2.1 state; set() sends update; front-end updates are applied and echoed", () => {
  const { host, comms } = memoryComms();
  setCommHost(host);
  const w = new Widget({ _model_name: "AnyModel", value: 1, data: new Uint8Array([9]) });
  const [c] = comms;
  assert.equal(c!.open.target, "jupyter.widget");
  assert.deepEqual(c!.open.metadata, { version: "2.1.0" });
  assert.deepEqual(c!.open.data, { state: { _model_name: "AnyModel", value: 1, data: null }, buffer_paths: [["data"]] });
  assert.deepEqual([...c!.open.buffers[0]!], [9]);
  w.set("value", 2);
  assert.deepEqual(c!.sent.pop()!.data, { method: "update", state: { value: 2 }, buffer_paths: [] });
  const seen: unknown[] = [];
  w.on("value", (v) => seen.push(v));
  c!.deliver({ method: "update", state: { value: 7, blob: null }, buffer_paths: [["blob"]] }, [new Uint8Array([5])]);
  assert.deepEqual(seen, [7]);
  assert.equal(w.get("value"), 7);
  assert.deepEqual([...(w.get("blob") as Uint8Array)], [5]);
  assert.equal(c!.sent.at(-1)!.data["method"], "echo_update");
  c!.deliver({ method: "request_state" });
  const full = c!.sent.at(-1)!.data;
  assert.equal(full["method"], "update");
  assert.equal((full["state"] as Record<string, unknown>)["value"], 7);
  const custom: unknown[] = [];
  w.onCustom((m) => custom.push(m));
  c!.deliver({ method: "custom", content: { event: "x" } });
  assert.deepEqual(custom, [{ event: "x" }]);
  assert.deepEqual(w.viewBundle()["application/vnd.jupyter.widget-view+json"], { model_id: "comm-1", version_major: 2, version_minor: 1 });
});

test("Widget: without a kernel nothing is opened and the state stays local", () => {
  const w = new Widget({ value: 1 });
  w.set("value", 3);
  assert.equal(w.comm, undefined);
  assert.equal(w.get("value"), 3);
  assert.deepEqual(Object.keys(w.viewBundle()), ["text/plain"]);
});

test("FlamegraphWidget: the tree travels as a buffer; options go out live; the selection comes back", async () => {
  const { host, comms } = memoryComms();
  setCommHost(host);
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const w = new FlamegraphWidget(tree, { layout: "icicle" });
  const c = comms[0]!;
  const state = c.open.data["state"] as Record<string, unknown>;
  assert.equal(state["_model_module"], "anywidget");
  assert.deepEqual(c.open.data["buffer_paths"], [["tree"]]);
  const back = await unpackFlameTree(state["tree_header"] as never, c.open.buffers[0]!);
  assert.deepEqual(back.nodes.total, tree.nodes.total);
  w.update({ search: "to_string" });
  assert.equal(((c.sent.at(-1)!.data["state"] as Record<string, unknown>)["options"] as { search: string }).search, "to_string");
  const picks: unknown[] = [];
  w.onSelect((s) => picks.push(s?.name));
  c.deliver({ method: "update", state: { selected: { node: 3, name: "wordfreq::main" }, options: { ...w.options, search: "fmt" } }, buffer_paths: [] });
  assert.deepEqual(w.selected, { node: 3, name: "wordfreq::main" });
  assert.equal(w.search, "fmt");
  assert.deepEqual(picks, ["wordfreq::main"]);
  const bundle = w.bundle();
  assert.deepEqual(bundle["application/vnd.jupyter.widget-view+json"], { version_major: 2, version_minor: 1, model_id: "comm-1" });
  assert.ok(bundle["text/html"] && bundle["image/svg+xml"] && bundle["text/plain"], "static fallbacks stay in the bundle");
});

test("Flamegraph._repr_mimebundle_: the live widget in a kernel, the static forms without one", async () => {
  const p = await open(fixture("clone-in-loop.before.perf.txt"));
  const fg = p.flamegraph();
  assert.equal(fg._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"], undefined);
  const { host, comms } = memoryComms();
  setCommHost(host);
  const live = fg._repr_mimebundle_();
  assert.ok(live["application/vnd.jupyter.widget-view+json"]);
  assert.equal(comms.length, 1);
  fg._repr_mimebundle_();
  assert.equal(comms.length, 1, "one model per graph, however often it is shown");
  fg.widget().update({ layout: "icicle" });
  assert.equal(comms[0]!.sent.length, 1);
});
