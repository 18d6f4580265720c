// perf.record(…, { offCpu: true }) with real perf on test/fixtures/crates/offcpu (std only), whose
// threads print their own wall time: the acceptance of off-CPU recording (blocked time under the
// blocking call, cpu + offcpu against each thread's wall time, a CPU-bound program barely
// blocked), a busy machine told from blocking by the switches and by /proc alike, the refusal
// without permission (as user nobody), and `flamebook record --off-cpu`. Needs perf, cargo and
// the sched_switch tracepoint (root); in CI nothing is skipped.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { cargo } from "../../src/build/index.js";
import { recordCommand } from "../../src/cli/record.js";
import { startBackground, type BackgroundProcess } from "../../src/exec/index.js";
import { stackShare } from "../../src/fold/function-totals.js";
import type { Profile } from "../../src/model/profile.js";
import { open } from "../../src/record/open.js";
import { perf } from "../../src/record/perf.js";
import { offCpuAccess, perfPreflight } from "../../src/record/preflight.js";
import type { Recording } from "../../src/record/recording.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const CRATE = join(repo, "test/fixtures/crates/offcpu");

async function unavailable(): Promise<string | undefined> {
  if (process.env.CI === "true") return undefined;
  if (spawnSync("perf", ["--version"]).status !== 0) return "perf is not installed (Debian package linux-perf)";
  if (spawnSync("cargo", ["--version"]).status !== 0) return "cargo is not installed";
  const denied = offCpuAccess(await perfPreflight());
  return denied ? `off-CPU recording is not permitted here: ${denied}` : undefined;
}
const skip = await unavailable();
if (skip) console.log(`# skipping test/record/perf-off-cpu.test.ts: ${skip}`);

const out = mkdtempSync(join(tmpdir(), "flamebook-offcpu-"));
after(() => rmSync(out, { recursive: true, force: true }));
let exe = "";
before(async () => {
  if (!skip) exe = (await cargo.build(CRATE, { bin: "offcpu" })).exe;
});

/** The program's own `thread=<name> wall_ns=<n>` lines. */
const measured = (rec: Recording) => new Map([...rec.programOutput.matchAll(/^thread=(\S+) wall_ns=(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));

/** Per thread (main = the comm "offcpu"), the summed weight of each event in ns. */
function perThread(p: Profile): Map<string, Record<string, number>> {
  const outMap = new Map<string, Record<string, number>>();
  const names = new Map<number, string>();
  for (const t of p.threads) names.set(t.tid, t.comm === "offcpu" ? "main" : t.comm);
  for (let i = 0; i < p.samples.stack.length; i++) {
    const name = names.get(p.threads[p.samples.thread[i]!]!.tid)!;
    const row = outMap.get(name) ?? {};
    const e = p.events[p.samples.event[i]!]!;
    row[e] = (row[e] ?? 0) + p.samples.weight[i]!;
    outMap.set(name, row);
  }
  return outMap;
}

/** The share of one thread's `event` under a frame matching `re`. */
function shareUnder(p: Profile, comm: string, event: string, re: RegExp): number {
  const rows = [...p.samples.stack.keys()].filter((i) => p.threads[p.samples.thread[i]!]!.comm === comm);
  const pick = <T extends Int32Array | Float64Array>(a: T, make: (n: number[]) => T) => make(rows.map((i) => a[i]!));
  const s = p.samples;
  const sub: Profile = {
    ...p,
    samples: {
      stack: pick(s.stack, (v) => Int32Array.from(v)),
      thread: pick(s.thread, (v) => Int32Array.from(v)),
      event: pick(s.event, (v) => Int32Array.from(v)),
      time: pick(s.time, (v) => Float64Array.from(v)),
      weight: pick(s.weight, (v) => Float64Array.from(v)),
    },
  };
  return stackShare(sub, re, { event: p.events.indexOf(event) });
}

test("perf.record({ offCpu }): a program that computes and blocks on a pipe: ≥ 80% of the blocked time under the blocking call, cpu + offcpu within 10% of each thread's wall time", { skip, timeout: 180_000 }, async () => {
  const rec = await perf.record(exe, { args: ["pipe", "20", "5", "20"], offCpu: true, outDir: out, minSamples: 1 });
  assert.deepEqual(rec.events, ["cpu", "offcpu", "blocked", "preempted", "wall"]);
  assert.ok(rec.command.includes("--switch-events") && rec.command.includes("sched:sched_switch"), rec.command.join(" "));
  assert.ok(rec.scriptCommand.includes("--show-switch-events"), rec.scriptCommand.join(" "));
  const p = rec.profile;
  const main = shareUnder(p, "offcpu", "blocked", /^offcpu::wait_for_message$/);
  const writer = shareUnder(p, "writer", "blocked", /^std::thread::functions::sleep$/);
  console.log(`# pipe: blocked under wait_for_message ${(main * 100).toFixed(1)}% (main), under sleep ${(writer * 100).toFixed(1)}% (writer)`);
  assert.ok(main >= 0.8, `main: ${main}`);
  assert.ok(writer >= 0.8, `writer: ${writer}`);
  const got = perThread(p);
  for (const [thread, ns] of measured(rec)) {
    const e = got.get(thread)!;
    const sum = (e.cpu ?? 0) + (e.offcpu ?? 0);
    console.log(`# pipe ${thread}: cpu ${((e.cpu ?? 0) / 1e6).toFixed(1)} ms + offcpu ${((e.offcpu ?? 0) / 1e6).toFixed(1)} ms = ${(sum / 1e6).toFixed(1)} ms; the thread measured ${(ns / 1e6).toFixed(1)} ms (${((sum / ns - 1) * 100).toFixed(2)}%)`);
    assert.ok(Math.abs(sum / ns - 1) <= 0.1, `${thread}: ${sum} vs ${ns}`);
  }
  assert.equal(measured(rec).size, 2);
  const s = rec.summary();
  assert.ok(s.offCpu, "summary().offCpu");
  assert.match(s.offCpu.text, /where: offcpu::(writer|wait_for_message) \d+% \(in __GI___\w+\), offcpu::(writer|wait_for_message)/);
  assert.ok(s.offCpu.switchesPerS > 0 && s.offCpu.switches >= 40, JSON.stringify(s.offCpu));
  assert.ok(!rec.warnings.some((w) => /off-CPU:|switched off the CPU/.test(w)), JSON.stringify(rec.warnings));
  // the kept perf.data opens again as the same off-CPU profile: found from its events, or forced
  for (const again of [await open(rec.perfData), await open(rec.perfData, { offCpu: true })]) {
    assert.deepEqual(again.events, rec.events);
    for (const e of rec.events) assert.equal(again.totalWeight(e), rec.totalWeight(e), e);
  }
  // and read as CPU samples only when asked
  assert.deepEqual((await open(rec.perfData, { offCpu: false })).events.filter((e) => e === "offcpu"), []);
});

test("perf.record({ offCpu }): a CPU-bound program shows under 5% blocked time", { skip, timeout: 120_000 }, async () => {
  const rec = await perf.record(exe, { args: ["cpu", "1000"], offCpu: true, outDir: out, minSamples: 1 });
  const e = perThread(rec.profile).get("main")!;
  console.log(`# cpu: blocked ${((e.blocked ?? 0) / 1e6).toFixed(1)} ms, preempted ${((e.preempted ?? 0) / 1e6).toFixed(1)} ms of ${(e.wall! / 1e6).toFixed(1)} ms wall`);
  assert.ok((e.blocked ?? 0) / e.wall! < 0.05, JSON.stringify(e));
  const ns = measured(rec).get("main")!;
  assert.ok(Math.abs(e.wall! / ns - 1) <= 0.1, `${e.wall} vs ${ns}`);
});

test("perf.record({ offCpu }): on a CPU four busy loops want, the switches say preempted and 'the machine was busy', as /proc does", { skip, timeout: 120_000 }, async () => {
  const busy: BackgroundProcess[] = Array.from({ length: 4 }, () => startBackground("taskset", ["-c", "0", "sh", "-c", "while :; do :; done"], { timeoutMs: 60_000 }));
  try {
    await new Promise((r) => setTimeout(r, 300));
    const rec = await perf.record({ command: "taskset", args: ["-c", "0", exe, "cpu", "500"] }, { offCpu: true, outDir: out, minSamples: 1 });
    const s = rec.summary().offCpu!;
    console.log(`# busy: ${s.text}`);
    assert.ok(s.preemptedS > 5 * s.blockedS, JSON.stringify(s));
    const w = rec.warnings.find((x) => x.includes("the machine was busy"));
    assert.ok(w, JSON.stringify(rec.warnings));
    assert.match(w, /began with a preemption: the machine was busy\. The program was ready to run but waited for a CPU \(\/proc\/<pid>\/schedstat: run-queue delay [\d.]+ s, preempted \d+ times\)/);
    assert.ok(rec.sched!.involuntary > rec.sched!.voluntary, JSON.stringify(rec.sched));
  } finally {
    await Promise.all(busy.map((b) => b.stop()));
  }
});

test("perf.record({ offCpu }): refused as a user without permission, with what is missing and how to allow it", { skip: skip ?? (spawnSync("setpriv", ["--version"]).status !== 0 ? "no setpriv" : process.getuid?.() !== 0 ? "not root: cannot become nobody" : undefined), timeout: 60_000 }, () => {
  const paranoid = Number(readFileSync("/proc/sys/kernel/perf_event_paranoid", "utf8").trim());
  const script = `import { perf } from ${JSON.stringify(join(repo, "src/record/perf.ts"))};
try { await perf.record({ command: "true" }, { offCpu: true, outDir: "/tmp" }); console.log("recorded"); } catch (e) { console.log(e.message); }`;
  const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", process.execPath, "--import", "tsx", "--input-type=module", "-e", script], { cwd: repo, encoding: "utf8", timeout: 50_000 });
  const tracefsOpen = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "cat", "/sys/kernel/tracing/events/sched/sched_switch/format"]).status === 0;
  if (paranoid <= -1 && tracefsOpen) return assert.match(r.stdout, /recorded/); // this machine allows it
  assert.match(r.stdout, /^flamebook: off-CPU recording needs the sched:sched_switch tracepoint, which perf may use only as root, or with kernel\.perf_event_paranoid ≤ -1 and tracefs readable by you/, r.stdout + r.stderr);
  if (paranoid > -1) assert.match(r.stdout, new RegExp(`kernel\\.perf_event_paranoid is ${paranoid} \\(it must be -1\\)`));
  assert.match(r.stdout, /`sudo sysctl -w kernel\.perf_event_paranoid=-1` and `sudo mount -o remount,mode=755,gid=65534 \/sys\/kernel\/tracing`/);
});

test("flamebook record --off-cpu: prints the off-CPU line and writes the CPU page and the off-CPU page", { skip, timeout: 300_000 }, async () => {
  await ensureBuilt(); // the pages inline the widget bundle
  const stdout: string[] = [];
  const stderr: string[] = [];
  const html = join(out, "sleep.html");
  const code = await recordCommand([exe, "sleep", "10", "5", "20"], { html, out: join(out, "sleep.perf.data"), offCpu: true }, { stdout: { write: (t: string) => stdout.push(t) }, stderr: { write: (t: string) => stderr.push(t) } });
  const text = stdout.join("");
  assert.equal(code, 0, text + stderr.join(""));
  assert.match(text, /^samples: {2}\d+ \(cpu-clock at 997 Hz, and every context switch\), \d+ lost$/m);
  assert.match(text, /^off the CPU: \d+% of the wall time \([\d.]+ s of [\d.]+ s\): blocked [\d.]+ s \(S\/D: IO, sleep, locks\), waiting for a CPU [\d.]+ s \(preempted\); where: offcpu::nap \d+% \(in __GI___clock_nanosleep\)/m);
  assert.match(text, new RegExp(`^off-CPU page: ${join(out, "sleep.offcpu.html").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
  assert.ok(text.trimEnd().endsWith(html), "the CPU page is the last line");
  assert.ok(existsSync(html) && existsSync(join(out, "sleep.offcpu.html")) && existsSync(join(out, "sleep.perf.data")));
  assert.match(readFileSync(join(out, "sleep.offcpu.html"), "utf8"), /off the CPU/);
});
