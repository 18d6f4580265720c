import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { MIMEBUNDLE, open, setCommHost, setDisplayHost, setWidgetFrontEnd, splitBuffers, Widget, FlamegraphWidget, flameTree, openProfile, openWidgetModels, serveWidgetControl, updateStatesMessage } from "../../src/internals.js";
import type { Comm } from "../../src/widget/comm.js";
import { unpackFlameTree } from "../../widgets/wire/unpack.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { memoryComms } from "./memory-comms.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;
afterEach(() => {
  setCommHost(undefined);
  setDisplayHost(undefined);
  setWidgetFrontEnd(undefined);
});
/** A front end with anywidget 0.11 (what a kernel finds in a Jupyter data directory). */
const withAnywidget = () => setWidgetFrontEnd({ anywidget: "~0.11.*", reason: "test: anywidget 0.11.0" });

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
  withAnywidget();
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const w = new FlamegraphWidget(tree, { layout: "icicle" });
  const c = comms[0]!;
  const state = c.open.data["state"] as Record<string, unknown>;
  assert.equal(state["_model_module"], "anywidget");
  assert.equal(state["_model_module_version"], "~0.11.*", "the model asks for the anywidget the front end has");
  assert.deepEqual(c.open.data["buffer_paths"], [["tree"]]);
  const back = await unpackFlameTree(state["tree_header"] as never, c.open.buffers[0]!);
  assert.deepEqual(back.nodes.total, tree.nodes.total);
  w.update({ search: "to_string" });
  assert.equal(((c.sent.at(-1)!.data["state"] as Record<string, unknown>)["options"] as { search: string }).search, "to_string");
  const picks: unknown[] = [];
  w.onSelect((s) => picks.push(s?.name));
  c.deliver({ method: "update", state: { selected: { node: 3, name: "wordfreq::main" }, options: { ...w.widgetOptions, search: "fmt" } }, buffer_paths: [] });
  assert.deepEqual(w.selected, { node: 3, name: "wordfreq::main" });
  assert.equal(w.search, "fmt");
  assert.deepEqual(picks, ["wordfreq::main"]);
  // a zoom in the view comes back as a node id; the kernel side reads it as the frame's name
  c.deliver({ method: "update", state: { options: { ...w.widgetOptions, focus: 3 } }, buffer_paths: [] });
  assert.equal(w.options.focus, tree.strings[tree.frames.name[tree.nodes.frame[3]!]!]);
  const bundle = w.bundle();
  assert.deepEqual(bundle["application/vnd.jupyter.widget-view+json"], { version_major: 2, version_minor: 1, model_id: "comm-1" });
  assert.ok(bundle["text/html"] && bundle["image/svg+xml"] && bundle["text/plain"], "static fallbacks stay in the bundle");
});

test("Flamegraph[MIMEBUNDLE]: the live widget in a kernel, the static forms without one", async () => {
  const p = await open(fixture("clone-in-loop.before.perf.txt"));
  const fg = p.flamegraph();
  assert.equal(fg[MIMEBUNDLE]()["application/vnd.jupyter.widget-view+json"], undefined);
  const { host, comms } = memoryComms();
  setCommHost(host);
  withAnywidget();
  const live = fg[MIMEBUNDLE]();
  assert.ok(live["application/vnd.jupyter.widget-view+json"]);
  assert.equal(comms.length, 1);
  fg[MIMEBUNDLE]();
  assert.equal(comms.length, 1, "one model per graph, however often it is shown");
  fg.widget().update({ layout: "icicle" });
  assert.equal(comms[0]!.sent.length, 1);
});

test("Flamegraph in a kernel whose front end has no anywidget: no comm, no widget view; update() shows the new graph", async () => {
  const p = await open(fixture("clone-in-loop.before.perf.txt"));
  const fg = p.flamegraph();
  const { host, comms } = memoryComms();
  setCommHost(host);
  setWidgetFrontEnd({ anywidget: null, reason: "test: no anywidget" });
  const shown: Record<string, unknown>[] = [];
  setDisplayHost({ display: (bundle) => void shown.push(bundle), clearOutput: () => {} });
  const bundle = fg[MIMEBUNDLE]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/html", "text/plain"], "the static forms only: text/html is what JupyterLab shows");
  assert.equal(comms.length, 0, "no model is opened that the front end could not load (no 'Could not instantiate widget')");
  const w = fg.widget();
  assert.equal(w.modelId, undefined);
  assert.equal(w.selected, null);
  w.update({ layout: "icicle", search: "to_string" });
  assert.equal(comms.length, 0);
  assert.equal(shown.length, 1, "the updated graph is shown as a new output");
  assert.match(String(shown[0]!["text/html"]), /"layout":"icicle"/);
  assert.equal(shown[0]!["application/vnd.jupyter.widget-view+json"], undefined);
  assert.match(String(fg[MIMEBUNDLE]()["text/html"]), /"search":"to_string"/, "showing fg again uses the widget's options");
});

/** A comm the front end opened: records what the kernel sends and lets the test deliver messages. */
function frontEndComm(id: string, target: string) {
  const sent: { data: Record<string, unknown>; buffers: readonly Uint8Array[] }[] = [];
  let onMsg: ((d: Record<string, unknown>, b: readonly Uint8Array[]) => void) | undefined;
  let onClose: (() => void) | undefined;
  const comm: Comm = {
    id,
    target,
    send: (data, buffers = []) => void sent.push({ data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>, buffers }),
    close: () => onClose?.(),
    onMsg: (h) => void (onMsg = h),
    onClose: (h) => void (onClose = h),
  };
  return { comm, sent, deliver: (d: Record<string, unknown>, b: readonly Uint8Array[] = []) => onMsg?.(d, b), closeFromFrontEnd: () => onClose?.() };
}

test("jupyter.widget.control: request_states gets every open model in the ipywidgets layout; closed models leave", () => {
  openWidgetModels().clear();
  const { host } = memoryComms();
  setCommHost(host);
  const a = new Widget({ _model_name: "AnyModel", _model_module: "anywidget", _model_module_version: "~0.9.*", value: 1, blob: new Uint8Array([1, 2, 3]) });
  const fe = frontEndComm("fe-1", "jupyter.widget");
  const b = Widget.attach(fe.comm, { state: { _model_name: "IntModel", _model_module: "@jupyter-widgets/controls", value: 3, raw: null }, buffer_paths: [["raw"]] }, [new Uint8Array([7])]);
  assert.deepEqual([...(b.get("raw") as Uint8Array)], [7]);
  const control = frontEndComm("ctl", "jupyter.widget.control");
  serveWidgetControl(control.comm);
  control.deliver({ method: "something_else" });
  assert.equal(control.sent.length, 0, "unknown methods are ignored");
  control.deliver({ method: "request_states" });
  const [reply] = control.sent;
  const states = reply!.data["states"] as Record<string, { model_name: string; model_module: string; model_module_version?: string; state: Record<string, unknown> }>;
  assert.equal(reply!.data["method"], "update_states");
  assert.deepEqual(Object.keys(states).sort(), [a.modelId!, "fe-1"].sort());
  assert.deepEqual({ ...states[a.modelId!], state: undefined }, { model_name: "AnyModel", model_module: "anywidget", model_module_version: "~0.9.*", state: undefined });
  assert.equal(states[a.modelId!]!.state["blob"], null);
  assert.equal(states["fe-1"]!.state["value"], 3);
  const paths = reply!.data["buffer_paths"] as string[][];
  assert.deepEqual(paths, [[a.modelId!, "state", "blob"], ["fe-1", "state", "raw"]]);
  assert.deepEqual(reply!.buffers.map((x) => [...x]), [[1, 2, 3], [7]]);
  // Front-end updates to the attached model are applied and echoed, like any other.
  fe.deliver({ method: "update", state: { value: 4 }, buffer_paths: [] });
  assert.equal(b.get("value"), 4);
  assert.equal(fe.sent.at(-1)!.data["method"], "echo_update");
  // Closing either way removes a model from what the control comm reports.
  a.close();
  fe.closeFromFrontEnd();
  assert.deepEqual(updateStatesMessage().data["states"], {});
});

test("Widget: a front-end update cannot reach Object.prototype", () => {
  const fe = frontEndComm("fe-2", "jupyter.widget");
  const w = Widget.attach(fe.comm, { state: { x: 1 } });
  fe.deliver(JSON.parse('{"method":"update","state":{"__proto__":{"polluted":true},"y":2},"buffer_paths":[["__proto__","polluted"]]}') as Record<string, unknown>, [new Uint8Array([1])]);
  assert.equal(w.get("y"), 2);
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  assert.equal(Object.getPrototypeOf(w.state()), Object.prototype);
  w.close();
});
