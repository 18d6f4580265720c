// The widget inflates small payloads at once (fflate) and large ones with the platform's
// DecompressionStream: both paths give the same tree, and a damaged payload is an error either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { packFlameTree } from "../../../src/render/flame-wire.js";
import { unpackFlameTree } from "../../../widgets/wire/unpack.js";
import { syntheticTree } from "../core/synthetic-tree.js";

test("unpackFlameTree: a small payload (inflated at once) and a large one (streamed) give back their trees", async () => {
  for (const nodes of [2_000, 200_000]) {
    const tree = syntheticTree(nodes, 3, { timeline: true });
    const packed = packFlameTree(tree);
    const path = packed.bytes.length <= 256 * 1024 ? "at once" : "streamed";
    assert.equal(path, nodes === 2_000 ? "at once" : "streamed", `${packed.bytes.length} bytes`);
    const back = await unpackFlameTree(packed.header, packed.bytes);
    assert.deepEqual(Array.from(back.nodes.total), Array.from(tree.nodes.total), `${nodes} nodes, ${path}`);
    assert.deepEqual(back.strings, tree.strings);
  }
});

test("unpackFlameTree: a damaged payload is an error, not a wrong tree", async () => {
  const packed = packFlameTree(syntheticTree(2_000, 3));
  const cut = packed.bytes.subarray(0, packed.bytes.length >> 1);
  await assert.rejects(unpackFlameTree(packed.header, cut));
});
