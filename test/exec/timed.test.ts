import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { test, type TestContext } from "node:test";
import { ExecError, findPerfStatLine, parsePerfStatCsv, parseTimes, perfEventSupport, perfStatSupport, runTimed, type TimedMethod } from "../../src/exec/index.js";
import { gone, processesWith } from "../helpers/valgrind.js";

const perfOk = (await perfEventSupport(["task-clock", "duration_time", "user_time", "system_time"]).catch(() => ({}) as Record<string, string>));
const hasPerfStat = Object.values(perfOk).length === 4 && Object.values(perfOk).every((s) => s === "supported");

/** Outside CI a test without a usable `perf stat` skips and says why; in CI it fails. */
function skipWithoutPerfStat(t: TestContext): boolean {
  if (hasPerfStat) return false;
  assert.ok(!process.env.CI, `perf stat cannot count task-clock/duration_time/user_time/system_time here (${JSON.stringify(perfOk)}); install linux-perf`);
  t.skip(`perf stat is missing or cannot count here: ${JSON.stringify(perfOk)}`);
  return true;
}

const BUSY = ["-c", "i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done"];
const methods: TimedMethod[] = ["perf-stat", "times"];

for (const method of methods) {
  test(`runTimed(${method}): a busy loop's CPU time is close to its wall time`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    // The machine is noisy (2 shared cores): take the best of three runs. When other work keeps
    // every core busy, a runnable program gets only its share of a core, so the lower bound on
    // CPU / wall loosens with the load average (and says so).
    const load = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
    const low = load > availableParallelism() ? 0.25 : 0.7;
    if (low < 0.7) t.diagnostic(`load average ${load} on ${availableParallelism()} CPUs: CPU ≥ ${low} × wall accepted`);
    let best = { wallMs: Infinity, cpuMs: 0 };
    for (let i = 0; i < 3; i++) {
      const r = await runTimed("sh", BUSY, { method });
      assert.equal(r.method, method);
      assert.equal(r.exitCode, 0);
      assert.ok(r.wallMs > 20 && r.cpuMs > 20, JSON.stringify(r));
      assert.ok(r.cpuMs <= 1.1 * r.wallMs + 5, `a single-threaded program cannot use more CPU than wall time: ${JSON.stringify(r)}`);
      assert.ok(Math.abs(r.userMs + r.sysMs - r.cpuMs) < Math.max(15, 0.1 * r.cpuMs), `user+sys vs cpu: ${JSON.stringify(r)}`);
      if (r.cpuMs / r.wallMs > best.cpuMs / best.wallMs) best = r;
      if (best.cpuMs >= 0.7 * best.wallMs) break;
    }
    assert.ok(best.cpuMs >= low * best.wallMs, `cpu ${best.cpuMs} ms vs wall ${best.wallMs} ms (load ${load})`);
  });

  test(`runTimed(${method}): sleep 0.3 takes ≥ 300 ms of wall time and almost no CPU`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    const r = await runTimed("sleep", ["0.3"], { method });
    assert.ok(r.wallMs >= 300 && r.wallMs < 3000, `wall ${r.wallMs}`);
    assert.ok(r.cpuMs < 60, `cpu ${r.cpuMs}`);
  });

  test(`runTimed(${method}): a non-zero exit is in the result with check: false, and throws an ExecError naming the command by default`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    const r = await runTimed("sh", ["-c", "exit 3"], { method, check: false });
    assert.equal(r.exitCode, 3);
    assert.equal(r.signal, null);
    await assert.rejects(runTimed("sh", ["-c", "echo broken-input >&2; exit 4"], { method }), (e: unknown) => {
      assert.ok(e instanceof ExecError);
      assert.equal(e.failure, "exit");
      assert.match(e.message, /exit code 4: .*sh -c 'echo broken-input >&2; exit 4'/);
      assert.match(e.message, /last lines of its stderr ---\nbroken-input/);
      return true;
    });
  });

  test(`runTimed(${method}): the exact argv is recorded and ends with the program`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    const r = await runTimed("sh", ["-c", "exit 0"], { method });
    assert.deepEqual(r.command.slice(-3), ["sh", "-c", "exit 0"]);
    assert.equal(r.command[0], method === "perf-stat" ? "perf" : r.command[0]);
    if (method === "perf-stat") assert.deepEqual(r.command.slice(1, 3), ["stat", "-x,"]);
    else assert.match(r.command[0]!, /\/(ba)?sh$/);
  });

  test(`runTimed(${method}): abort kills the whole group and leaves no process`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    const tag = `${process.pid % 1000}${Date.now() % 100000}`;
    const ac = new AbortController();
    const pending = runTimed("sh", ["-c", `sleep 1000.${tag} & sleep 1001.${tag}; wait`], { method, signal: ac.signal });
    for (let i = 0; i < 100 && processesWith(`1001.${tag}`).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(processesWith(`1000.${tag}`).length > 0, "the program (and its background child) started");
    ac.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof ExecError && e.failure === "aborted");
    assert.deepEqual(await gone(`.${tag}`), []);
  });

  test(`runTimed(${method}): a timeout kills the whole group and leaves no process`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    const tag = `${process.pid % 1000}${(Date.now() + 7) % 100000}`;
    await assert.rejects(runTimed("sh", ["-c", `sleep 1002.${tag} & sleep 1003.${tag}; wait`], { method, timeoutMs: 400 }), (e: unknown) => e instanceof ExecError && e.failure === "timeout");
    assert.deepEqual(await gone(`.${tag}`), []);
  });

  test(`runTimed(${method}): a missing program is a not-found ExecError`, async (t) => {
    if (method === "perf-stat" && skipWithoutPerfStat(t)) return;
    await assert.rejects(runTimed("/nonexistent/flamebook-prog", [], { method }), (e: unknown) => e instanceof ExecError && e.failure === "not-found" && e.message.includes("/nonexistent/flamebook-prog"));
  });
}

test("runTimed: perf-stat and times agree on a busy loop's CPU time (fastest runs within 15%), whatever the load", async (t) => {
  if (skipWithoutPerfStat(t)) return;
  // Load from other test files only ever adds CPU time (a busy loop's cache and memory bus are
  // shared), and it comes and goes within a run: CI once saw times at 122, 124, 212, 224, 219 ms
  // next to perf-stat at 122–126 ms, interleaved. So compare each method's least-disturbed run,
  // its minimum over interleaved pairs: a method that misses the program's CPU time, or adds its
  // wrapper's, moves its minimum too.
  const perf: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    perf.push((await runTimed("sh", BUSY, { method: "perf-stat" })).cpuMs);
    times.push((await runTimed("sh", BUSY, { method: "times" })).cpuMs);
  }
  const [p, s] = [Math.min(...perf), Math.min(...times)];
  t.diagnostic(`fastest CPU ms: perf-stat ${p.toFixed(1)}, times ${s.toFixed(1)}`);
  assert.ok(Math.abs(p - s) <= 0.15 * Math.max(p, s), `perf-stat ${perf.map((x) => x.toFixed(1))} ms, times ${times} ms`);
});

test("runTimed(perf-stat): a program killed by a signal reports the signal, not exit code 0", async (t) => {
  if (skipWithoutPerfStat(t)) return;
  const r = await runTimed("sh", ["-c", "kill -SEGV $$"], { method: "perf-stat", check: false });
  assert.equal(r.signal, "SIGSEGV");
  assert.equal(r.exitCode, null);
  await assert.rejects(runTimed("sh", ["-c", "kill -TERM $$"], { method: "perf-stat" }), (e: unknown) => e instanceof ExecError && e.failure === "signal" && /SIGTERM/.test(e.message));
});

test("runTimed: counters are numbers where supported and null where not", async (t) => {
  if (skipWithoutPerfStat(t)) return;
  const r = await runTimed("sh", BUSY, { counters: ["context-switches", "page-faults", "cycles", "no-such-event"] });
  assert.equal(r.method, "perf-stat");
  assert.equal(typeof r.counters?.["context-switches"], "number");
  assert.ok(r.counters!["page-faults"]! > 0);
  assert.equal(r.counters!["no-such-event"], null);
  const cycles = (await perfStatSupport(["cycles"]))["cycles"];
  assert.equal(r.counters!["cycles"] === null, !cycles, "cycles is null exactly when the machine cannot count it");
  assert.ok(!r.command.includes("no-such-event"), "an unsupported event is not passed to perf");
  const viaTimes = await runTimed("sh", ["-c", "exit 0"], { method: "times", counters: ["context-switches"] });
  assert.deepEqual(viaTimes.counters, { "context-switches": null });
});

test("perfEventSupport: tells supported, unknown and unsupported events apart, and caches", async (t) => {
  if (skipWithoutPerfStat(t)) return;
  const s = await perfEventSupport(["task-clock", "context-switches", "flamebook-bogus-event"]);
  assert.equal(s["task-clock"], "supported");
  assert.equal(s["context-switches"], "supported");
  assert.equal(s["flamebook-bogus-event"], "unknown-event");
  const t0 = performance.now();
  await perfEventSupport(["task-clock", "flamebook-bogus-event"]);
  assert.ok(performance.now() - t0 < 50, "cached");
});

test("parsePerfStatCsv: values, units, <not supported>, <not counted> and event names with commas", () => {
  const lines = parsePerfStatCsv(
    [
      "# started on Wed Nov 25 11:12:54 2026",
      "",
      "220567368,ns,duration_time,220567368,100.00,54.071,G/sec",
      "<not counted>,ns,user_time,0,100.00,,",
      "296.19,msec,task-clock:u,296194202,100.00,0.692,CPUs utilized",
      "<not supported>,,cycles,0,100.00,,",
      "1234,,cpu/event=0x3c,umask=0/,5000,100.00,,",
    ].join("\n"),
  );
  assert.deepEqual(lines.map((l) => [l.event, l.value, l.unit, l.status]), [
    ["duration_time", 220567368, "ns", "ok"],
    ["user_time", null, "ns", "not-counted"],
    ["task-clock:u", 296.19, "msec", "ok"],
    ["cycles", null, "", "not-supported"],
    ["cpu/event=0x3c,umask=0/", 1234, "", "ok"],
  ]);
  assert.equal(findPerfStatLine(lines, "task-clock")?.value, 296.19);
});

test("parseTimes: dash's and bash's formats, children's line", () => {
  assert.deepEqual(parseTimes("0m0.000000s 0m0.000000s\n0m0.290000s 0m0.010000s\n"), { userMs: 290, sysMs: 10 });
  assert.deepEqual(parseTimes("0m0.005s 0m0.005s\n1m2.342s 0m0.015s\n"), { userMs: 62342, sysMs: 15 });
  assert.equal(parseTimes("0m0.005s 0m0.005s\n"), null);
});
