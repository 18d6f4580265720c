import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { diffFlameTree, flameTree, openProfile, ProfileBuilder, type FlameTree } from "../../src/internals.js";
import { flameTreeJson, packFlameTree } from "../../src/render/flame-wire.js";
import { base64Bytes, parentsFromDepths, unpackFlameTree } from "../../widgets/wire/unpack.js";
import { syntheticProfile } from "../helpers/synthetic-profile.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;

function assertSameTree(got: FlameTree, want: FlameTree): void {
  const { nodes: gn, frames: gf, diff: gd, timeline: gt, ...gRest } = got;
  const { nodes: wn, frames: wf, diff: wd, timeline: wt, ...wRest } = want;
  assert.deepEqual(gRest, wRest);
  assert.deepEqual(gf, wf);
  assert.deepEqual(gn.frame, wn.frame);
  assert.deepEqual(gn.parent, wn.parent);
  assert.deepEqual(gn.depth, wn.depth);
  assert.deepEqual(gn.total, wn.total);
  assert.deepEqual(gn.self, wn.self, "self weights are rebuilt exactly from integer totals");
  assert.deepEqual(gd, wd);
  if (!wt) return assert.equal(gt, undefined);
  assert.ok(gt);
  assert.deepEqual(gt.threads, wt.threads);
  assert.deepEqual(gt.thread, wt.thread);
  assert.deepEqual(gt.node, wt.node);
  for (let i = 0; i < wt.start.length; i++) {
    assert.ok(Math.abs(gt.start[i]! - wt.start[i]!) <= 1e-6, `run ${i} start ${gt.start[i]} vs ${wt.start[i]}`);
    assert.ok(Math.abs(gt.end[i]! - wt.end[i]!) <= 1.5e-6, `run ${i} end ${gt.end[i]} vs ${wt.end[i]}`);
  }
}

test("packFlameTree/unpackFlameTree: a real perf profile with its timeline round-trips", async () => {
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  assert.ok(tree.timeline && tree.timeline.start.length > 10, "the fixture has timestamps");
  const { header, bytes } = packFlameTree(tree);
  assert.equal(header.encoding, "deflate");
  assertSameTree(await unpackFlameTree(header, bytes), tree);
  const plain = packFlameTree(tree, { compress: false });
  assert.ok(plain.bytes.length > bytes.length * 2, `deflate shrinks the payload (${plain.bytes.length} -> ${bytes.length})`);
  assertSameTree(await unpackFlameTree(plain.header, plain.bytes), tree);
});

test("flameTreeJson: a diff tree survives JSON and base64", async () => {
  const before = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const after = await openProfile(fixture("clone-in-loop.after.perf.txt"));
  const tree = diffFlameTree(before, after);
  const json = JSON.parse(JSON.stringify(flameTreeJson(tree))) as ReturnType<typeof flameTreeJson>;
  assertSameTree(await unpackFlameTree(json.header, base64Bytes(json.data)), tree);
});

test("packFlameTree: names with NUL, markup and non-ASCII keep their table positions", async () => {
  const b = new ProfileBuilder({ format: "test" });
  const names = ["main", "a\0b", "<img src=x onerror=alert(1)>", "名前::関数", "emoji 🔥", ""];
  let s = -1;
  for (const n of names) s = b.stack(s, b.frame(n, "m"));
  b.sample(s, b.thread("t", 1, 1), b.event("samples"), NaN, 1);
  const tree = flameTree(b.finish());
  const { header, bytes } = packFlameTree(tree);
  const got = await unpackFlameTree(header, bytes);
  assert.deepEqual(got.strings, tree.strings.map((x) => x.replaceAll("\0", "\uFFFD")));
  assert.ok(got.strings.includes("名前::関数") && got.strings.includes("emoji 🔥"));
});

test("unpackFlameTree: truncated, corrupt or newer data gets a clear error", async () => {
  const tree = flameTree(syntheticProfile(200));
  const { header, bytes } = packFlameTree(tree, { compress: false });
  await assert.rejects(unpackFlameTree(header, bytes.subarray(0, bytes.length - 10)), /expected \d+; the output is truncated/);
  await assert.rejects(unpackFlameTree({ ...header, version: 2 as 1 }, bytes), /newer flamebook/);
  await assert.rejects(unpackFlameTree({ ...header, columns: header.columns.filter(([n]) => n !== "nodes.total") }, bytes), /no Float64Array column 'nodes.total'/);
  const bad = Uint8Array.from(bytes);
  const [, , , at] = header.columns.find(([n]) => n === "nodes.depth")!;
  new DataView(bad.buffer).setInt32(at + 4 * 5, 40, true);
  await assert.rejects(unpackFlameTree(header, bad), /node 5 has depth 40 .* corrupt/);
  const garbage = new Uint8Array(deflateSync(Buffer.from("not a tree")));
  await assert.rejects(unpackFlameTree({ ...header, encoding: "deflate" }, garbage), /truncated/);
});

test("parentsFromDepths: rebuilds the parents of a pre-order tree", () => {
  assert.deepEqual(parentsFromDepths(Int32Array.of(0, 1, 2, 2, 1, 2, 3, 1)), Int32Array.of(-1, 0, 1, 1, 0, 4, 5, 0));
});

test("flameTreeJson: a 10k-node tree fits in the 200 KB widget-state budget", () => {
  const tree = flameTree(syntheticProfile(10_000), { timeline: false });
  assert.equal(tree.nodes.frame.length, 10_000);
  const size = JSON.stringify(flameTreeJson(tree)).length;
  assert.ok(size <= 200_000, `10k nodes take ${size} bytes of JSON`);
});

test("packFlameTree: a tree is packed once, however many outputs need it", () => {
  const tree = flameTree(syntheticProfile(500, 4));
  assert.equal(packFlameTree(tree).bytes, packFlameTree(tree).bytes);
  assert.notEqual(packFlameTree(tree, { compress: false }).bytes, packFlameTree(tree).bytes);
  assert.equal(packFlameTree(tree, { compress: false }).header.encoding, "identity");
});
