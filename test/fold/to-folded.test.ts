import assert from "node:assert/strict";
import { test } from "node:test";
import { toFolded } from "../../src/fold/to-folded.js";
import { totalWeight } from "../../src/fold/function-totals.js";
import { ProfileBuilder } from "../../src/model/profile-builder.js";
import { folded } from "../../src/samples/folded/folded.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { openProfile } from "../../src/samples/registry.js";
import { fixture } from "../helpers/golden.js";

function small() {
  const b = new ProfileBuilder({ format: "test" });
  const main = b.frame("main", "/bin/app");
  const work = b.frame("work", "/bin/app");
  const inl = b.frame("helper", "/bin/app", { inlined: true });
  const k = b.frame("clear_page_erms", "[kernel.kallsyms]");
  const semi = b.frame("<[u8; 4] as Debug>::fmt", "/bin/app");
  const t1 = b.thread("app", 10, 10);
  const t2 = b.thread("app", 10, 11);
  const ev = b.event("cpu-clock");
  b.sample(b.stackOf([main, work, inl]), t1, ev, 1, 1);
  b.sample(b.stackOf([main, work, inl]), t2, ev, 2, 1);
  b.sample(b.stackOf([main, work, k]), t1, ev, 3, 1);
  b.sample(b.stackOf([main, semi]), t1, ev, 4, 2);
  return b.finish();
}

test("toFolded: root first, the process name as root frame, sorted, counts merged across threads", () => {
  assert.deepEqual(toFolded(small()), [
    "app;main;<[u8: 4] as Debug>::fmt 2",
    "app;main;work;clear_page_erms 1",
    "app;main;work;helper 2",
  ]);
});

test("toFolded: pname false, pid, tid and annotate options", () => {
  const p = small();
  assert.deepEqual(toFolded(p, { pname: false }), ["main;<[u8: 4] as Debug>::fmt 2", "main;work;clear_page_erms 1", "main;work;helper 2"]);
  assert.ok(toFolded(p, { pid: true }).every((l) => l.startsWith("app-10;")));
  assert.deepEqual(
    toFolded(p, { tid: true }).filter((l) => l.includes("helper")),
    ["app-10/10;main;work;helper 1", "app-10/11;main;work;helper 1"],
  );
  const annotated = toFolded(p, { annotate: true });
  assert.ok(annotated.includes("app;main;work;clear_page_erms_[k] 1"));
  assert.ok(annotated.includes("app;main;work;helper_[i] 2"));
});

test("toFolded → folded importer → toFolded keeps every stack and weight (perf fixture)", async () => {
  const p = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.before.perf.txt") });
  const once = toFolded(p, { annotate: true });
  const back = await parseInput(folded.parser(), once.join("\n") + "\n");
  assert.deepEqual(toFolded(back, { annotate: true, pname: false }), once);
  const total = (lines: string[]) => lines.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  assert.equal(total(once), totalWeight(p));
  // annotations come back as attributes
  assert.equal(back.frames.inlined.filter(Boolean).length, new Set(p.frames.name.filter((_, i) => p.frames.inlined[i])).size);
});

test("toFolded: a thread without a name adds no empty root, so folded → open → toFolded is the same text", async () => {
  const lines = ["wordfreq;main;process 7", "wordfreq;main;process;to_string 5"];
  const p = await openProfile(Buffer.from(lines.join("\n") + "\n"), { format: "folded" });
  assert.deepEqual(toFolded(p), lines);
  assert.deepEqual(toFolded(p, { pname: false }), lines);
});

test("toFolded: stacks that print the same are one line (inlined and not, without annotate)", () => {
  const b = new ProfileBuilder({ format: "test" });
  const t = b.thread("app", 1, 1);
  const ev = b.event("samples");
  const main = b.frame("main", "app");
  const inl = b.frame("alloc_perturb", "libc", { inlined: true });
  const notInl = b.frame("alloc_perturb", "libc");
  b.sample(b.stackOf([main, inl]), t, ev, NaN, 2);
  b.sample(b.stackOf([main, notInl]), t, ev, NaN, 3);
  const p = b.finish();
  assert.deepEqual(toFolded(p), ["app;main;alloc_perturb 5"]);
  assert.deepEqual(toFolded(p, { annotate: true }), ["app;main;alloc_perturb 3", "app;main;alloc_perturb_[i] 2"]);
});
