import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIMEBUNDLE, open } from "../../src/index.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("ProfileData.flamegraph: options travel to every representation; with() makes a new value", async () => {
  const p = await open(fixture("clone-in-loop.before.perf.txt"));
  const fg = p.flamegraph({ title: "before", search: "to_string" });
  assert.equal(fg.tree.title, "before");
  assert.equal(fg.options.search, "to_string");
  const icicle = fg.with({ layout: "icicle" });
  assert.equal(fg.options.layout, "flame");
  assert.equal(icicle.options.layout, "icicle");
  const bundle = icicle[MIMEBUNDLE]();
  assert.match(String(bundle["text/html"]), /"layout":"icicle"/);
  assert.match(String(bundle["text/plain"]), /^before: cpu-clock/);
  assert.notEqual(icicle.svg(), fg.svg(), "the static SVG follows the layout");
  const focused = p.focus("wordfreq::process::process").flamegraph();
  assert.ok(focused.tree.nodes.total[0]! < fg.tree.nodes.total[0]!);
});

test("ProfileData.diffFrom: a diff flamegraph with both labels", async () => {
  const before = await open(fixture("clone-in-loop.before.perf.txt"));
  const after = await open(fixture("clone-in-loop.after.perf.txt"));
  const d = after.diffFrom(before, { base: "to_string", other: "write!" });
  assert.equal(d.tree.diff?.baseLabel, "to_string");
  assert.equal(d.tree.title, "to_string → write!");
  assert.equal(d.tree.diff?.total[0], before.totalWeight());
});

test("ProfileData.flamegraph: display options take names, never ids, and read back as names", async () => {
  const p = await open(fixture("threads.perf.txt"));
  const fg = p.flamegraph({ focus: "threads::spin", sandwich: /wrapping_add$/, thread: "worker two", search: /spin/ });
  const { tree, widgetOptions: w } = fg;
  const nameOf = (node: number) => tree.strings[tree.frames.name[tree.nodes.frame[node]!]!];
  // translated to the widget's ids (node, string index, chart row), which never reach a user
  assert.equal(nameOf(w.focus), "threads::spin");
  assert.equal(tree.strings[w.sandwich], "<u64>::wrapping_add");
  assert.match(tree.timeline!.threads[w.thread]!, /^worker two \d+$/);
  assert.equal(w.search, "spin");
  // and read back in the vocabulary: names, and the thread's ThreadId (the `thread` column of threads())
  const two = (p.threads().objects() as { thread: number; comm: string }[]).find((t) => t.comm === "worker two")!;
  assert.deepEqual(fg.options, { ...fg.options, focus: "threads::spin", sandwich: "<u64>::wrapping_add", thread: two.thread, search: "spin" });
  assert.equal(fg.with({ thread: two.thread }).widgetOptions.thread, w.thread, "a ThreadId and a name pick the same row");
  assert.deepEqual([fg.with({ focus: null }).options.focus, fg.with({ sandwich: null, thread: null }).options.sandwich], [null, null]);
  // the focus is the widest node of that name; a pattern works when no frame has the exact name
  const widest = Array.from(tree.nodes.frame.keys()).filter((i) => i > 0 && nameOf(i) === "threads::spin").sort((a, b) => tree.nodes.total[b]! - tree.nodes.total[a]!)[0];
  assert.equal(w.focus, widest);
  assert.equal(nameOf(fg.with({ focus: "s::spi" }).widgetOptions.focus), "threads::spin");
  // the live widget speaks the same vocabulary
  const live = fg.widget();
  live.update({ sandwich: "threads::spin", view: "sandwich" });
  assert.deepEqual([live.options.sandwich, live.options.view, tree.strings[live.widgetOptions.sandwich]], ["threads::spin", "sandwich", "threads::spin"]);
  // unknown names are errors that say what there is
  assert.throws(() => p.flamegraph({ focus: "no_such_frame" }), /focus: no frame matching 'no_such_frame' in the flamegraph/);
  assert.throws(() => p.flamegraph({ thread: "worker three" }), /thread: no thread 'worker three' in the flame chart of .*; it has \d+ \(worker/);
  assert.throws(() => p.flamegraph({ thread: 0, timeline: false }), /has no time-ordered chart/);
});

test("Flamegraph.save: writes the page atomically and returns its absolute path", async () => {
  const p = await open(fixture("clone-in-loop.before.perf.txt"));
  const dir = mkdtempSync(join(tmpdir(), "fb-save-"));
  const path = await p.flamegraph().save(join(dir, "f.html"));
  assert.equal(path, join(dir, "f.html"));
  assert.match(readFileSync(path, "utf8"), /data-flamebook/);
  assert.deepEqual(readdirSync(dir), ["f.html"]);
  await assert.rejects(p.flamegraph().save(join(dir, "missing-dir", "f.html")), /ENOENT/);
  assert.deepEqual(readdirSync(dir), ["f.html"], "a failed save leaves nothing");
});
