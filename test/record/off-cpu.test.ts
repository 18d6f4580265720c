// The off-CPU warning on real recordings: a CPU-bound program on a busy CPU waited for the CPU
// (the machine was busy), a program that sleeps blocked. perf, taskset and /proc are needed; in CI
// they are installed, so nothing is skipped there.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { startBackground, type BackgroundProcess } from "../../src/exec/index.js";
import { perf } from "../../src/record/perf.js";

function unavailable(): string | undefined {
  if (process.env.CI === "true") return undefined;
  if (spawnSync("perf", ["--version"]).status !== 0) return "perf is not installed (Debian package linux-perf)";
  if (spawnSync("taskset", ["-c", "0", "true"]).status !== 0) return "taskset (util-linux) cannot pin to CPU 0";
  return undefined;
}
const skip = unavailable();
if (skip) console.log(`# skipping test/record/off-cpu.test.ts: ${skip}`);

/** A shell loop that only computes (about 0.5 s of CPU on this kind of machine). */
const SPIN = "i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done";

test("perf.record: a CPU-bound program pinned to a CPU that four other loops want gets 'the machine was busy', not blocking", { skip, timeout: 120_000 }, async () => {
  // each loop in its own session: with CFS autogroups (Debian's default) a session shares a CPU equally
  const busy: BackgroundProcess[] = Array.from({ length: 4 }, () => startBackground("taskset", ["-c", "0", "sh", "-c", "while :; do :; done"], { timeoutMs: 60_000 }));
  try {
    await new Promise((r) => setTimeout(r, 300));
    const rec = await perf.record({ command: "taskset", args: ["-c", "0", "sh", "-c", SPIN] }, { minSamples: 1 });
    const w = rec.warnings.find((x) => x.includes("CPU time in the"));
    assert.ok(w, `no off-CPU warning: ${JSON.stringify(rec.warnings)} (sched ${JSON.stringify(rec.sched)})`);
    assert.match(w, /: the machine was busy\. The program was ready to run but waited [\d.]+ s for a CPU \(preempted \d+ times; run-queue delay from \/proc\/<pid>\/schedstat\); it did not block\./);
    assert.ok(rec.sched!.involuntary > rec.sched!.voluntary, JSON.stringify(rec.sched));
  } finally {
    await Promise.all(busy.map((b) => b.stop()));
  }
});

test("perf.record: a program that computes, sleeps 1 s and computes again is told it blocked", { skip, timeout: 120_000 }, async () => {
  const rec = await perf.record({ command: "sh", args: ["-c", `${SPIN.replace("1000000", "100000")}; sleep 1; ${SPIN.replace("1000000", "100000")}`] }, { minSamples: 1 });
  const w = rec.warnings.find((x) => x.includes("CPU time in the"));
  assert.ok(w, JSON.stringify(rec.warnings));
  assert.match(w, /: the program spent most of its time off the CPU, blocked \d+ times \(blocking IO, sleep, locks; it waited only [\d.]+ s for a CPU\)/);
  assert.doesNotMatch(w, /machine was busy/);
});
