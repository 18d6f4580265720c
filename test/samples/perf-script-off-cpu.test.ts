// perfScript.parser({ offCpu: true }) on real off-CPU recordings of test/fixtures/crates/offcpu
// (bash test/fixtures/make-offcpu-fixtures.sh): each thread's cpu + offcpu against the wall time
// the program measured itself, the blocked time under the blocking call, the split into blocked
// and preempted, and what goes wrong when switch records or stacks are missing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { stackShare } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { userSpace } from "../../src/fold/transforms.js";
import type { Profile } from "../../src/model/profile.js";
import { lineFeeder, parseInput } from "../../src/samples/read-lines.js";
import { OFF_CPU_EVENTS } from "../../src/samples/perf/off-cpu.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { fixture, fixtureText, matchesGolden } from "../helpers/golden.js";

const read = (name: string, opts: { offCpu?: boolean; keepSamples?: boolean } = { offCpu: true }) =>
  parseInput(perfScript.parser({ cleanNames: true, ...opts }), { path: fixture("perf-script", "offcpu", `${name}.perf.txt`) });
const readText = (text: string) => {
  const feed = lineFeeder(perfScript.parser({ cleanNames: true, offCpu: true }));
  feed.write(Buffer.from(text));
  return feed.end();
};

/** Per thread name (the comm at its last sample), the summed weight of each event in ns. */
function perThread(p: Profile): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const byTid = new Map<number, string>();
  p.threads.forEach((t) => byTid.set(t.tid, t.comm === "offcpu" || t.comm === "taskset" ? "main" : t.comm));
  for (let i = 0; i < p.samples.stack.length; i++) {
    const name = byTid.get(p.threads[p.samples.thread[i]!]!.tid)!;
    const row = out.get(name) ?? {};
    const e = p.events[p.samples.event[i]!]!;
    row[e] = (row[e] ?? 0) + p.samples.weight[i]!;
    out.set(name, row);
  }
  return out;
}

/** The program's own measurement: `thread=<name> wall_ns=<n>` lines. */
function measured(name: string): Map<string, number> {
  return new Map([...fixtureText("perf-script", "offcpu", `${name}.out.txt`).matchAll(/^thread=(\S+) wall_ns=(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** The share of one thread's weight of `event` under a frame matching `re`. */
function shareUnder(p: Profile, thread: string, event: string, re: RegExp): number {
  const keep = p.threads.map((t) => (thread === "main" ? t.comm === "offcpu" : t.comm === thread));
  const rows = [...p.samples.stack.keys()].filter((i) => keep[p.samples.thread[i]!]);
  const sub: Profile = {
    ...p,
    samples: {
      stack: Int32Array.from(rows, (i) => p.samples.stack[i]!),
      thread: Int32Array.from(rows, (i) => p.samples.thread[i]!),
      event: Int32Array.from(rows, (i) => p.samples.event[i]!),
      time: Float64Array.from(rows, (i) => p.samples.time[i]!),
      weight: Float64Array.from(rows, (i) => p.samples.weight[i]!),
    },
  };
  return stackShare(sub, re, { event: p.events.indexOf(event) });
}

test("perfScript.parser({ offCpu }): the events are cpu, offcpu, blocked, preempted and wall, in ns, without warnings", async () => {
  for (const name of ["pipe", "sleep", "cpu", "cpu-busy"]) {
    const p = await read(name);
    assert.deepEqual(p.events, OFF_CPU_EVENTS, name);
    assert.equal(p.unit, "nanoseconds", name);
    assert.deepEqual(p.warnings, [], name);
  }
});

test("perfScript.parser({ offCpu }): per thread, wall = cpu + offcpu and offcpu = blocked + preempted", async () => {
  for (const name of ["pipe", "sleep", "cpu", "cpu-busy"]) {
    for (const [thread, e] of perThread(await read(name))) {
      const [cpu, off, blocked, preempted, wall] = OFF_CPU_EVENTS.map((k) => e[k] ?? 0);
      assert.ok(Math.abs(wall! - (cpu! + off!)) < 1, `${name} ${thread}: wall ${wall} = cpu ${cpu} + offcpu ${off}`);
      assert.ok(Math.abs(off! - (blocked! + preempted!)) < 1, `${name} ${thread}: offcpu ${off} = blocked ${blocked} + preempted ${preempted}`);
    }
  }
});

test("perfScript.parser({ offCpu }): cpu + offcpu is within 10% of each thread's own wall time (acceptance)", async () => {
  for (const name of ["pipe", "sleep", "cpu", "cpu-busy"]) {
    const got = perThread(await read(name));
    const want = measured(name);
    assert.ok(want.size >= 1, `${name}.out.txt names its threads`);
    for (const [thread, ns] of want) {
      const e = got.get(thread);
      assert.ok(e, `${name}: perf saw thread ${thread}`);
      const sum = (e.cpu ?? 0) + (e.offcpu ?? 0);
      assert.ok(Math.abs(sum / ns - 1) <= 0.1, `${name} ${thread}: cpu ${e.cpu} + offcpu ${e.offcpu} = ${sum} ns vs measured ${ns} ns`);
    }
  }
});

test("perfScript.parser({ offCpu }): at least 80% of the blocked time is under the blocking call's stack (acceptance)", async () => {
  const pipe = await read("pipe");
  // main blocks reading the pipe; the writer blocks in sleep
  assert.ok(shareUnder(pipe, "main", "blocked", /^offcpu::wait_for_message$/) >= 0.8, `main: ${shareUnder(pipe, "main", "blocked", /wait_for_message/)}`);
  assert.ok(shareUnder(pipe, "main", "blocked", /^__GI___libc_read$/) >= 0.8, "main: under read(2)");
  assert.ok(shareUnder(pipe, "writer", "blocked", /^std::thread::functions::sleep$/) >= 0.8, `writer: ${shareUnder(pipe, "writer", "blocked", /sleep/)}`);
  assert.ok(shareUnder(pipe, "writer", "blocked", /^offcpu::writer$/) >= 0.8);
  const sleep = await read("sleep");
  assert.ok(shareUnder(sleep, "main", "blocked", /^offcpu::nap$/) >= 0.8, `sleep: ${shareUnder(sleep, "main", "blocked", /nap/)}`);
  // and the kernel says why: the pipe read, the nanosleep
  assert.ok(shareUnder(pipe, "main", "blocked", /^(anon_)?pipe_read$/) >= 0.8);
  assert.ok(shareUnder(sleep, "main", "blocked", /^do_nanosleep$/) >= 0.8);
  // the CPU samples of the same threads are under compute, not under the waits
  assert.ok(shareUnder(pipe, "main", "cpu", /^offcpu::compute$/) >= 0.8);
  assert.ok(shareUnder(pipe, "main", "cpu", /^offcpu::wait_for_message$/) < 0.1);
});

test("perfScript.parser({ offCpu }): a CPU-bound program shows under 5% blocked time; on a busy CPU its off-CPU time is preempted, not blocked (acceptance)", async () => {
  for (const name of ["cpu", "cpu-busy"]) {
    const e = perThread(await read(name)).get("main")!;
    assert.ok((e.blocked ?? 0) / e.wall! < 0.05, `${name}: blocked ${e.blocked} of wall ${e.wall}`);
  }
  const busy = perThread(await read("cpu-busy")).get("main")!;
  assert.ok(busy.preempted! / busy.wall! > 0.3, `cpu-busy: preempted ${busy.preempted} of ${busy.wall}: two busy loops shared its CPU`);
});

test("perfScript.parser({ offCpu }): the off-CPU flamegraph of the pipe program matches its golden folded stacks and summary", async () => {
  const p = await read("pipe");
  matchesGolden("perf-script/offcpu-pipe.offcpu.folded", toFolded(p, { event: "offcpu" }).join("\n") + "\n");
  matchesGolden("perf-script/offcpu-pipe.summary.txt", describeProfile(p, { weight: "per event" }));
});

test("perfScript.parser({ offCpu }): perf script's default fields (tid only, µs times) read the same way", async () => {
  const p = await read("pipe.default-fields");
  assert.deepEqual(p.events, OFF_CPU_EVENTS);
  assert.deepEqual(p.warnings, []);
  assert.ok(p.threads.every((t) => t.pid === -1));
  const e = perThread(p);
  assert.ok(e.get("main")!.blocked! > 0 && e.get("writer")!.blocked! > 0);
  assert.ok(shareUnder(p, "writer", "blocked", /^std::thread::functions::sleep$/) >= 0.8);
});

test("perfScript.parser({ offCpu }): keepSamples: false merges equal stacks and keeps the totals", async () => {
  const all = perThread(await read("pipe"));
  const merged = perThread(await read("pipe", { offCpu: true, keepSamples: false }));
  for (const [thread, e] of all) for (const [k, v] of Object.entries(e)) assert.ok(Math.abs(merged.get(thread)![k]! - v) < 1, `${thread} ${k}`);
});

test("perfScript.parser without offCpu: the same text is an ordinary two-event profile, switch lines skipped", async () => {
  const p = await read("pipe", {});
  assert.deepEqual([...p.events].sort(), ["cpu-clock", "sched:sched_switch"]);
  assert.equal(p.unit, "events"); // sched_switch periods are counts
  assert.ok(!p.frames.name.some((n) => n.includes("PERF_RECORD")));
});

test("perfScript.parser({ offCpu }): without PERF_RECORD_SWITCH lines there is no off-CPU time, and a warning says how to record them", () => {
  const text = fixtureText("perf-script", "offcpu", "sleep.perf.txt").replace(/^.*PERF_RECORD_SWITCH.*\n/gm, "");
  const p = readText(text);
  assert.equal(p.samples.event.filter((e) => e === 1).length, 0, "no offcpu rows");
  assert.ok(p.warnings.some((w) => /no PERF_RECORD_SWITCH lines.*--switch-events.*--show-switch-events/.test(w)), JSON.stringify(p.warnings));
});

test("perfScript.parser({ offCpu }): a switch whose sched_switch sample was lost still counts, without a stack, with a warning", () => {
  const text = fixtureText("perf-script", "offcpu", "sleep.perf.txt");
  // drop the sched_switch samples with prev_state=S: their header, frame lines and blank line
  const kept: string[] = [];
  let dropping = false;
  for (const line of text.split("\n")) {
    if (line.includes("prev_state=S ")) dropping = true;
    else if (dropping && line === "") dropping = false;
    else if (!dropping) kept.push(line);
  }
  const cut = kept.join("\n");
  const full = perThread(readText(text)).get("main")!;
  const p = readText(cut);
  const e = perThread(p).get("main")!;
  assert.ok(Math.abs(e.offcpu! - full.offcpu!) < 1, `offcpu ${e.offcpu} vs ${full.offcpu}: the switch records alone measure it`);
  assert.ok(p.warnings.some((w) => /off-CPU intervals \([\d.]+ s\) have no sched:sched_switch sample, so no stack/.test(w)), JSON.stringify(p.warnings));
  // without prev_state, PERF_RECORD_SWITCH OUT (no "preempt") says blocked
  assert.ok(Math.abs(e.blocked! - full.blocked!) / full.blocked! < 0.05, `blocked ${e.blocked} vs ${full.blocked}`);
});

test("perfScript.parser({ offCpu }): prev_state R is preempted, S and D are blocked, and OUT preempt decides without a sample", () => {
  const rec = (tid: number, t: string, state: string) =>
    `app 10/${tid}  ${t}:          1 sched:sched_switch: prev_comm=a b prev_pid=${tid} prev_prio=120 prev_state=${state} ==> next_comm=x next_pid=0 next_prio=120\n\tffffffff82302a65 __schedule+0x525 ([kernel.kallsyms])\n\t           16955 app::wait+0x65 (/bin/app)\n\n`;
  const sw = (tid: number, t: string, how: string) => `app 10/${tid}  ${t}: PERF_RECORD_SWITCH ${how}\n`;
  const text =
    rec(11, "1.000000000", "S") + sw(11, "1.000000100", "OUT        ") + sw(11, "1.500000100", "IN         ") +
    rec(11, "2.000000000", "D") + sw(11, "2.000000000", "OUT        ") + sw(11, "2.250000000", "IN         ") +
    rec(11, "3.000000000", "R+") + sw(11, "3.000000000", "OUT preempt") + sw(11, "3.125000000", "IN         ") +
    sw(12, "4.000000000", "OUT preempt") + sw(12, "4.062500000", "IN         ") +
    sw(12, "5.000000000", "IN         ") + // a first switch-in: nothing to end
    rec(12, "6.000000000", "S") + sw(12, "6.000000000", "OUT        "); // no switch-in: the thread ended
  const p = readText(text);
  const e = (tid: number, ev: string) => {
    let s = 0;
    for (let i = 0; i < p.samples.stack.length; i++) if (p.threads[p.samples.thread[i]!]!.tid === tid && p.events[p.samples.event[i]!] === ev) s += p.samples.weight[i]!;
    return s;
  };
  assert.equal(e(11, "blocked"), 500_000_000 + 250_000_000);
  assert.equal(e(11, "preempted"), 125_000_000);
  assert.equal(e(12, "preempted"), 62_500_000);
  assert.equal(e(12, "offcpu"), 62_500_000);
  assert.equal(p.samples.time[p.samples.event.indexOf(1)], 1.0000001, "an interval starts at the switch-out");
});

test("userSpace: without kernel frames, the call that blocked is on top of the off-CPU graph", async () => {
  const p = await read("pipe");
  const tops = new Map<string, number>();
  let all = 0;
  for (const line of toFolded(userSpace(p), { event: "blocked", pname: false })) {
    const w = Number(line.slice(line.lastIndexOf(" ") + 1));
    const top = line.slice(0, line.lastIndexOf(" ")).split(";").at(-1)!;
    tops.set(top, (tops.get(top) ?? 0) + w);
    all += w;
  }
  const calls = (tops.get("__GI___libc_read") ?? 0) + (tops.get("__GI___clock_nanosleep") ?? 0);
  assert.ok(calls / all >= 0.8, JSON.stringify([...tops]));
  assert.ok(!userSpace(p).frames.kind.includes("kernel"));
  // the weights stay: every event's total is the same
  for (let e = 0; e < p.events.length; e++) {
    const sum = (q: Profile) => q.samples.weight.reduce((a, w, i) => (q.samples.event[i] === e ? a + w : a), 0);
    assert.equal(sum(userSpace(p)), sum(p));
  }
});
