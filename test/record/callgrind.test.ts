import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cargo } from "../../src/build/index.js";
import { DEMO_CRATE } from "../../src/cli/demo.js";
import { callgrind, importers } from "../../src/index.js";
import type { ValgrindRecording } from "../../src/record/valgrind-recording.js";
import { gone, processesWith, skipWithoutValgrind } from "../helpers/valgrind.js";

const out = mkdtempSync(join(tmpdir(), "flamebook-callgrind-"));
after(() => rmSync(out, { recursive: true, force: true }));
const ARGS = ["20000", "20"]; // ~160 M instructions: a few seconds under valgrind

let beforeExe = "";
let afterExe = "";
before(async () => {
  beforeExe = (await cargo.build(DEMO_CRATE, { bin: "wordfreq" })).exe;
  afterExe = (await cargo.build(DEMO_CRATE, { bin: "wordfreq", features: ["reuse-buffer"] })).exe;
});

const names = (r: ValgrindRecording) => r.functions().array("name") as string[];
const total = (r: ValgrindRecording, fn: string) => {
  const t = r.functions();
  const i = (t.array("name") as string[]).indexOf(fn);
  return i < 0 ? 0 : (t.array("total") as Float64Array)[i]!;
};
const self = (r: ValgrindRecording, fn: string) => {
  const t = r.functions();
  const i = (t.array("name") as string[]).indexOf(fn);
  return i < 0 ? 0 : (t.array("self") as Float64Array)[i]!;
};
const noPartial = () => assert.deepEqual(readdirSync(out).filter((f) => f.endsWith(".partial")), []);

let first: ValgrindRecording | undefined;
let fixed: ValgrindRecording | undefined;

test("callgrind.record: two runs of the same binary count exactly the same instructions", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first = await callgrind.record({ exe: beforeExe }, { args: ARGS, outDir: out });
  const again = await callgrind.record(beforeExe, { args: ARGS, outDir: out });
  t.diagnostic(`Ir: ${first.ir}, ${again.ir}`);
  assert.ok(first.ir > 50_000_000, `Ir ${first.ir}`);
  assert.equal(again.ir, first.ir);
  assert.deepEqual(again.totals, { Ir: first.ir });
  assert.equal(first.unit, "instructions");
  assert.notEqual(first.outFile, again.outFile);
  assert.ok(readdirSync(out).includes(first.outFile.slice(out.length + 1)), "the output file is kept");
  noPartial();
  assert.deepEqual(first.command.slice(0, 3), ["valgrind", "--tool=callgrind", `--callgrind-out-file=${first.outFile}`]);
  assert.deepEqual(first.command.slice(-4), ["--", beforeExe, ...ARGS]);
  assert.equal(first.exitCode, 0);
  assert.match(first.programOutput, /variant=before records=20000 rounds=20/);
  assert.ok(first.share(/wordfreq::process::process/) > 0.8);
});

test("callgrind.record: the reuse-buffer build executes fewer instructions and allocates far less", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first ??= await callgrind.record(beforeExe, { args: ARGS, outDir: out });
  fixed = await callgrind.record(afterExe, { args: ARGS, outDir: out });
  t.diagnostic(`Ir default ${first.ir}, reuse-buffer ${fixed.ir} (${(((fixed.ir - first.ir) / first.ir) * 100).toFixed(1)}%)`);
  assert.ok(fixed.ir < first.ir, `the fix runs fewer instructions: ${first.ir} → ${fixed.ir}`);
  const alloc = (r: ValgrindRecording) => total(r, "malloc") + total(r, "free");
  t.diagnostic(`malloc+free Ir: default ${alloc(first)}, reuse-buffer ${alloc(fixed)}`);
  assert.ok(alloc(fixed) < alloc(first) / 3, `malloc+free: ${alloc(first)} → ${alloc(fixed)}`);
  // Both format the user id through core::fmt::write (to_string is inlined into process, so
  // callgrind, which has no inlined frames, shows process as the caller in both builds).
  const writeCallers = (r: ValgrindRecording) => r.callers("core::fmt::write").array("name") as string[];
  assert.ok(writeCallers(fixed).includes("wordfreq::process::process"));
  assert.ok(writeCallers(first).includes("wordfreq::process::process"));
  // format!("{}: {}", …) for the relevant records stays in both builds.
  assert.ok(names(first).includes("alloc::fmt::format::format_inner") && names(fixed).includes("alloc::fmt::format::format_inner"));
});

test("callgrind.record: toggleCollect counts only inside one function", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  first ??= await callgrind.record(beforeExe, { args: ARGS, outDir: out });
  const inside = await callgrind.record(beforeExe, { args: ARGS, outDir: out, toggleCollect: "wordfreq::process::process" });
  assert.ok(inside.command.includes("--toggle-collect=wordfreq::process::process") && inside.command.includes("--collect-atstart=no"));
  const want = total(first, "wordfreq::process::process");
  t.diagnostic(`Ir inside process: ${inside.ir}; process's total in the full run: ${want}`);
  assert.ok(inside.ir < first.ir);
  assert.ok(Math.abs(inside.ir - want) <= 0.01 * want, `${inside.ir} vs ${want}`);
  // main (which builds the records, inlined) has cost of its own in the full run only.
  assert.ok(self(first, "wordfreq::main") > 0, "the full run counts main's own work…");
  assert.equal(self(inside, "wordfreq::main"), 0, "…which the toggled run does not");
});

test("callgrind.record: abort kills valgrind and leaves no output file", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const files = readdirSync(out).length;
  const ac = new AbortController();
  const progress: string[] = [];
  const pending = callgrind.record(beforeExe, { args: ["200000", "100000"], outDir: out, signal: ac.signal, onProgress: (m) => progress.push(m) });
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(readdirSync(out).some((f) => /\.callgrind\.out\.[0-9a-f-]+\.partial$/.test(f)) || processesWith("200000 100000").length > 0, "valgrind was running");
  ac.abort();
  await assert.rejects(pending, /aborted/);
  assert.deepEqual(await gone(`${beforeExe} 200000 100000`), []);
  assert.equal(readdirSync(out).length, files, "no file left behind");
  assert.match(progress[0]!, /^valgrind --tool=callgrind /);
});

test("callgrind.record: a timeout kills valgrind and leaves no output file", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const files = readdirSync(out).length;
  await assert.rejects(callgrind.record(beforeExe, { args: ["200000", "100001"], outDir: out, timeoutMs: 1000 }), /timed out/);
  assert.deepEqual(await gone(`${beforeExe} 200000 100001`), []);
  assert.equal(readdirSync(out).length, files);
});

test("callgrind.record: a missing program fails with valgrind's message and leaves no file", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const files = readdirSync(out).length;
  await assert.rejects(callgrind.record("/nonexistent/flamebook-prog", { outDir: out }), /valgrind --tool=callgrind failed.*no output file[^]*nonexistent/);
  assert.equal(readdirSync(out).length, files);
});

test("callgrind.record: a failing program keeps its recording, with a warning", async (t) => {
  if (await skipWithoutValgrind(t)) return;
  const rec = await callgrind.record({ command: "sh", args: ["-c", "exit 3"] }, { outDir: out });
  assert.equal(rec.exitCode, 3);
  assert.ok(rec.warnings.some((w) => w.includes("exited with code 3")));
  assert.ok(rec.ir > 0);
});

test("callgrind.record: without valgrind on PATH the error names the package", async () => {
  await assert.rejects(callgrind.record("/bin/true", { outDir: out, env: { PATH: "/nonexistent-dir" } }), /'valgrind' was not found on PATH\. Install it with `sudo apt install valgrind`/);
});

test("callgrind: the public object is the recorder; the importer is the registry's \"callgrind\"", () => {
  assert.deepEqual(Object.keys(callgrind), ["record"]);
  assert.equal(importers.filter((i) => i.name === "callgrind").length, 1);
});
