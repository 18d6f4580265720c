// toFirefox: flamebook profiles written in the processed Firefox Profiler format (samply's layout)
// and read back by the firefox importer with the same stacks, weights, threads, modules and marks.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { ProfileBuilder } from "../../src/model/profile-builder.js";
import type { Profile } from "../../src/model/profile.js";
import { firefox } from "../../src/samples/firefox/firefox.js";
import { toFirefox } from "../../src/samples/firefox/export.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { openProfile } from "../../src/samples/registry.js";
import { fixture } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

const readPerf = (name: string): Promise<Profile> => parseInput(perfScript.parser(), { path: fixture("perf-script", name) });
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** Folded lines with their counts rounded: ns → ms → ns is exact only up to floating point. */
const rounded = (lines: string[]) => lines.map((l) => l.replace(/ (\S+)$/, (_, n: string) => ` ${Math.round(Number(n))}`));

test("toFirefox: perf fixture → processed Firefox profile → openProfile keeps stacks, weights, threads, modules and inlined marks", async () => {
  const original = await readPerf("clone-in-loop.before.perf.txt");
  const text = toFirefox(original);
  const back = await openProfile(Buffer.from(text));
  assertValid(back);
  assert.equal(back.format, "firefox", "sniffed as a Firefox profile");
  assert.deepEqual(rounded(toFolded(back, { tid: true, annotate: true })), rounded(toFolded(original, { tid: true, annotate: true })));
  assert.equal(back.unit, "nanoseconds", "tracing-ms weights come back as nanoseconds");
  assert.ok(close(totalWeight(back), totalWeight(original)), `${totalWeight(back)} vs ${totalWeight(original)}`);
  assert.deepEqual(back.threads, original.threads);
  const frameSet = (p: Profile) => new Set(p.frames.name.map((n, i) => `${n}|${p.frames.module[i]}|${p.frames.inlined[i]}|${p.frames.kind[i]}`));
  assert.deepEqual(frameSet(back), frameSet(original));
  const doc = JSON.parse(text) as { meta: { preprocessedProfileVersion: number }; shared: { stringArray: string[] } };
  assert.equal(doc.meta.preprocessedProfileVersion, 56);
  assert.ok(doc.shared.stringArray.length > 0);
});

test("toFirefox: every perf-script fixture round-trips its first event; times stay in seconds", async () => {
  const names = readdirSync(fixture("perf-script")).filter((f) => f.endsWith(".perf.txt"));
  for (const name of names) {
    const original = await readPerf(name);
    const back = firefox.decode(Buffer.from(toFirefox(original)));
    const only = (p: Profile, e: number) => {
      const b = new ProfileBuilder({ format: "t" });
      for (let i = 0; i < p.samples.stack.length; i++) {
        if (p.samples.event[i] !== e) continue;
        const path: number[] = [];
        for (let s = p.samples.stack[i]!; s >= 0; s = p.stacks.parent[s]!) path.push(p.stacks.frame[s]!);
        const t = p.threads[p.samples.thread[i]!]!;
        b.sample(b.stackOf(path.reverse().map((f) => b.frame(p.frames.name[f]!, p.frames.module[f]!, { inlined: p.frames.inlined[f]! }))), b.thread(t.comm, t.pid, t.tid), b.event("e"), p.samples.time[i]!, p.samples.weight[i]!);
      }
      return b.finish();
    };
    assert.deepEqual(rounded(toFolded(back, { tid: true })), rounded(toFolded(only(original, 0), { tid: true })), name);
    const span = (p: Profile) => Math.max(...p.samples.time) - Math.min(...p.samples.time);
    if (original.samples.time.every(Number.isFinite) && original.samples.stack.length > 1) assert.ok(close(span(back), span(only(original, 0))), `${name}: time span`);
  }
});

test("toFirefox: counts become 'samples' weights; `event` picks the event; a sample without frames becomes a null stack", () => {
  const b = new ProfileBuilder({ format: "t", unit: "instructions" });
  const [ir, dr] = [b.event("Ir"), b.event("Dr")];
  const main = b.frame("main", "/bin/app");
  const work = b.frame("work", "/bin/app", { inlined: true });
  const t = b.thread("app", 7, 7);
  b.sample(b.stackOf([main, work]), t, ir, NaN, 1000);
  b.sample(b.stackOf([main]), t, dr, NaN, 5);
  b.sample(-1, t, ir, NaN, 3);
  const p = b.finish();
  const irBack = firefox.decode(Buffer.from(toFirefox(p)));
  assert.equal(irBack.unit, "samples");
  assert.deepEqual(toFolded(irBack, { annotate: true }), ["app;main;work_[i] 1000"]);
  assert.match(irBack.warnings.join(" "), /skipped 1 sample/);
  const drBack = firefox.decode(Buffer.from(toFirefox(p, { event: "Dr" })));
  assert.deepEqual(toFolded(drBack), ["app;main 5"]);
  assert.throws(() => toFirefox(p, { event: "D1mr" }), /no event 'D1mr'/);
});
