import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecError, liveGroups, run, setAmbientSignal } from "../../src/exec/index.js";

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "flamebook-exec-"));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface Proc {
  pid: number;
  pgid: number;
  stat: string;
}

/** Every process on the machine, via `ps` (itself started through `run`). */
async function processes(): Promise<Proc[]> {
  const r = await run("ps", ["-e", "-o", "pid=,pgid=,stat="], { captureStdout: true, timeoutMs: 10_000 });
  return r.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3)
    .map(([pid, pgid, stat]) => ({ pid: Number(pid), pgid: Number(pgid), stat }));
}

/** Live (non-zombie) processes in process group `pgid`; zombies are dead and only wait to be reaped by init. */
async function liveInGroup(pgid: number): Promise<Proc[]> {
  return (await processes()).filter((p) => p.pgid === pgid && !p.stat.startsWith("Z"));
}

/**
 * Waits until `pred` holds, polling `ps`, for at most `ms`: SIGKILL is delivered asynchronously,
 * so a process killed a moment ago may still be listed once.
 */
async function eventually(pred: () => Promise<boolean>, ms = 2000): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (await pred()) return true;
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a shell script that first prints its own pid ($$, the process-group leader). */
function runShell(script: string, opts: Parameters<typeof run>[2] = {}): { pid: Promise<number>; done: Promise<Awaited<ReturnType<typeof run>>> } {
  let resolvePid!: (pid: number) => void;
  const pid = new Promise<number>((r) => (resolvePid = r));
  let first = true;
  const done = run("sh", ["-c", `echo $$; ${script}`], {
    ...opts,
    onStdoutLine: (line) => {
      if (first) {
        first = false;
        resolvePid(Number(line));
      } else opts.onStdoutLine?.(line);
    },
  });
  return { pid, done };
}

test("run: streams stdout lines to onStdoutLine in order, including a last line without newline", async () => {
  const lines: string[] = [];
  const r = await run("sh", ["-c", "i=1; while [ $i -le 2000 ]; do echo line$i; i=$((i+1)); done; printf last"], {
    onStdoutLine: (l) => lines.push(l),
  });
  assert.equal(r.code, 0);
  assert.equal(r.signal, null);
  assert.equal(lines.length, 2001);
  assert.deepEqual(lines.slice(0, 3), ["line1", "line2", "line3"]);
  assert.equal(lines[1999], "line2000");
  assert.equal(lines[2000], "last");
  assert.equal(r.stdout, "", "stdout is not collected without captureStdout");
});

test("run: captureStdout collects the whole stdout, and multi-byte characters split across chunks survive", async () => {
  const r = await run("sh", ["-c", "printf 'a\\nb\\n'"], { captureStdout: true });
  assert.equal(r.stdout, "a\nb\n");
  // 3-byte characters never align with 64 KiB pipe reads.
  const big = await run(process.execPath, ["-e", "process.stdout.write('€'.repeat(200000))"], { captureStdout: true });
  assert.equal(big.stdout.length, 200000);
  assert.ok(!big.stdout.includes("\uFFFD"), "a character was cut in two");
  assert.equal(big.stdout, "€".repeat(200000));
});

test("run: discardStdout sends stdout to /dev/null, and stderr is still kept", async () => {
  const r = await run("sh", ["-c", "readlink /proc/self/fd/1; echo on-stderr >&2"], { discardStdout: true, captureStdout: true, onStdoutLine: () => assert.fail("no stdout expected") });
  assert.equal(r.stdout, "");
  assert.match(r.stderrTail, /on-stderr/);
  const shown = await run("sh", ["-c", "t=$(readlink /proc/$$/fd/1); echo \"$t\" >&2"], { discardStdout: true });
  assert.equal(shown.stderrTail.trim(), "/dev/null");
});

test("run: passes env over process.env and honours cwd", async () => {
  const r = await run("sh", ["-c", 'echo "$FLAMEBOOK_TEST_VAR:$(pwd)"; command -v sh >/dev/null && echo has-path'], {
    cwd: tmp,
    env: { FLAMEBOOK_TEST_VAR: "hello" },
    captureStdout: true,
  });
  const real = (await run("sh", ["-c", "pwd -P"], { cwd: tmp, captureStdout: true })).stdout.trim();
  assert.match(r.stdout, new RegExp(`^hello:(${tmp}|${real})\\n`));
  assert.match(r.stdout, /has-path/, "PATH from process.env is kept");
});

test("run: a non-zero exit rejects with failure 'exit' and the stderr tail in the message", async () => {
  const err: string[] = [];
  await assert.rejects(
    run("sh", ["-c", "echo first-problem >&2; echo second-problem >&2; exit 3"], { onStderrLine: (l) => err.push(l) }),
    (e: unknown) => {
      assert.ok(e instanceof ExecError);
      assert.equal(e.failure, "exit");
      assert.equal(e.result.code, 3);
      assert.match(e.message, /^flamebook: exit code 3: sh -c/);
      assert.match(e.message, /first-problem\nsecond-problem/);
      assert.equal(e.result.stderrTail, "first-problem\nsecond-problem");
      return true;
    },
  );
  assert.deepEqual(err, ["first-problem", "second-problem"]);
});

test("run: stderrTailLines keeps only the last lines", async () => {
  await assert.rejects(
    run("sh", ["-c", "i=1; while [ $i -le 100 ]; do echo err$i >&2; i=$((i+1)); done; exit 1"], { stderrTailLines: 3 }),
    (e: unknown) => e instanceof ExecError && e.result.stderrTail === "err98\nerr99\nerr100",
  );
});

test("run: check:false resolves with the exit code", async () => {
  const r = await run("sh", ["-c", "echo nope >&2; exit 7"], { check: false });
  assert.equal(r.code, 7);
  assert.equal(r.stderrTail, "nope");
  assert.ok(r.durationMs >= 0);
});

test("run: a child killed by a signal rejects with failure 'signal'", async () => {
  await assert.rejects(run("sh", ["-c", "kill -KILL $$"]), (e: unknown) => {
    assert.ok(e instanceof ExecError);
    assert.equal(e.failure, "signal");
    assert.equal(e.result.signal, "SIGKILL");
    assert.match(e.message, /killed by SIGKILL/);
    return true;
  });
});

test("run: timeoutMs kills the whole process group, grandchildren included, and rejects quickly", async () => {
  const t0 = performance.now();
  const { pid, done } = runShell("sleep 60 & sleep 60 & wait", { timeoutMs: 300 });
  const leader = await pid;
  // While it runs, the group has the shell and its two sleeps.
  assert.ok((await liveInGroup(leader)).length >= 3, "the script did not start its grandchildren");
  await assert.rejects(done, (e: unknown) => {
    assert.ok(e instanceof ExecError);
    assert.equal(e.failure, "timeout");
    assert.match(e.message, /timed out after 300 ms/);
    return true;
  });
  assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
  assert.deepEqual(await liveInGroup(leader), [], "processes of the group survived the timeout");
  assert.equal(liveGroups(), 0);
});

test("run: aborting via AbortController kills the whole process group", async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  const { pid, done } = runShell("sleep 60 & sleep 60 & wait", { signal: ac.signal });
  const leader = await pid;
  assert.ok((await liveInGroup(leader)).length >= 3);
  ac.abort();
  await assert.rejects(done, (e: unknown) => e instanceof ExecError && e.failure === "aborted" && /aborted/.test(e.message));
  assert.ok(performance.now() - t0 < 5000);
  assert.deepEqual(await liveInGroup(leader), []);
  assert.equal(liveGroups(), 0);
});

test("setAmbientSignal: aborting the ambient signal (a kernel interrupt) kills a run that passed no signal", async () => {
  const cell = new AbortController();
  setAmbientSignal(cell.signal);
  try {
    const { pid, done } = runShell("sleep 60 & sleep 60 & wait", {});
    const leader = await pid;
    assert.ok((await liveInGroup(leader)).length >= 3);
    cell.abort();
    await assert.rejects(done, (e: unknown) => e instanceof ExecError && e.failure === "aborted");
    setAmbientSignal(undefined); // liveInGroup runs ps, which an aborted ambient signal would refuse
    assert.deepEqual(await liveInGroup(leader), []);
    const next = new AbortController();
    setAmbientSignal(next.signal);
    const own = new AbortController();
    const both = runShell("sleep 60", { signal: own.signal });
    await both.pid;
    next.abort();
    await assert.rejects(both.done, (e: unknown) => e instanceof ExecError && e.failure === "aborted", "the ambient signal also stops runs that have their own");
  } finally {
    setAmbientSignal(undefined);
  }
  assert.equal(liveGroups(), 0);
});

test("run: an already-aborted signal rejects without starting the command", async () => {
  const marker = join(tmp, "started-marker");
  await assert.rejects(run("sh", ["-c", `touch ${marker}`], { signal: AbortSignal.abort() }), (e: unknown) => {
    assert.ok(e instanceof ExecError);
    assert.equal(e.failure, "aborted");
    assert.match(e.message, /not started/);
    return true;
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await stat(marker).catch(() => null), null, "the command ran");
  assert.equal(liveGroups(), 0);
});

test("run: a child that ignores SIGTERM is SIGKILLed after killGraceMs", async () => {
  const t0 = performance.now();
  const { pid, done } = runShell("trap '' TERM; sleep 60 & sleep 60", { timeoutMs: 200, killGraceMs: 600 });
  const leader = await pid;
  await assert.rejects(done, (e: unknown) => {
    assert.ok(e instanceof ExecError);
    assert.equal(e.failure, "timeout");
    assert.equal(e.result.signal, "SIGKILL", "SIGTERM alone must not have ended it");
    return true;
  });
  const took = performance.now() - t0;
  assert.ok(took >= 750, `ended after ${took} ms, before the grace period was over`);
  assert.ok(took < 5000, `took ${took} ms`);
  assert.deepEqual(await liveInGroup(leader), []);
});

test("run: a missing executable rejects with failure 'not-found' naming it, with the hint", async () => {
  await assert.rejects(run("flamebook-no-such-program", ["--x"], { notFoundHint: "Install it with apt-get install nothing." }), (e: unknown) => {
    assert.ok(e instanceof ExecError);
    assert.equal(e.failure, "not-found");
    assert.match(e.message, /^flamebook: 'flamebook-no-such-program' was not found on PATH/);
    assert.ok(e.message.endsWith("Install it with apt-get install nothing."), e.message);
    return true;
  });
  assert.equal(liveGroups(), 0);
});

test("run: a missing working directory is reported as such, not as a missing command", async () => {
  const gone = join(tmp, "no-such-dir");
  await assert.rejects(run("sh", ["-c", "true"], { cwd: gone }), (e: unknown) => {
    assert.ok(e instanceof ExecError);
    assert.equal(e.failure, "spawn");
    assert.ok(e.message.includes(gone), e.message);
    assert.match(e.message, /working directory .* does not exist/);
    assert.doesNotMatch(e.message, /not found on PATH/);
    return true;
  });
});

test("run: when the leader exits, a grandchild still sleeping in its group is killed", async () => {
  let grandchild = 0;
  const { pid, done } = runShell("sleep 60 >/dev/null 2>&1 & echo $!; exit 0", {
    onStdoutLine: (l) => (grandchild = Number(l)),
  });
  const leader = await pid;
  const t0 = performance.now();
  const r = await done;
  assert.equal(r.code, 0);
  assert.ok(performance.now() - t0 < 5000);
  assert.ok(grandchild > 0, "the grandchild's pid was not printed");
  const gone = await eventually(async () => !(await liveInGroup(leader)).some((p) => p.pid === grandchild));
  assert.ok(gone, `grandchild ${grandchild} of group ${leader} is still running`);
  assert.equal(liveGroups(), 0);
});

test("run: a grandchild holding stdout open does not keep run waiting after the leader exits", async () => {
  const t0 = performance.now();
  const { pid, done } = runShell("sleep 60 & exit 0");
  const leader = await pid;
  const r = await done;
  assert.equal(r.code, 0);
  assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
  assert.deepEqual(await liveInGroup(leader), []);
});

test("run: a process that left the group (setsid) and holds stdout does not keep run waiting forever", async () => {
  let escaped = 0;
  const t0 = performance.now();
  try {
    const { done } = runShell("setsid sh -c 'echo escaped $$; exec sleep 30' & sleep 0.5; exit 0", {
      onStdoutLine: (l) => {
        const m = /^escaped (\d+)$/.exec(l);
        if (m) escaped = Number(m[1]);
      },
    });
    const r = await done;
    assert.equal(r.code, 0);
    assert.ok(escaped > 0, "the escaped process did not report its pid");
    const took = performance.now() - t0;
    assert.ok(took < 10_000, `run waited ${took} ms for a process outside its group`);
    assert.equal(liveGroups(), 0);
  } finally {
    // It is outside our group, so run cannot kill it; this test must.
    if (escaped > 0) {
      try {
        process.kill(escaped, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
});

test("run: a throwing onStdoutLine callback rejects with that error and kills the process", async () => {
  const boom = new Error("parser says no");
  const t0 = performance.now();
  let leader = 0;
  const p = run("sh", ["-c", "echo $$; echo bad; sleep 60 & sleep 60"], {
    onStdoutLine: (l) => {
      if (leader === 0) leader = Number(l);
      else if (l === "bad") throw boom;
    },
  });
  await assert.rejects(p, (e: unknown) => e === boom);
  assert.ok(performance.now() - t0 < 5000);
  assert.ok(leader > 0);
  assert.deepEqual(await liveInGroup(leader), []);
  assert.equal(liveGroups(), 0);
});

test("run: a throwing onStderrLine callback on the last, unterminated line rejects instead of crashing", async () => {
  const boom = new Error("stderr consumer failed");
  await assert.rejects(
    run("sh", ["-c", "printf 'no newline at the end' >&2"], {
      onStderrLine: () => {
        throw boom;
      },
    }),
    (e: unknown) => e === boom,
  );
  assert.equal(liveGroups(), 0);
});

test("liveGroups: is 0 after all runs have finished", async () => {
  await Promise.all([run("true", []), run("sh", ["-c", "exit 1"], { check: false }), run("sleep", ["0.1"])]);
  assert.equal(liveGroups(), 0);
});
