// dhat.record on the demo crate with real valgrind: exact allocation counts (two runs identical),
// the reuse-buffer fix removing more than 90% of the allocations, tables and flamegraphs of the
// DHAT events, the kept output file, and the errors of a failing or missing valgrind.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cargo } from "../../src/build/index.js";
import { DEMO_CRATE } from "../../src/cli/demo.js";
import { dhat, importers, open, toFolded, type DhatRecording } from "../../src/index.js";
import { skipWithoutValgrind } from "../helpers/valgrind.js";

const out = mkdtempSync(join(tmpdir(), "flamebook-dhat-"));
after(() => rmSync(out, { recursive: true, force: true }));
const ARGS = ["2000", "10"]; // 20 000 records: about a second under DHAT

let beforeExe = "";
let afterExe = "";
before(async () => {
  beforeExe = (await cargo.build(DEMO_CRATE, { bin: "wordfreq" })).exe;
  afterExe = (await cargo.build(DEMO_CRATE, { bin: "wordfreq", features: ["reuse-buffer"] })).exe;
});

const column = (r: DhatRecording, fn: string, col: string) => {
  const t = r.functions();
  const i = (t.array("name") as string[]).indexOf(fn);
  return i < 0 ? 0 : (t.array(col) as Float64Array)[i]!;
};

let first: DhatRecording | undefined;

test("dhat.record: two runs of the same binary count exactly the same allocations", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first = await dhat.record({ exe: beforeExe }, { args: ARGS, outDir: out });
  const again = await dhat.record(beforeExe, { args: ARGS, outDir: out });
  t.diagnostic(`blocks ${first.blocks}, ${again.blocks}; bytes ${first.bytes}, ${again.bytes}; ${first.wallS} s`);
  assert.ok(first.blocks > 40_000, `blocks ${first.blocks}`);
  assert.deepEqual(again.totals, first.totals, "every event, exactly");
  assert.deepEqual(toFolded(again, { event: "all" }), toFolded(first, { event: "all" }), "and every call stack's counts");
  assert.deepEqual(Object.keys(first.totals), ["blocks", "bytes", "maxBytes", "readBytes", "writeBytes"]);
  assert.equal(first.tool, "dhat");
  assert.match(first.outFile, /\.dhat\.json$/);
  assert.ok(readdirSync(out).includes(first.outFile.slice(out.length + 1)), "the output file is kept");
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith(".partial")), []);
  assert.deepEqual(first.command.slice(0, 3), ["valgrind", "--tool=dhat", `--dhat-out-file=${first.outFile}`]);
  assert.ok(first.command.includes("--mode=heap") && first.command.includes("--num-callers=64"));
  assert.deepEqual(first.command.slice(-4), ["--", beforeExe, ...ARGS]);
  assert.match(first.programOutput, /variant=before records=2000 rounds=10/);
  // The kept file opens anywhere, with the same counts.
  const reopened = await open(first.outFile);
  assert.equal(reopened.totalWeight("blocks"), first.blocks);
});

test("dhat.record: the reuse-buffer fix removes more than 90% of the allocations, all of them to_string's", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first ??= await dhat.record(beforeExe, { args: ARGS, outDir: out });
  const fixed = await dhat.record(afterExe, { args: ARGS, outDir: out });
  const drop = 1 - fixed.blocks / first.blocks;
  t.diagnostic(`blocks ${first.blocks} → ${fixed.blocks} (−${(100 * drop).toFixed(2)}%), bytes ${first.bytes} → ${fixed.bytes}`);
  assert.ok(drop > 0.9, `${first.blocks} → ${fixed.blocks}`);
  const toString = "to_string<wordfreq::records::UserId>";
  assert.equal(column(first, toString, "total_blocks"), 2 * 2000 * 10, "two blocks per record: 'u' (8 bytes), grown to 16 by the digits");
  assert.equal(column(fixed, toString, "total_blocks"), 0);
  // What is left: format! per output line (about one record in ten), twice each (an estimate, then growth).
  const format = (r: DhatRecording) => column(r, "alloc::fmt::format::format_inner", "total_blocks");
  assert.equal(format(fixed), format(first));
  assert.ok(format(fixed) / fixed.blocks > 0.9, `format_inner makes ${format(fixed)} of ${fixed.blocks} blocks after the fix`);
  // Tables and flamegraphs take every DHAT event.
  assert.equal(column(first, "malloc", "self_blocks") + column(first, "calloc", "self_blocks") + column(first, "realloc", "self_blocks"), first.blocks);
  assert.ok(column(first, "wordfreq::process::process", "total_bytes") > 0);
  const fg = first.flamegraph({ event: "blocks" });
  assert.equal(fg.tree.event, "blocks");
  assert.equal(fg.tree.nodes.total[0], first.blocks);
  const diff = fixed.diffFrom(first, { event: "blocks" });
  assert.ok(diff.tree.diff!.sig.some((s) => s === 1), "exact counts: every change is significant");
});

test("dhat.record: copy mode counts memcpy and friends", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const rec = await dhat.record(beforeExe, { args: ["200", "1"], outDir: out, mode: "copy" });
  assert.deepEqual(rec.events, ["blocks", "bytes"]);
  assert.ok(rec.command.includes("--mode=copy"));
  assert.ok(rec.blocks > 0);
});

test("dhat.record: a failing program keeps its recording, with a warning", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const rec = await dhat.record({ command: "sh", args: ["-c", "exit 3"] }, { outDir: out });
  assert.equal(rec.exitCode, 3);
  assert.ok(rec.warnings.some((w) => w.includes("exited with code 3")));
  assert.ok(rec.blocks >= 0);
});

test("dhat.record: a missing program fails with valgrind's message and leaves no file", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const files = readdirSync(out).length;
  await assert.rejects(dhat.record("/nonexistent/flamebook-prog", { outDir: out }), /valgrind --tool=dhat failed[^]*nonexistent/);
  assert.equal(readdirSync(out).length, files);
});

test("dhat.record: without valgrind on PATH the error names the package; a bad numCallers is refused", async () => {
  await assert.rejects(dhat.record("/bin/true", { outDir: out, env: { PATH: "/nonexistent-dir" } }), /'valgrind' was not found on PATH\. Install it with `sudo apt install valgrind`/);
  await assert.rejects(dhat.record("/bin/true", { outDir: out, numCallers: 0 }), /numCallers must be a whole number from 1 to 500/);
});

test("dhat: the public object is the recorder; the importer is the registry's \"dhat\"", () => {
  assert.deepEqual(Object.keys(dhat), ["record"]);
  assert.equal(importers.filter((i) => i.name === "dhat").length, 1);
});
