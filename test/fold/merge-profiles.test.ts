import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeProfiles, openProfile, functionTotals } from "../../src/internals.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;

test("mergeProfiles: the merged profile has every sample, and each function's weight is the sum over runs", async () => {
  const a = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const b = await openProfile(fixture("clone-in-loop.after.perf.txt"));
  const m = mergeProfiles([a, b]);
  assert.equal(m.samples.stack.length, a.samples.stack.length + b.samples.stack.length);
  const byName = (p: typeof a) => new Map(functionTotals(p).map((f) => [f.name, f]));
  const [ta, tb, tm] = [byName(a), byName(b), byName(m)];
  for (const [name, f] of tm) {
    const expected = (ta.get(name)?.total ?? 0) + (tb.get(name)?.total ?? 0);
    assert.ok(Math.abs(f.total - expected) < 1e-6 * Math.max(1, expected), `${name}: ${f.total} vs ${expected}`);
  }
  assert.equal(tm.size, new Set([...ta.keys(), ...tb.keys()]).size);
  // Equal frames of the two runs are one frame.
  assert.ok(m.frames.name.length < a.frames.name.length + b.frames.name.length);
  // Runs of one program: the main threads match even though their pids differ.
  assert.equal(new Set(m.threads.map((t) => `${t.comm}/${t.tid}`)).size, m.threads.length);
  assert.ok(m.threads.length <= Math.max(a.threads.length, b.threads.length) + 1);
});

test("mergeProfiles: refuses an empty list and mixed units", async () => {
  assert.throws(() => mergeProfiles([]), /at least one profile/);
  const a = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  assert.throws(() => mergeProfiles([a, { ...a, unit: "instructions" }]), /cannot merge a profile in instructions/);
});

test("mergeProfiles perRun: totals are the mean run's", async () => {
  const a = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const total = (p: typeof a) => p.samples.weight.reduce((x, y) => x + y, 0);
  const m = mergeProfiles([a, a, a], { perRun: true });
  assert.ok(Math.abs(total(m) - total(a)) < 1e-6 * total(a));
});
