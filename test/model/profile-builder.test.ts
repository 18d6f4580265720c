import assert from "node:assert/strict";
import { test } from "node:test";
import { ProfileBuilder } from "../../src/model/profile-builder.js";

test("ProfileBuilder.frame: the same name, module and inlined flag give the same id", () => {
  const b = new ProfileBuilder({ format: "t" });
  assert.equal(b.frame("f", "m"), b.frame("f", "m"));
  assert.notEqual(b.frame("f", "m"), b.frame("f", "m", { inlined: true }));
  assert.notEqual(b.frame("f", "m"), b.frame("f", "n"));
  const p = b.finish();
  assert.deepEqual(p.frames.name, ["f", "f", "f"]);
  assert.deepEqual(p.frames.inlined, [false, true, false]);
});

test("ProfileBuilder.stack: a prefix trie; parents have smaller ids", () => {
  const b = new ProfileBuilder({ format: "t" });
  const [a, c, d] = [b.frame("a", ""), b.frame("c", ""), b.frame("d", "")];
  const s1 = b.stackOf([a, c, d]);
  const s2 = b.stackOf([a, c]);
  const s3 = b.stackOf([a, d]);
  const p = b.finish();
  assert.equal(p.stacks.frame.length, 4);
  assert.equal(p.stacks.parent[s1], s2);
  assert.equal(p.stacks.frame[s3], d);
  for (let s = 0; s < p.stacks.parent.length; s++) assert.ok(p.stacks.parent[s]! < s);
});

test("ProfileBuilder.sample: keepSamples false merges rows with the same stack, thread and event", () => {
  for (const keepSamples of [true, false]) {
    const b = new ProfileBuilder({ format: "t", keepSamples });
    const s = b.stackOf([b.frame("a", "")]);
    const t = b.thread("x", 1, 1);
    const e = b.event("cpu-clock");
    for (let i = 0; i < 1000; i++) b.sample(s, t, e, i, 1);
    const p = b.finish();
    assert.equal(p.samples.stack.length, keepSamples ? 1000 : 1);
    assert.equal(p.samples.weight.reduce((x, y) => x + y, 0), 1000);
  }
});
