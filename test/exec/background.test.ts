import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { liveGroups, startBackground, startBusy, setAmbientSignal } from "../../src/exec/index.js";

/** The processes of group `pgid` that are still running (zombies, dead but not yet reaped by init, do not count). */
function groupMembers(pgid: number): { pid: number; state: string; ticks: number }[] {
  const out = [];
  for (const n of readdirSync("/proc")) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = readFileSync(`/proc/${n}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(rest[2]) === pgid && rest[0] !== "Z") out.push({ pid: Number(n), state: rest[0]!, ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone
    }
  }
  return out;
}
const groupAlive = (pgid: number) => groupMembers(pgid).length > 0;

test("startBackground: runs, is tracked, and stop() kills and reaps the whole group", async () => {
  const before = liveGroups();
  const bg = startBackground("sh", ["-c", "sleep 30 & sleep 30; wait"]);
  assert.equal(bg.running, true);
  assert.equal(liveGroups(), before + 1);
  assert.deepEqual(bg.command, ["sh", "-c", "sleep 30 & sleep 30; wait"]);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(groupAlive(bg.pid));
  const exit = await bg.stop();
  assert.equal(exit.reason, "stopped");
  assert.equal(exit.signal, "SIGTERM");
  assert.equal(bg.running, false);
  assert.equal(liveGroups(), before);
  assert.equal(groupAlive(bg.pid), false, "the background sleep must be gone too");
  assert.deepEqual(await bg.stop(), exit, "stopping again returns the same exit");
});

test("startBackground: a process that exits by itself reports its code and stderr", async () => {
  const bg = startBackground("sh", ["-c", "echo oops >&2; exit 3"]);
  const exit = await bg.exited;
  assert.equal(exit.reason, "exited");
  assert.equal(exit.code, 3);
  assert.equal(exit.stderrTail.trim(), "oops");
});

test("startBackground: the timeout kills it", async () => {
  const bg = startBackground("sleep", ["30"], { timeoutMs: 150 });
  const exit = await bg.exited;
  assert.equal(exit.reason, "timeout");
  assert.ok(exit.durationMs < 5000);
});

test("startBackground: its signal and the kernel's ambient signal abort it", async () => {
  const own = new AbortController();
  const a = startBackground("sleep", ["30"], { signal: own.signal });
  own.abort();
  assert.equal((await a.exited).reason, "aborted");

  const cell = new AbortController();
  setAmbientSignal(cell.signal);
  try {
    const b = startBackground("sleep", ["30"]);
    cell.abort(); // what the kernel does on interrupt
    assert.equal((await b.exited).reason, "aborted");
    assert.throws(() => startBackground("sleep", ["1"]), /already aborted/);
  } finally {
    setAmbientSignal(undefined);
  }
});

test("startBackground: await using stops it at the end of the block", async () => {
  let pid = 0;
  {
    await using bg = startBackground("sleep", ["30"]);
    pid = bg.pid;
    assert.ok(groupAlive(pid));
  }
  assert.equal(groupAlive(pid), false);
});

test("startBackground: bad input is a clear error", () => {
  assert.throws(() => startBackground("sleep", ["1"], { timeoutMs: 0 }), /timeoutMs must be > 0/);
  assert.throws(() => startBackground("/nonexistent/flamebook-no-such-program"), /could not start '\/nonexistent\/flamebook-no-such-program'/);
});

test("startBusy: burns CPU in every loop until stopped", async () => {
  const busy = startBusy({ loops: 2 });
  await new Promise((r) => setTimeout(r, 600));
  const members = groupMembers(busy.pid);
  const ticks = members.reduce((t, m) => t + m.ticks, 0);
  assert.ok(members.length >= 3, `expected sh and 2 loops, got ${members.length}`);
  const exit = await busy.stop();
  assert.equal(exit.reason, "stopped");
  // 2 loops for 0.6 s on a shared machine: well above zero (clock ticks are 10 ms).
  assert.ok(ticks >= 10, `expected CPU time from the busy loops, got ${ticks} ticks`);
  assert.equal(groupAlive(busy.pid), false);
  assert.throws(() => startBusy({ loops: 0 }), /loops must be a whole number from 1 to 256, got 0/);
  assert.throws(() => startBusy({ loops: 1.5 }), /got 1\.5/);
});

test("startBackground: killAllGroups (what the kernel runs on interrupt, restart and exit) kills it", async () => {
  const { killAllGroups } = await import("../../src/exec/index.js");
  const bg = startBackground("sleep", ["30"]);
  assert.ok(killAllGroups() >= 1);
  const exit = await bg.exited;
  assert.equal(exit.signal, "SIGKILL");
  assert.equal(exit.reason, "exited");
  assert.equal(groupAlive(bg.pid), false);
});

test("startBackground: the process group dies when the Node process that started it exits", async () => {
  const { run } = await import("../../src/exec/index.js");
  const lib = new URL("../../src/exec/index.ts", import.meta.url).href;
  const script = `import { startBackground } from ${JSON.stringify(lib)}; const bg = startBackground("sleep", ["30"]); console.log(bg.pid); setTimeout(() => process.exit(0), 200);`;
  const r = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { captureStdout: true, timeoutMs: 30_000 });
  const pid = Number(r.stdout.trim());
  assert.ok(pid > 0, r.stdout);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(groupAlive(pid), false);
});
