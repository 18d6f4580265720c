import { test } from "node:test";
import assert from "node:assert/strict";
import type { FlameTree } from "../../../src/model/flame-tree.js";
import { buildSandwich, heaviestSelf, outermostCalls, type CallTree } from "../../../widgets/core/sandwich.js";
import { cloneInLoopTrees } from "../../helpers/browser.js";
import { syntheticTree } from "./synthetic-tree.js";

/** A tree from (depth, name, self) rows in pre-order, names as strings. */
function tiny(rows: [number, string, number][]): FlameTree {
  const strings = ["all", ...new Set(rows.map((r) => r[1]))];
  const depth = [0, ...rows.map((r) => r[0])];
  const parent = [-1];
  const path = [0];
  for (let i = 1; i < depth.length; i++) {
    path.length = depth[i]!;
    parent.push(path[depth[i]! - 1]!);
    path.push(i);
  }
  const self = Float64Array.from([0, ...rows.map((r) => r[2])]);
  const total = Float64Array.from(self);
  for (let i = total.length - 1; i > 0; i--) total[parent[i]!]! += total[i]!;
  const nf = strings.length;
  return {
    version: 1,
    title: "tiny",
    event: "samples",
    unit: "samples",
    strings,
    frames: { name: Int32Array.from(strings, (_, i) => i), module: new Int32Array(nf).fill(-1), file: new Int32Array(nf).fill(-1), line: new Int32Array(nf), kind: new Uint8Array(nf).fill(1), inlined: new Uint8Array(nf) },
    nodes: { frame: Int32Array.from([0, ...rows.map((r) => strings.indexOf(r[1]))]), parent: Int32Array.from(parent), depth: Int32Array.from(depth), self, total },
    notes: [],
  };
}

const names = (t: FlameTree, ct: CallTree) => Array.from(ct.name, (n, i) => `${" ".repeat(ct.depth[i]!)}${t.strings[n]} ${ct.total[i]}`);

test("buildSandwich: recursion counts once; callers inverted, callees merged", () => {
  const t = tiny([
    [1, "main", 0],
    [2, "a", 1],
    [3, "b", 2],
    [4, "a", 3],
    [5, "c", 4],
    [2, "x", 0],
    [3, "a", 5],
  ]);
  const a = t.strings.indexOf("a");
  assert.deepEqual(outermostCalls(t, a), [2, 7]);
  const s = buildSandwich(t, a);
  assert.equal(s.calls, 2);
  assert.deepEqual(names(t, s.callers), ["a 15", " main 10", " x 5", "  main 5"]);
  assert.deepEqual(names(t, s.callees), ["a 15", " b 9", "  a 7", "   c 4"]);
  assert.equal(s.callees.self[0], 6);
  assert.equal(s.callers.self[1], 10, "main has no caller above it: the path ends there");
});

test("buildSandwich: <T as ToString>::to_string in clone-in-loop", async () => {
  const { before } = await cloneInLoopTrees();
  const fn = before.strings.indexOf("<T as alloc::string::ToString>::to_string");
  const s = buildSandwich(before, fn);
  const callers = Array.from(s.callers.name, (n) => before.strings[n]);
  const callees = Array.from(s.callees.name, (n) => before.strings[n]);
  assert.equal(callers[1], "wordfreq::process::process");
  assert.ok(callers.includes("wordfreq::main"));
  assert.ok(callees.includes("<u64 as alloc::string::SpecToString>::spec_to_string"));
  assert.equal(s.callers.total[0], s.callees.total[0]);
  const outer = outermostCalls(before, fn).reduce((sum, i) => sum + before.nodes.total[i]!, 0);
  assert.equal(s.callees.total[0], outer);
});

test("buildSandwich: totals add up on a large tree; diff trees carry both sides", async () => {
  const t = syntheticTree(20_000, 3);
  const fn = heaviestSelf(t);
  const s = buildSandwich(t, fn);
  for (const ct of [s.callers, s.callees]) {
    const kids = new Float64Array(ct.total.length);
    for (let i = 1; i < ct.parent.length; i++) {
      assert.ok(ct.parent[i]! < i, "pre-order");
      assert.equal(ct.depth[i], ct.depth[ct.parent[i]!]! + 1);
      kids[ct.parent[i]!]! += ct.total[i]!;
    }
    for (let i = 0; i < kids.length; i++) assert.ok(Math.abs(ct.total[i]! - ct.self[i]! - kids[i]!) < 1e-3, `node ${i} adds up`);
  }
  const { diff } = await cloneInLoopTrees();
  const d = buildSandwich(diff, diff.strings.indexOf("wordfreq::process::process"));
  assert.ok(d.callees.baseTotal && d.callees.baseTotal.length === d.callees.total.length);
  assert.ok(d.callees.baseTotal[0]! > 0);
});
