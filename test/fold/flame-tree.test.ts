import { test } from "node:test";
import assert from "node:assert/strict";
import { diffFlameTree, flameTree, openProfile, toFolded, totalWeight, type FlameTree } from "../../src/internals.js";
import { syntheticProfile } from "../helpers/synthetic-profile.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;
const nameOf = (t: FlameTree, i: number) => t.strings[t.frames.name[t.nodes.frame[i]!]!]!;

/** Folded lines of a flame tree: every node with self weight, as `a;b;c self`. */
function treeFolded(t: FlameTree, weight = t.nodes.self): Map<string, number> {
  const path: string[] = [];
  const out = new Map<string, number>();
  for (let i = 1; i < t.nodes.frame.length; i++) {
    path.length = t.nodes.depth[i]! - 1;
    path.push(nameOf(t, i));
    if (weight[i]! > 0) out.set(path.join(";"), (out.get(path.join(";")) ?? 0) + weight[i]!);
  }
  return out;
}

test("flameTree: the tree holds exactly the profile's folded stacks and weights", async () => {
  const p = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const t = flameTree(p);
  assert.equal(t.nodes.total[0], totalWeight(p));
  const want = new Map<string, number>();
  for (const line of toFolded(p, { pname: false })) {
    const at = line.lastIndexOf(" ");
    want.set(line.slice(0, at), (want.get(line.slice(0, at)) ?? 0) + Number(line.slice(at + 1)));
  }
  assert.deepEqual(treeFolded(t), want);
});

test("flameTree: pre-order, consistent totals, siblings sorted by name", () => {
  const t = flameTree(syntheticProfile(3000, 7));
  const { parent, depth, self, total } = t.nodes;
  const childSum = new Float64Array(parent.length);
  for (let i = 1; i < parent.length; i++) {
    assert.ok(parent[i]! < i, "parents come first");
    assert.equal(depth[i], depth[parent[i]!]! + 1);
    childSum[parent[i]!]! += total[i]!;
  }
  for (let i = 0; i < parent.length; i++) assert.equal(total[i], self[i]! + childSum[i]!, `node ${i}`);
  const lastChild = new Map<number, number>();
  for (let i = 1; i < parent.length; i++) {
    const prev = lastChild.get(parent[i]!);
    if (prev !== undefined) assert.ok(nameOf(t, prev) <= nameOf(t, i), `${nameOf(t, prev)} before ${nameOf(t, i)}`);
    lastChild.set(parent[i]!, i);
  }
});

test("flameTree: the timeline covers every sample, per thread, in time order", async () => {
  const p = await openProfile(fixture("threads.perf.txt"));
  const t = flameTree(p);
  const tl = t.timeline!;
  assert.ok(tl.threads.length >= 2, `threads: ${tl.threads.join(", ")}`);
  for (let i = 0; i < tl.start.length; i++) {
    assert.ok(tl.end[i]! > tl.start[i]!);
    if (i > 0 && tl.thread[i] === tl.thread[i - 1]) assert.ok(tl.start[i]! >= tl.end[i - 1]! - 1e-9, `run ${i} overlaps the one before`);
  }
  const noTime = flameTree(await openProfile(fixture("fields-no-time.perf.txt")));
  assert.equal(noTime.timeline, undefined);
  assert.match(noTime.notes.join("\n"), /no flame chart: the samples have no timestamps/);
});

test("diffFlameTree: both sides' weights on one tree; the removed to_string is a significant change", async () => {
  const before = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const after = await openProfile(fixture("clone-in-loop.after.perf.txt"));
  const d = diffFlameTree(before, after);
  assert.equal(d.diff!.total[0], totalWeight(before));
  assert.equal(d.nodes.total[0], totalWeight(after));
  const byName = (n: string) => [...d.nodes.frame.keys()].filter((i) => nameOf(d, i).includes(n));
  const toString = byName("ToString>::to_string");
  assert.ok(toString.length > 0);
  const baseShare = toString.reduce((s, i) => s + d.diff!.total[i]!, 0) / d.diff!.total[0]!;
  assert.ok(baseShare > 0.2, `to_string was ${(baseShare * 100).toFixed(1)}% before`);
  assert.ok(toString.every((i) => d.nodes.total[i] === 0), "and is gone after");
  assert.ok(toString.some((i) => d.diff!.sig[i] === 1), "a change that large over these sample counts is significant");
  assert.equal(d.diff!.sig[0], 0, "the root's share is 100% on both sides");
  const same = diffFlameTree(before, before);
  assert.ok(same.diff!.sig.every((s) => s === 0), "a profile against itself changes nothing");
});
