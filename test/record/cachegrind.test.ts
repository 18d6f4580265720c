import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cargo } from "../../src/build/index.js";
import { DEMO_CRATE } from "../../src/cli/demo.js";
import { cachegrind, importers } from "../../src/index.js";
import { gone, skipWithoutValgrind } from "../helpers/valgrind.js";

const out = mkdtempSync(join(tmpdir(), "flamebook-cachegrind-"));
after(() => rmSync(out, { recursive: true, force: true }));
const EVENTS = ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"];

let exe = "";
before(async () => {
  exe = (await cargo.build(DEMO_CRATE, { bin: "wordfreq" })).exe;
});

test("cachegrind.record: exact totals per event and a per-function cache table", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const rec = await cachegrind.record({ exe }, { args: ["20000", "20"], outDir: out });
  const again = await cachegrind.record(exe, { args: ["20000", "20"], outDir: out });
  t.diagnostic(JSON.stringify(rec.totals));
  assert.deepEqual(Object.keys(rec.totals), EVENTS);
  assert.equal(again.totals["Ir"], rec.totals["Ir"], "Ir is exact: the same in two runs");
  assert.ok(rec.ir > 50_000_000);
  assert.ok(rec.totals["D1mr"]! <= rec.totals["Dr"]! && rec.totals["D1mw"]! <= rec.totals["Dw"]!);
  assert.ok(rec.totals["DLmr"]! <= rec.totals["D1mr"]!);
  assert.deepEqual(rec.command.slice(0, 4), ["valgrind", "--tool=cachegrind", `--cachegrind-out-file=${rec.outFile}`, "--cache-sim=yes"]);
  assert.ok(readdirSync(out).includes(rec.outFile.slice(out.length + 1)));
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith(".partial")), []);

  const cache = rec.cache();
  assert.deepEqual(cache.columnNames(), ["name", "file", ...EVENTS, "D1missRate", "LLmissRate", "I1missRate"]);
  const ir = Array.from(cache.array("Ir") as Float64Array);
  assert.equal(ir.reduce((a, b) => a + b, 0), rec.totals["Ir"], "the per-function Ir add up to the total");
  assert.deepEqual(ir, [...ir].sort((a, b) => b - a), "sorted by Ir");
  const names = cache.array("name") as string[];
  // Self cost per function: the demo's time goes to formatting and the allocator.
  assert.ok(names.includes("wordfreq::process::process"));
  assert.ok(names.slice(0, 5).includes("core::fmt::write"), names.slice(0, 5).join(", "));
  const d1 = cache.array("D1missRate") as Float64Array;
  assert.ok(Array.from(d1).every((x) => Number.isNaN(x) || (x >= 0 && x <= 1)), "miss rates are fractions");
  assert.ok(Array.from(d1).some((x) => x > 0));
});

test("cachegrind.record: abort kills valgrind and leaves no output file", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const files = readdirSync(out).length;
  const ac = new AbortController();
  const pending = cachegrind.record(exe, { args: ["200000", "100002"], outDir: out, signal: ac.signal });
  await new Promise((r) => setTimeout(r, 1500));
  ac.abort();
  await assert.rejects(pending, /aborted/);
  assert.deepEqual(await gone(`${exe} 200000 100002`), []);
  assert.equal(readdirSync(out).length, files);
});

test("cachegrind: the public object is the recorder; the importer is the registry's \"cachegrind\"", () => {
  assert.deepEqual(Object.keys(cachegrind), ["record"]);
  assert.equal(importers.filter((i) => i.name === "cachegrind").length, 1);
});
