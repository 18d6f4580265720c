// experiment({ measure: ["dhat"] }) on the demo crate with real cargo and valgrind: one DHAT run
// per variant gives an exact allocation verdict (the reuse-buffer fix removes more than 90% of the
// allocations), the per-function table shows to_string's blocks vanishing, the diff flamegraph of
// `blocks` marks every change, a second experiment counts exactly the same, and a replay from the
// store needs no valgrind.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEMO_CRATE } from "../../src/cli/demo.js";
import { MIMEBUNDLE } from "../../src/display/mime.js";
import { experiment, type Experiment } from "../../src/index.js";
import { skipWithoutValgrind } from "../helpers/valgrind.js";

const dir = mkdtempSync(join(tmpdir(), "flamebook-exp-dhat-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "store");
const spec = {
  crate: DEMO_CRATE,
  bin: "wordfreq",
  args: ["2000", "10"],
  store,
  variants: { before: {}, after: { features: ["reuse-buffer"] } },
  measure: ["dhat" as const],
};
type Row = { name: string; status: string; base_blocks: number; other_blocks: number; delta_blocks: number; base_bytes: number; other_bytes: number };
const rows = (exp: Experiment) => exp.allocationsByFunction().objects() as Row[];

let first: Experiment | undefined;

test("experiment measure dhat: an exact verdict from one run per variant, more than 90% fewer allocations", { timeout: 300_000 }, async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first = await experiment({ ...spec, fresh: true });
  const al = first.allocations();
  t.diagnostic(al.text);
  assert.deepEqual(
    first.record.runs.map((r) => `${r.variant}:${r.kind}:${r.phase}`),
    ["before:dhat:measured", "after:dhat:measured"],
    "exact counts: no warm-up, no repetition",
  );
  assert.equal(al.kind, "improved");
  assert.ok(1 - al.ratio > 0.9, al.text);
  assert.equal(al.baseBlocks, first.record.runs[0]!.blocks);
  assert.equal(al.otherBytes, first.record.runs[1]!.bytes);
  assert.match(al.text, /^allocations: \d{2} \d{3} → \d \d{3} \(−9\d\.\d\d%\), bytes: [\d ]+ → [\d ]+ \(−\d+\.\d\d%\) \(exact, DHAT\)$/);
  // The notebook display and the one-line summary state it, since there is no timed verdict.
  const bundle = first[MIMEBUNDLE]();
  assert.ok(String(bundle["text/plain"]).includes(al.text));
  assert.match(String(bundle["text/html"]), /<b style="color: #1a7f37">improved<\/b>: allocations: /);
  assert.doesNotMatch(String(bundle["text/html"]), /verdict needs at least 2 runs/, "no error about the missing timed runs");
  assert.equal(String(first), al.text);
  assert.match(first.provenanceText(), /\ndhat: valgrind --tool=dhat /);
  assert.deepEqual(first.runs().array("blocks"), [al.baseBlocks, al.otherBlocks]);
});

test("experiment measure dhat: per function, to_string's blocks vanish and format!'s remain", { timeout: 300_000 }, async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first ??= await experiment({ ...spec, fresh: true });
  const table = rows(first);
  const toString = table.find((r) => r.name === "to_string<wordfreq::records::UserId>");
  assert.ok(toString, table.slice(0, 8).map((r) => r.name).join(", "));
  assert.deepEqual([toString.status, toString.base_blocks, toString.other_blocks], ["vanished", 40_000, 0]);
  const format = table.find((r) => r.name === "alloc::fmt::format::format_inner")!;
  assert.equal(format.status, "same");
  assert.ok(format.other_blocks > 0);
  assert.equal(table[0]!.delta_blocks, Math.min(...table.map((r) => r.delta_blocks)), "the largest change first");
  // The diff flamegraph of blocks: exact, so every changed node is significant, and to_string is drawn.
  const diff = first.diff({ event: "blocks" });
  const tree = diff.tree;
  assert.equal(tree.event, "blocks");
  assert.equal(tree.diff!.total[0], first.allocations().baseBlocks);
  assert.equal(tree.nodes.total[0], first.allocations().otherBlocks);
  const names = Array.from(tree.nodes.frame, (f) => tree.strings[tree.frames.name[f]!]!);
  const i = names.findIndex((n) => n === "to_string<wordfreq::records::UserId>");
  assert.ok(i > 0 && tree.nodes.total[i] === 0 && tree.diff!.total[i] === 40_000 && tree.diff!.sig[i] === 1);
  assert.equal(first.flamegraph("before", { event: "blocks" }).tree.nodes.total[0], first.allocations().baseBlocks);
  assert.throws(() => first!.diff({ event: "cpu-clock" }), /no profiles with the event "cpu-clock"/);
});

test("experiment measure dhat: a second experiment counts exactly the same, and a replay needs no valgrind", { timeout: 300_000 }, async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first ??= await experiment({ ...spec, fresh: true });
  const again = await experiment({ ...spec, fresh: true });
  assert.notEqual(again.record.createdAt, first.record.createdAt);
  assert.deepEqual(again.allocations(), first.allocations(), "same blocks and bytes, before and after");
  assert.deepEqual(rows(again), rows(first), "and per function");
  const replay = await experiment.load(first.id, { store });
  assert.deepEqual(replay.allocations(), first.allocations());
  assert.deepEqual(rows(replay), rows(first));
  const cached = await experiment({ ...spec });
  assert.equal(cached.cached, true);
  assert.equal(cached.allocations().text, first.allocations().text);
});

test("experiment: without a DHAT run, allocations() says to measure dhat", { timeout: 300_000 }, async () => {
  const exe = "/bin/true";
  const exp = await experiment({ exe, variants: { a: {}, b: {} }, runs: 2, measure: ["wall"], store, fresh: true, warmup: 0 });
  assert.throws(() => exp.allocations(), /no DHAT run of "a": add "dhat" to measure/);
});
