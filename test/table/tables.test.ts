import assert from "node:assert/strict";
import { test } from "node:test";
import * as aq from "arquero";
import { functionTotals, totalWeight } from "../../src/fold/function-totals.js";
import { ProfileBuilder } from "../../src/model/profile-builder.js";
import { folded } from "../../src/samples/folded/folded.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { ProfileData } from "../../src/table/profile-data.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { fixture } from "../helpers/golden.js";

const perf = async (name: string) => new ProfileData(await parseInput(perfScript.parser(), { path: fixture("perf-script", name) }));
const foldedData = async (text: string) => new ProfileData(await parseInput(folded.parser(), text));

test("ProfileData.functions: name, module, self, total, selfShare, totalShare (fractions); recursion counts once", async () => {
  const p = await foldedData("main;rec;rec;rec 2\nmain;rec;work 3\nmain 5\n");
  const rows = p.functions().objects() as { name: string; self: number; total: number; selfShare: number; totalShare: number }[];
  assert.deepEqual(
    rows.map((r) => [r.name, r.self, r.total, r.selfShare, r.totalShare]),
    [
      ["main", 5, 10, 0.5, 1],
      ["rec", 2, 5, 0.2, 0.5],
      ["work", 3, 3, 0.3, 0.3],
    ],
  );
  assert.deepEqual(p.functions().columnNames(), ["name", "module", "self", "total", "selfShare", "totalShare"]);
});

test("ProfileData.functions: agrees with functionTotals on a real perf profile", async () => {
  const p = await perf("clone-in-loop.before.perf.txt");
  const byName = new Map(functionTotals(p.profile).map((f) => [f.name, f]));
  const rows = p.functions().objects() as { name: string; self: number; total: number }[];
  assert.equal(rows.length, byName.size);
  for (const r of rows) assert.deepEqual([r.self, r.total], [byName.get(r.name)!.self, byName.get(r.name)!.total], r.name);
  const selfSum = rows.reduce((s, r) => s + r.self, 0);
  assert.equal(selfSum, totalWeight(p.profile));
});

test("ProfileData.functions: several events give one self_/total_ column per event", () => {
  const b = new ProfileBuilder({ format: "test", unit: "events" });
  const [ir, d1] = [b.event("Ir"), b.event("D1mr")];
  const t = b.thread("x", 1, 1);
  const s = b.stackOf([b.frame("main", ""), b.frame("work", "")]);
  b.sample(s, t, ir, NaN, 1000);
  b.sample(s, t, d1, NaN, 7);
  b.sample(b.stackOf([b.frame("main", "")]), t, ir, NaN, 10);
  const p = new ProfileData(b.finish());
  const work = p.functions().filter((d) => d.name === "work").object() as Record<string, number>;
  assert.deepEqual([work.self, work.self_Ir, work.self_D1mr, work.total_D1mr], [1000, 1000, 7, 7]);
  const byMiss = p.functions({ event: "D1mr" }).filter((d) => d.name === "work").object() as Record<string, number>;
  assert.deepEqual([byMiss.self, byMiss.selfShare], [7, 1]);
  assert.throws(() => p.functions({ event: "cycles" }), /no event 'cycles' in this profile; it has: Ir, D1mr/);
});

test("ProfileData.samples + where: a time window and a thread become a profile again", async () => {
  const p = await perf("threads.perf.txt");
  const s = p.samples();
  assert.equal(s.numRows(), p.profile.samples.stack.length);
  assert.deepEqual(s.columnNames(), ["row", "time", "clock", "thread", "comm", "pid", "tid", "event", "stack", "weight", "leaf", "module"]);
  const one = p.where((d) => d.comm === "worker one");
  assert.ok(one.profile.samples.stack.length > 0 && one.profile.samples.stack.length < s.numRows());
  assert.ok(toFolded(one).every((l) => l.startsWith("worker one;")));
  const times = s.array("time") as Float64Array;
  const mid = (Math.min(...times) + Math.max(...times)) / 2;
  const late = p.where((d, $) => d.time >= $.mid, { mid });
  assert.equal(late.profile.samples.stack.length, [...times].filter((t) => t >= mid).length);
  const spin = p.where((d) => aq.op.match(d.leaf, /spin/, 0) != null);
  assert.ok(spin.samples().array("leaf").every((l) => /spin/.test(String(l))));
  assert.throws(() => p.fromSamples(s.select("time")), /needs the `row` column/);
});

test("ProfileData.frames: inlined copies stay apart; total ≥ self", async () => {
  const p = await perf("clone-in-loop.before.perf.txt");
  const f = p.frames();
  assert.equal(f.numRows(), p.profile.frames.name.length);
  const rows = f.objects() as { inlined: boolean; self: number; total: number; kind: string }[];
  assert.ok(rows.some((r) => r.inlined) && rows.some((r) => !r.inlined));
  assert.ok(rows.every((r) => r.total >= r.self));
});

test("ProfileData.threads: one row per thread with counts and time spans", async () => {
  const p = await perf("threads.perf.txt");
  const rows = p.threads().objects() as { comm: string; samples: number; start: number; end: number }[];
  assert.deepEqual(rows.map((r) => r.comm).sort(), ["worker one", "worker two"]);
  assert.equal(rows.reduce((n, r) => n + r.samples, 0), p.profile.samples.stack.length);
  assert.ok(rows.every((r) => r.end >= r.start));
});

test("ProfileData.callers / callees: edge weights, once per sample, with (root) and (self)", async () => {
  const p = await foldedData("main;process;to_string;malloc 3\nmain;process;to_string 1\nmain;other;to_string 2\nto_string 1\nmain;x;to_string;to_string 4\n");
  assert.deepEqual(p.callers("to_string").objects(), [
    { name: "to_string", weight: 4, share: 4 / 11 },
    { name: "process", weight: 4, share: 4 / 11 },
    { name: "x", weight: 4, share: 4 / 11 },
    { name: "other", weight: 2, share: 2 / 11 },
    { name: "(root)", weight: 1, share: 1 / 11 },
  ].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1)));
  const callees = p.callees("to_string").objects() as { name: string; weight: number }[];
  assert.deepEqual(callees.map((r) => [r.name, r.weight]), [["(self)", 8], ["to_string", 4], ["malloc", 3]]);
  assert.throws(() => p.callers("nope"), /no function named 'nope'/);
});

test("notebook: load the clone-in-loop before profile and find to_string in the top 5 by total under process", async () => {
  const p = await perf("clone-in-loop.before.perf.txt");
  const top = p
    .focus("wordfreq::process::process")
    .functions()
    .orderby(aq.desc("total"))
    .select("name", "total", "totalShare")
    .objects({ limit: 5 }) as { name: string; totalShare: number }[];
  assert.equal(top[0]!.name, "wordfreq::process::process");
  const ts = top.find((r) => /to_string/.test(r.name));
  assert.ok(ts, `to_string in ${top.map((r) => r.name).join(", ")}`);
  assert.ok(ts.totalShare >= 0.1);
});
