// One vocabulary (issue 17): the tables, methods and options a notebook touches agree with each
// other, so that joins and filters across them are right. Each test is a rule of src/model/units.ts,
// checked on real recordings: a thread is one id in every table; a share is one fraction whichever
// method computes it; a time is one base in every table and in the flame chart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, ProfileData } from "../../src/index.js";
import { parseInput, perfScript } from "../../src/internals.js";

const fixture = (...path: string[]) => new URL(`../fixtures/perf-script/${path.join("/")}`, import.meta.url).pathname;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An off-CPU recording (perf.record(…, { offCpu: true })): events cpu, offcpu, blocked, preempted, wall. */
const offCpu = async () => new ProfileData(await parseInput(perfScript.parser({ offCpu: true }), { path: fixture("offcpu", "sleep.perf.txt") }));

type SampleRow = { row: number; time: number; clock: number; thread: number; comm: string; tid: number };
type ThreadRow = { thread: number; comm: string; tid: number; samples: number; start: number; end: number };

test("samples() and threads() join on `thread` (a ThreadId); the name is `comm` in both", async () => {
  const p = await open(fixture("threads.perf.txt"));
  const threads = p.threads().objects() as ThreadRow[];
  assert.ok(threads.length >= 2);
  const joined = p.samples().join(p.threads().select("thread", "comm", "tid").rename({ comm: "threadComm", tid: "threadTid" }), "thread");
  assert.equal(joined.numRows(), p.samples().numRows(), "every sample finds its thread");
  for (const r of joined.objects() as (SampleRow & { threadComm: string; threadTid: number })[]) {
    assert.equal(r.comm, r.threadComm);
    assert.equal(r.tid, r.threadTid);
  }
  // the filter the issue found always false: a sample's thread equals a thread's thread
  for (const t of threads) {
    const mine = p.where((d, $) => d.thread === $.id, { id: t.thread });
    assert.equal(mine.samples().numRows(), t.samples, t.comm);
  }
});

test("share(x) equals the totalShare column of functions() for x, for every function and event", async () => {
  const check = (p: ProfileData, event?: string) => {
    const rows = p.functions(event === undefined ? {} : { event }).objects({ limit: 40 }) as { name: string; totalShare: number; selfShare: number }[];
    assert.ok(rows.length > 10);
    for (const r of rows) {
      const share = p.share(new RegExp(`^${escape(r.name)}$`), event === undefined ? {} : { event });
      assert.ok(Math.abs(share - r.totalShare) < 1e-12, `${r.name} (${event ?? "first event"}): share ${share}, totalShare ${r.totalShare}`);
      assert.ok(r.totalShare >= 0 && r.totalShare <= 1 && r.selfShare <= r.totalShare, "fractions, 0–1");
    }
  };
  check(await open(fixture("clone-in-loop.before.perf.txt")));
  // several events: each share is of its own event's weight, never of a sum across events
  const off = await offCpu();
  assert.ok(off.events.length >= 4, off.events.join(", "));
  for (const event of off.events) check(off, event);
  check(off);
  const first = off.functions().objects({ limit: 1 })[0] as { name: string; total: number };
  assert.equal(first.total / off.totalWeight(), off.share(new RegExp(`^${escape(first.name)}$`)), "totalWeight() is the whole a share is of");
});

test("samples().time and threads().start/end count seconds from the recording's first sample; `clock` keeps the raw clock", async () => {
  for (const [name, p] of [["threads.perf.txt", await open(fixture("threads.perf.txt"))], ["offcpu/sleep.perf.txt", await offCpu()]] as const) {
    const samples = p.samples().objects() as SampleRow[];
    const threads = p.threads().objects() as ThreadRow[];
    const t0 = Math.min(...samples.map((s) => s.clock));
    assert.ok(t0 > 1000, `perf's raw clock (${t0}), not 0`);
    assert.equal(Math.min(...samples.map((s) => s.time)), 0);
    assert.equal(Math.min(...threads.map((t) => t.start)), 0, `${name}: the first thread starts at the first sample`);
    for (const s of samples) assert.ok(Math.abs(s.clock - t0 - s.time) < 1e-9);
    for (const t of threads) {
      const mine = samples.filter((s) => s.thread === t.thread).map((s) => s.time);
      assert.deepEqual([t.start, t.end], [Math.min(...mine), Math.max(...mine)], `${name}: thread ${t.comm}`);
    }
    // the flame chart uses the same base: its runs start where the samples do
    const tl = p.flamegraph().tree.timeline!;
    const firstOfEvent = Math.min(...samples.filter((_, i) => p.profile.samples.event[i] === 0).map((s) => s.time));
    assert.ok(Math.abs(Math.min(...tl.start) - firstOfEvent) < 1e-9, `${name}: chart starts at ${Math.min(...tl.start)}, samples at ${firstOfEvent}`);
  }
});

test("a flamegraph's thread option takes the ThreadId of threads(); prune and callers speak fractions", async () => {
  const p = await open(fixture("threads.perf.txt"));
  const two = (p.threads().objects() as ThreadRow[]).find((t) => t.comm === "worker two")!;
  const fg = p.flamegraph({ thread: two.thread });
  assert.equal(fg.options.thread, two.thread);
  assert.equal(fg.tree.timeline!.threads[fg.widgetOptions.thread], `worker two ${two.tid}`);
  const pruned = p.prune(0.5);
  assert.ok(pruned.functions().numRows() < p.functions().numRows(), "functions under half the weight are folded into their callers");
  assert.equal(pruned.totalWeight(), p.totalWeight(), "pruning keeps the weight");
  assert.throws(() => p.prune(5), /prune\(minShare\) takes a fraction from 0 to 1/);
  const callees = p.callees("threads::spin").objects() as { share: number }[];
  assert.ok(Math.abs(callees.reduce((s, r) => s + r.share, 0) - 1) < 1e-9, "callee shares of one function add up to 1");
});
