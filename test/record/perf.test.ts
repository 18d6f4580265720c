import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cargo } from "../../src/build/index.js";
import { DEMO_CRATE, demo } from "../../src/cli/demo.js";
import { run } from "../../src/exec/index.js";
import { perf } from "../../src/record/perf.js";
import { perfPreflight } from "../../src/record/preflight.js";
import { functionTotals, openProfile } from "../../src/internals.js";

const out = mkdtempSync(join(tmpdir(), "flamebook-perf-"));
after(() => rmSync(out, { recursive: true, force: true }));

let exe = "";
before(async () => {
  exe = (await cargo.build(DEMO_CRATE, { bin: "wordfreq" })).exe;
});

test("perfPreflight: reports perf's version, the paranoid level and governors", async () => {
  const pre = await perfPreflight();
  assert.match(pre.perfVersion, /^perf version \d+/);
  assert.equal(typeof pre.isRoot, "boolean");
  assert.ok(pre.paranoid === null || Number.isInteger(pre.paranoid));
  assert.ok(Array.isArray(pre.governors));
  for (const g of pre.governors.filter((g) => g !== "performance")) assert.ok(pre.warnings.some((w) => w.includes(g)));
});

test("demo (npm start): to_string holds ≥ 10% of samples before the fix and ≤ 2% after, with real cargo and perf", async () => {
  const lines: string[] = [];
  const [b, a] = await demo({ rounds: 250, outDir: out, log: (l) => lines.push(l) });
  assert.ok(b!.samples > 300 && a!.samples > 300, `samples: ${b!.samples}, ${a!.samples}`);
  assert.ok(b!.toStringShare >= 0.1, `before: ${b!.toStringShare}`);
  assert.ok(a!.toStringShare <= 0.02, `after: ${a!.toStringShare}`);
  const text = lines.join("\n");
  assert.match(text, /== before: clone-in-loop ==/);
  assert.match(text, /== after: clone-in-loop --features reuse-buffer ==/);
  assert.match(text, /top 10 by self/);
  assert.match(text, /top 10 by total/);
  assert.match(text, /wordfreq::process::process/);
  assert.match(text, /share of samples under to_string: \d+\.\d%/);
});

test("perf.record: keeps the perf.data file and says how it was made", async () => {
  const rec = await perf.record({ exe }, { args: ["20000", "20"], outDir: out, frequency: 499 });
  assert.ok(existsSync(rec.perfData));
  assert.ok(!readdirSync(out).some((f) => f.endsWith(".partial")), "no partial file left");
  assert.deepEqual(rec.command.slice(0, 7), ["perf", "record", "-e", "cpu-clock", "-F", "499", "-o"]);
  assert.equal(rec.command.at(-3), exe);
  assert.equal(rec.exitCode, 0);
  assert.match(rec.programOutput, /variant=before records=20000 rounds=20/);
  assert.ok(rec.profile.threads.every((t) => t.comm === "wordfreq" && t.pid > 0));
});

test("perf.record: scriptOut keeps the perf script text, which replays to the same profile without perf", async () => {
  const scriptOut = join(out, "run.perf-script.txt");
  const rec = await perf.record({ exe }, { args: ["20000", "20"], outDir: out, frequency: 499, scriptOut });
  assert.ok(existsSync(scriptOut));
  assert.ok(!readdirSync(out).some((f) => f.endsWith(".partial")), "no partial file left");
  const again = await openProfile(scriptOut);
  assert.equal(again.samples.stack.length, rec.profile.samples.stack.length);
  assert.deepEqual(functionTotals(again).slice(0, 5), functionTotals(rec.profile).slice(0, 5));
});

test("perf.record: a short run warns that there are too few samples", async () => {
  const rec = await perf.record(exe, { args: ["1000", "1"], outDir: out });
  assert.ok(rec.summary().samples < 1000);
  // (perf may catch no sample at all in so short a run: then the 0-samples advice)
  assert.ok(rec.warnings.some((w) => /^only \d+ samples: run longer, sampling needs thousands of samples|^0 samples: the program ran for less than one sampling period/.test(w)), JSON.stringify(rec.warnings));
});

test("perf.record: a failing program is reported with its exit code", async () => {
  const rec = await perf.record({ command: "sh", args: ["-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 3"] }, { outDir: out });
  assert.equal(rec.exitCode, 3);
  assert.ok(rec.warnings.some((w) => w.includes("exited with code 3")));
});

test("perf.record: a program that does not exist gives perf's error, and no file is left", async () => {
  const before = readdirSync(out).length;
  await assert.rejects(perf.record("/nonexistent/program", { outDir: out }), /perf record failed.*\n.*(No such file|not found|Failed)/s);
  assert.equal(readdirSync(out).length, before);
});

test("perf.record: abort kills perf and the program (the whole group) and leaves no partial file", async () => {
  const ac = new AbortController();
  const pending = perf.record(exe, { args: ["200000", "100000"], outDir: out, signal: ac.signal });
  await new Promise((r) => setTimeout(r, 1500));
  ac.abort();
  const t0 = Date.now();
  await assert.rejects(pending, /aborted/);
  assert.ok(Date.now() - t0 < 5000);
  const ps = await run("ps", ["-eo", "args="], { captureStdout: true });
  assert.ok(!ps.stdout.includes(`${exe} 200000 100000`), "the profiled program is gone");
  assert.ok(!readdirSync(out).some((f) => f.endsWith(".partial")));
});

test("perf.record: durationS stops a long program like Ctrl-C and keeps what was recorded", async () => {
  const rec = await perf.record(exe, { args: ["200000", "100000"], outDir: out, durationS: 1.2, frequency: 499 });
  assert.ok(rec.summary().samples > 100, `samples: ${rec.summary().samples}`);
  assert.ok(rec.wallS < 10);
});

test("perf.record: attaches to a running process with pid for durationS", async () => {
  const { spawn } = await import("node:child_process");
  const child = spawn(exe, ["200000", "100000"], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const rec = await perf.record(exe, { pid: child.pid, durationS: 1, outDir: out, frequency: 499 });
    assert.ok(rec.command.includes("-p") && rec.command.includes(String(child.pid)));
    assert.ok(rec.summary().samples > 100, `samples: ${rec.summary().samples}`);
    assert.ok(rec.share(/wordfreq::process::process/) > 0.5);
  } finally {
    child.kill("SIGKILL");
  }
});
