import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "../../src/index.js";
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
  const bundle = icicle._repr_mimebundle_();
  assert.match(String(bundle["text/html"]), /"layout":"icicle"/);
  assert.match(String(bundle["text/plain"]), /^before: cpu-clock/);
  assert.notEqual(icicle.svg(), fg.svg(), "the static SVG follows the layout");
  const focused = p.focus("wordfreq::process::process").flamegraph();
  assert.ok(focused.tree.nodes.total[0]! < fg.tree.nodes.total[0]!);
});

test("ProfileData.diffFrom: a diff flamegraph with both labels", async () => {
  const before = await open(fixture("clone-in-loop.before.perf.txt"));
  const after = await open(fixture("clone-in-loop.after.perf.txt"));
  const d = after.diffFrom(before, { baseLabel: "to_string", label: "write!" });
  assert.equal(d.tree.diff?.baseLabel, "to_string");
  assert.equal(d.tree.title, "to_string → write!");
  assert.equal(d.tree.diff?.total[0], before.totalWeight());
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
