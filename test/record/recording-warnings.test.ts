import { test } from "node:test";
import assert from "node:assert/strict";
import { ProfileBuilder } from "../../src/model/profile-builder.js";
import type { Profile } from "../../src/model/profile.js";
import { offCpuWarning, Recording, unresolvedWarning } from "../../src/record/recording.js";

/** A cpu-clock profile: `samples` rows of [time s, weight ns, leaf name]. */
function cpuProfile(samples: [number, number, string][], event = "cpu-clock"): Profile {
  const b = new ProfileBuilder({ format: "test", unit: "nanoseconds" });
  const root = b.stack(-1, b.frame("main", "/bin/app"));
  const th = b.thread("app", 1, 1);
  const ev = b.event(event);
  for (const [t, w, leaf] of samples) b.sample(b.stack(root, b.frame(leaf, leaf.startsWith("[") ? "" : "/bin/app")), th, ev, t, w);
  return b.finish();
}

/** n samples of 1 ms each, evenly spread over `spanS` seconds. */
const spread = (n: number, spanS: number, leaf = "app::work") =>
  Array.from({ length: n }, (_, i): [number, number, string] => [100 + (i * spanS) / Math.max(n - 1, 1), 1e6, leaf]);

test("offCpuWarning: 10 ms of CPU over 1 s warns with both figures", () => {
  const w = offCpuWarning(cpuProfile(spread(10, 1)));
  assert.ok(w, "expected a warning");
  assert.match(w, /^flamebook: the samples account for 0\.01 s of CPU time in the 1\.00 s from the first to the last sample \(1%\)/);
  assert.match(w, /runTimed/);
});

test("offCpuWarning: waiting for a CPU (run-queue delay) is 'the machine was busy', not blocking", () => {
  const sched = { cpuNs: 0.01e9, runDelayNs: 0.9e9, voluntary: 2, involuntary: 840, threads: 1 };
  assert.equal(
    offCpuWarning(cpuProfile(spread(10, 1)), { sched }),
    "flamebook: the samples account for 0.01 s of CPU time in the 1.00 s from the first to the last sample (1%): the machine was busy. " +
      "The program was ready to run but waited 0.90 s for a CPU (preempted 840 times; run-queue delay from /proc/<pid>/schedstat); it did not block. " +
      "The profile still shows where its CPU time went, but its wall time now is not its speed: measure on a quiet machine, or compare CPU time.",
  );
});

test("offCpuWarning: voluntary switches with little run-queue delay are blocking (IO, sleep, locks)", () => {
  const sched = { cpuNs: 0.01e9, runDelayNs: 0.002e9, voluntary: 8, involuntary: 1, threads: 1 };
  assert.equal(
    offCpuWarning(cpuProfile(spread(10, 1)), { sched }),
    "flamebook: the samples account for 0.01 s of CPU time in the 1.00 s from the first to the last sample (1%): the program spent most of its time off the CPU, " +
      "blocked 8 times (blocking IO, sleep, locks; it waited only 0.00 s for a CPU), and a CPU profile shows none of that waiting. " +
      "Compare wall and CPU time (runTimed) and find what it waits for (off-CPU tools: `perf trace -s`, `perf sched`, tracing spans).",
  );
});

test("offCpuWarning: a CPU-bound profile (1 ms samples every ms) gives none", () => {
  assert.equal(offCpuWarning(cpuProfile(spread(1000, 0.999))), undefined);
});

test("offCpuWarning: the threshold is 25% by default and configurable", () => {
  const p = cpuProfile(spread(300, 1)); // 0.3 s of CPU in ~1 s
  assert.equal(offCpuWarning(p), undefined);
  assert.ok(offCpuWarning(p, { maxShare: 0.5 }));
});

test("offCpuWarning: spans shorter than minSpanS, single samples, other events and units give none", () => {
  assert.equal(offCpuWarning(cpuProfile(spread(5, 0.1))), undefined);
  assert.ok(offCpuWarning(cpuProfile(spread(5, 0.1)), { minSpanS: 0.05 }));
  assert.equal(offCpuWarning(cpuProfile([[1, 1e6, "x"]])), undefined);
  assert.equal(offCpuWarning(cpuProfile(spread(10, 1), "cycles")), undefined);
  assert.ok(offCpuWarning(cpuProfile(spread(10, 1), "cpu-clock:u")));
  const b = new ProfileBuilder({ format: "test" }); // unit "samples"
  const s = b.stack(-1, b.frame("main", "m"));
  for (let i = 0; i < 10; i++) b.sample(s, b.thread("a", 1, 1), b.event("cpu-clock"), i / 10, 1);
  assert.equal(offCpuWarning(b.finish()), undefined);
});

test("unresolvedWarning: most samples ending in [binary] frames warn, naming them", () => {
  const p = cpuProfile([...spread(90, 1, "[pitfalls]"), ...spread(10, 1, "app::work")]);
  const w = unresolvedWarning(p);
  assert.ok(w);
  assert.match(w, /^flamebook: 90% of the samples end in frames without a function name \(\[pitfalls\]\)/);
  assert.match(w, /strip = false/);
});

test("unresolvedWarning: a few unknown leaves (≤ 10%) are tolerated; the threshold is configurable", () => {
  const p = cpuProfile([...spread(5, 1, "[unknown]"), ...spread(95, 1, "app::work")]);
  assert.equal(unresolvedWarning(p), undefined);
  assert.match(unresolvedWarning(p, { maxShare: 0.01 }) ?? "", /5% of the samples/);
});

test("Recording: adds the sample-based warnings after the given ones, without duplicates", () => {
  const profile = cpuProfile(spread(10, 1, "[app]"));
  const rec = new Recording({ profile, perfData: "x.data", command: ["perf"], scriptCommand: ["perf"], wallS: 1, exitCode: 0, lost: 0, warnings: ["given"], programOutput: "" });
  assert.equal(rec.warnings[0], "given");
  assert.equal(rec.warnings.length, 3);
  assert.ok(rec.warnings.some((w) => w.includes("without a function name")));
  assert.ok(rec.warnings.some((w) => w.includes("of CPU time")));
  assert.deepEqual(rec.summary().warnings, rec.warnings);
});

test("Recording.summary: durations are rounded for reading (3 significant digits), not printed as 0.44840599999952246", () => {
  const base = cpuProfile(spread(10, 1, "app::work"));
  const time = Float64Array.from({ length: 10 }, (_, i) => 100 + (i * 0.44840599999952246) / 9);
  const profile = { ...base, samples: { ...base.samples, time } };
  const rec = new Recording({ profile, perfData: "x.data", command: ["perf"], scriptCommand: ["perf"], wallS: 1.0944, exitCode: 0, lost: 0, warnings: [], programOutput: "" });
  assert.equal(rec.summary().durationS, 0.448);
  assert.equal(rec.summary().wallS, 1.09);
});
