// The off-CPU summary, warnings, permission rule and perf arguments, on the real off-CPU
// fixtures (test/fixtures/perf-script/offcpu, made by make-offcpu-fixtures.sh); no perf needed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { offCpuPagePath } from "../../src/cli/record.js";
import type { Profile } from "../../src/model/profile.js";
import { offCpuEventArgs } from "../../src/record/off-cpu-args.js";
import { offCpuSummary, offCpuWarnings, type OffCpuSummary } from "../../src/record/off-cpu-summary.js";
import { judgeOffCpu } from "../../src/record/preflight.js";
import { offCpuWarning, Recording } from "../../src/record/recording.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { fixture } from "../helpers/golden.js";

const read = (name: string): Promise<Profile> =>
  parseInput(perfScript.parser({ cleanNames: true, offCpu: true }), { path: fixture("perf-script", "offcpu", `${name}.perf.txt`) });
const recording = (profile: Profile) =>
  new Recording({ profile, perfData: "x.perf.data", command: ["perf"], scriptCommand: ["perf"], wallS: 1, exitCode: 0, lost: 0, warnings: [], programOutput: "" });

test("offCpuSummary: the pipe program is mostly off the CPU, blocked, in the writer's sleep and main's pipe read", async () => {
  const s = offCpuSummary(await read("pipe"))!;
  assert.ok(s.offShare > 0.7, `off share ${s.offShare}`);
  assert.ok(Math.abs(s.wallS - (s.cpuS + s.offCpuS)) < 1e-9);
  assert.ok(Math.abs(s.offCpuS - (s.blockedS + s.preemptedS)) < 1e-9);
  assert.equal(s.threads, 2);
  assert.deepEqual(s.where.slice(0, 2).map((w) => w.function).sort(), ["offcpu::wait_for_message", "offcpu::writer"]);
  const byFn = Object.fromEntries(s.where.map((w) => [w.function, w.via]));
  assert.equal(byFn["offcpu::writer"], "__GI___clock_nanosleep");
  assert.equal(byFn["offcpu::wait_for_message"], "__GI___libc_read");
  assert.match(s.text, /^off the CPU: \d+% of the wall time \([\d.]+ s of [\d.]+ s, 2 threads\): blocked [\d.]+ s \(S\/D: IO, sleep, locks\), waiting for a CPU [\d.]+ s \(preempted\); where: offcpu::\w+ \d+% \(in __GI___\w+\), .*; \d+ switches, \d+\/s\.$/);
});

test("offCpuSummary: undefined for a profile without off-CPU events", async () => {
  const plain = await parseInput(perfScript.parser({}), { path: fixture("perf-script", "offcpu", "pipe.perf.txt") });
  assert.equal(offCpuSummary(plain), undefined);
});

test("offCpuWarnings: a CPU-bound program sharing its CPU with busy loops gets 'the machine was busy'; the quiet one and the blocking one do not", async () => {
  const busy = offCpuWarnings(offCpuSummary(await read("cpu-busy"))!);
  assert.equal(busy.length, 1, JSON.stringify(busy));
  assert.match(busy[0]!, /^flamebook: \d+% of the wall time was off the CPU, and [\d.]+ s of it began with a preemption: the machine was busy\. The program was ready to run but waited for a CPU; it blocked only [\d.]+ s\./);
  assert.deepEqual(offCpuWarnings(offCpuSummary(await read("cpu"))!), []);
  assert.deepEqual(offCpuWarnings(offCpuSummary(await read("pipe"))!), []);
  // with /proc's numbers of the same run, both are quoted
  const withSched = offCpuWarnings(offCpuSummary(await read("cpu-busy"))!, { sched: { cpuNs: 1, runDelayNs: 2.3e8, voluntary: 1, involuntary: 40, threads: 1 } });
  assert.match(withSched[0]!, /\(\/proc\/<pid>\/schedstat: run-queue delay 0\.23 s, preempted 40 times\)/);
});

test("offCpuWarnings: states the overhead when the program switches more than 5000 times per second", () => {
  const s: OffCpuSummary = { cpuS: 0.1, offCpuS: 0.3, blockedS: 0.3, preemptedS: 0, wallS: 0.4, offShare: 0.75, threads: 2, switches: 80_000, switchesPerS: 400_000, where: [], text: "" };
  const w = offCpuWarnings(s);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /switched off the CPU 400000 times per second \(80000 switches\): each one is recorded with its stack \(about 8 KB of perf\.data with --call-graph dwarf, and a few µs of the program's time\)/);
  assert.deepEqual(offCpuWarnings({ ...s, switchesPerS: 4000 }), []);
  assert.equal(offCpuWarnings({ ...s, switchesPerS: 4000 }, { maxSwitchesPerS: 1000 }).length, 1);
});

test("Recording: an off-CPU recording's summary counts CPU samples, adds offCpu, and its warnings come from the switches", async () => {
  const p = await read("cpu-busy");
  const rec = recording(p);
  const s = rec.summary();
  assert.equal(s.samples, p.samples.event.filter((e) => e === 0).length);
  assert.equal(s.weight, offCpuSummary(p)!.cpuS * 1e9);
  assert.ok(s.offCpu && s.offCpu.preemptedS > s.offCpu.blockedS);
  assert.ok(rec.warnings.some((w) => w.includes("the machine was busy")), JSON.stringify(rec.warnings));
  // the sampled-CPU warning (which cannot see waiting) stays out of an off-CPU recording
  assert.equal(offCpuWarning(p), undefined);
  assert.ok(!rec.warnings.some((w) => w.includes("a CPU profile shows none of that waiting")));
});

test("judgeOffCpu: root may; otherwise paranoid -1 and a readable tracefs, and the message names what is missing and the commands", () => {
  assert.equal(judgeOffCpu({ isRoot: true, paranoid: 2, tracefsReadable: false }), undefined);
  assert.equal(judgeOffCpu({ isRoot: false, paranoid: -1, tracefsReadable: true }), undefined);
  const both = judgeOffCpu({ isRoot: false, paranoid: 2, tracefsReadable: false, gid: 1000 })!;
  assert.match(both, /^flamebook: off-CPU recording needs the sched:sched_switch tracepoint, which perf may use only as root, or with kernel\.perf_event_paranoid ≤ -1 and tracefs readable by you/);
  assert.match(both, /Here: kernel\.perf_event_paranoid is 2 \(it must be -1\), and \/sys\/kernel\/tracing\/events\/sched\/sched_switch\/format is not readable by this user/);
  assert.match(both, /`sudo sysctl -w kernel\.perf_event_paranoid=-1` and `sudo mount -o remount,mode=755,gid=1000 \/sys\/kernel\/tracing`/);
  const onlyParanoid = judgeOffCpu({ isRoot: false, paranoid: 0, tracefsReadable: true })!;
  assert.match(onlyParanoid, /Here: kernel\.perf_event_paranoid is 0 \(it must be -1\)\. /);
  assert.match(judgeOffCpu({ isRoot: false, paranoid: -1, tracefsReadable: false })!, /Here: \/sys\/kernel\/tracing\/events\/sched\/sched_switch\/format is not readable/);
  assert.match(judgeOffCpu({ isRoot: false, paranoid: null, tracefsReadable: true })!, /cannot be read/);
});

test("offCpuEventArgs: the clock event at its frequency as an event term, every sched_switch, switch events; other events refused", () => {
  assert.deepEqual(offCpuEventArgs("cpu-clock", 997), ["-e", "cpu-clock/freq=997,name=cpu-clock/", "-e", "sched:sched_switch", "--switch-events"]);
  assert.deepEqual(offCpuEventArgs("task-clock:u", 499).slice(0, 2), ["-e", "task-clock/freq=499,name=task-clock/u"]);
  assert.throws(() => offCpuEventArgs("cycles", 997), /clock event \(cpu-clock or task-clock\), not 'cycles'/);
  assert.throws(() => offCpuEventArgs("cpu-clock", 0), /positive whole number/);
});

test("offCpuPagePath: .offcpu before the page's ending", () => {
  assert.equal(offCpuPagePath("app.flamegraph.html"), "app.offcpu.flamegraph.html");
  assert.equal(offCpuPagePath("/x/wf.html"), "/x/wf.offcpu.html");
  assert.equal(offCpuPagePath("page"), "page.offcpu.html");
});
