// Fault: perf is SIGKILLed (from outside, found in the process table) while perf.record runs.
// The call must reject with an error that says perf was killed, leave no perf.data (nor a
// .partial) that could be read as a complete recording, and leave the recorded program dead.
// (Aborting through an AbortSignal is test/record/perf.test.ts; a kernel interrupt is
// test/kernel/kernel_conformance.py.)
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { liveGroups } from "../../src/exec/index.js";
import { perf } from "../../src/record/perf.js";
import { goneWithin, liveWith, marker, perfUnavailable, processTable, skipUnless, waitFor } from "./env.js";

const out = mkdtempSync(join(tmpdir(), "fbfault-perf-"));
after(() => rmSync(out, { recursive: true, force: true }));

for (const phase of ["record", "script"] as const) {
  test(`perf.record: perf SIGKILLed during perf ${phase} rejects clearly, leaves no recording and no process`, { timeout: 60_000 }, async (t) => {
    if (skipUnless(t, perfUnavailable())) return;
    const tag = marker(`perf-${phase}`);
    const dir = join(out, phase);
    // A busy loop: a "record" kill happens while it runs; for "script" it runs for 1.5 s, so
    // perf script has a large file to read when it is killed.
    const loop = phase === "record" ? `while :; do :; done # ${tag}` : `end=$(($(date +%s)+2)); while [ $(date +%s) -lt $end ]; do :; done # ${tag}`;
    const pending = perf.record({ command: "sh", args: ["-c", loop] }, { outDir: dir, frequency: 4999 });
    pending.catch(() => undefined);
    const victim =
      phase === "record"
        ? await waitFor("perf record and the program", 20_000, () => {
            const ps = processTable();
            const rec = ps.find((p) => p.args.startsWith("perf record") && p.args.includes(tag));
            const prog = ps.find((p) => p.args.startsWith("sh -c") && p.args.includes(tag));
            return rec && prog ? rec : undefined;
          })
        : await waitFor("perf script", 30_000, () => processTable().find((p) => p.args.startsWith("perf script") && p.args.includes(dir)));
    if (phase === "record") await new Promise((r) => setTimeout(r, 800)); // let it write some samples
    process.kill(victim.pid, "SIGKILL");
    const t0 = Date.now();
    await assert.rejects(pending, (e: Error) => {
      if (process.env["FB_SHOW_ERRORS"]) console.log(e.message);
      assert.match(e.message, /perf (record|script)/, "the error names the perf step");
      assert.match(e.message, /killed by SIGKILL/, `the error says perf was killed: ${e.message}`);
      assert.doesNotMatch(e.message, /exit code null/);
      return true;
    });
    assert.ok(Date.now() - t0 < 10_000, "the call rejected promptly");
    assert.ok(await goneWithin(tag, 5000), `processes outlived perf: ${JSON.stringify(liveWith(tag))}`);
    assert.ok(await goneWithin(dir, 5000), `perf processes left: ${JSON.stringify(liveWith(dir))}`);
    assert.equal(liveGroups(), 0, "the reaper still tracks a group");
    const left = readdirSync(dir);
    assert.deepEqual(
      left.filter((f) => f.endsWith(".partial") || (phase === "record" && f.endsWith(".perf.data"))),
      [],
      `left as if complete: ${left.join(", ")}`,
    );
  });
}
