// perf script as other machines, perf versions and pipelines print it (test/fixtures/perf-script/variants/).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { toFolded } from "../../src/fold/to-folded.js";
import type { Profile } from "../../src/model/profile.js";
import { PerfScriptParser } from "../../src/samples/perf/parser.js";
import { perfScript, type PerfScriptOptions } from "../../src/samples/perf/perf-script.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { fixture, matchesGolden } from "../helpers/golden.js";

const text = (name: string) => readFileSync(fixture("perf-script", "variants", name), "utf8");
const read = (name: string, opts: PerfScriptOptions = {}) => parseInput(perfScript.parser(opts), { path: fixture("perf-script", "variants", name) });
const readText = (t: string, opts: PerfScriptOptions = {}) => parseInput(perfScript.parser(opts), t);
const records = (t: string) => t.replace(/^#.*\n/gm, "").split(/\n\n+/).filter((r) => r.trim() !== "").length;
/** The first `n` records of a fixture, each ending in a blank line. */
const firstRecords = (name: string, n: number) => text(name).split(/\n\n/).slice(0, n).join("\n\n") + "\n\n";

for (const name of readdirSync(fixture("perf-script", "variants")).filter((f) => f.endsWith(".perf.txt"))) {
  test(`perfScript.read: variants/${name} matches its golden folded stacks and summary`, async () => {
    const p = await read(name);
    const base = name.replace(/\.perf\.txt$/, "");
    matchesGolden(`perf-script/variants/${base}.folded`, toFolded(p, { annotate: true }).join("\n") + "\n");
    matchesGolden(`perf-script/variants/${base}.summary.txt`, describeProfile(p));
  });
}

test("perfScript.read: `perf script --header` comments are skipped, the records all read", async () => {
  const t = text("header.perf.txt");
  assert.match(t, /^# ========\n# captured on/);
  const p = await readText(t);
  assert.equal(p.samples.stack.length, records(t));
  assert.deepEqual(p.warnings, []);
  assert.deepEqual(toFolded(p), toFolded(await readText(t.replace(/^#.*\n/gm, ""))));
});

test("perfScript.read: a last record without its final newline is complete", async () => {
  const cut = await read("no-final-newline.perf.txt");
  const whole = await readText(firstRecords("frame-pointers.perf.txt", 3));
  assert.equal(cut.samples.stack.length, 3);
  assert.deepEqual(cut.warnings, []);
  assert.deepEqual(toFolded(cut), toFolded(whole));
});

test("perfScript.read: one record without its final newline is one sample, with no warning", async () => {
  const p = await read("one-record-no-newline.perf.txt");
  assert.equal(p.samples.stack.length, 1);
  assert.deepEqual(p.warnings, []);
  assert.equal(p.unit, "nanoseconds");
});

test("perfScript.read: a last line cut in the middle still drops only that record", async () => {
  const t = firstRecords("frame-pointers.perf.txt", 3).trimEnd();
  const p = await readText(t.slice(0, t.length - 12)); // inside the last frame line's dso
  assert.equal(p.samples.stack.length, 2);
  assert.match(p.warnings.join("\n"), /ends in the middle of a line \(truncated\?\); dropped the last, incomplete record/);
  assert.doesNotMatch(p.warnings.join("\n"), /samples have a period/);
});

test("perfScript.read: frame lines at column 0 or with a tab after the address read like indented ones", async () => {
  const original = toFolded(await readText(firstRecords("frame-pointers.perf.txt", 3)));
  for (const name of ["unindented.perf.txt", "tab-after-address.perf.txt"]) {
    const p = await read(name);
    assert.deepEqual(p.warnings, [], name);
    assert.deepEqual(toFolded(p), original, name);
  }
});

test("perfScript.read: event modifiers (cpu-clock:ppp, task-clock:u) keep the nanosecond unit", async () => {
  const ppp = await read("modifiers.perf.txt");
  assert.deepEqual(ppp.events, ["cpu-clock:ppp"]);
  assert.equal(ppp.unit, "nanoseconds");
  assert.deepEqual(toFolded(ppp, { event: "cpu-clock" }), toFolded(ppp), "the name without modifiers finds the event");
  const flat = await read("modifiers-flat.perf.txt");
  assert.deepEqual(flat.events, ["task-clock:u"]);
  assert.equal(flat.unit, "nanoseconds");
  assert.equal(flat.samples.stack.length, text("modifiers-flat.perf.txt").trim().split("\n").length);
  assert.ok(Array.from(flat.samples.stack).every((s) => s >= 0), "the frame on each right-aligned header is read");
});

test("perfScript.read: system-wide recordings: every kernel module is annotated _[k], nothing else", async () => {
  const p = await read("system-wide.perf.txt");
  assert.deepEqual(p.warnings, []);
  const kernelModules = new Set(p.frames.module.filter((_m, i) => p.frames.kind[i] === "kernel"));
  assert.deepEqual([...kernelModules].sort(), ["[kernel.kallsyms]"]);
  const folded = toFolded(p, { kernel: true });
  const kernelNames = new Set(p.frames.name.filter((_, i) => p.frames.module[i] === "[kernel.kallsyms]"));
  for (const line of folded) {
    for (const frame of line.slice(0, line.lastIndexOf(" ")).split(";").slice(1)) {
      if (frame.endsWith("_[k]")) assert.ok(kernelNames.has(frame.slice(0, -4)), frame);
      else assert.ok(!kernelNames.has(frame), `${frame} is a kernel frame without _[k]`);
    }
  }
  assert.ok(p.threads.some((t) => t.comm === "swapper"));
});

test("perfScript.read: JIT frames from /tmp/perf-PID.map get _[j] with the jit annotation only", async () => {
  const p = await read("node-jit.perf.txt");
  const jit = toFolded(p, { jit: true }).join("\n");
  assert.match(jit, /JS:[^;\n]*_\[j\]/);
  assert.doesNotMatch(jit, /\(\/usr\/bin\/node\)|v8::internal::[^;\n]*_\[j\]/, "native frames are not JIT frames");
  assert.doesNotMatch(toFolded(p).join("\n"), /_\[j\]/);
});

test("perfScript.read: a JIT agent's inline chain a->b becomes frames, the inner ones inlined", async () => {
  const p = await read("java-inline-chain.perf.txt");
  const folded = toFolded(p, { inlined: true });
  assert.deepEqual(folded, [
    "java;start_thread;call_stub;Interpreter;Lcom/example/Server;::loop;Lcom/example/Server;::handle;Lcom/example/Codec;::decode_[i] 10101010",
    "java;start_thread;call_stub;Interpreter;Lcom/example/Server;::loop;Lcom/example/Server;::handle;Lcom/example/Codec;::decode_[i];Ljava/lang/String;::hashCode_[i] 10101010",
    "java;start_thread;Lcom/example/Server;::loop;asm_exc_page_fault;Ljava/util/HashMap;::get;Ljava/util/HashMap;::getNode_[i] 10101010",
  ].map((l) => l.replace(/;::/g, ":::")).sort());
  const handle = p.frames.name.indexOf("Lcom/example/Server;::handle");
  assert.equal(p.frames.inlined[handle], false, "the outermost is the physical frame");
  assert.equal(p.frames.module[p.frames.name.indexOf("Ljava/lang/String;::hashCode")], "/tmp/perf-4242.map");
});

test("perfScript.read: half-demangled Rust legacy names are finished; cleanNames also drops the hashes", async () => {
  const p = await read("legacy-rust.perf.txt");
  assert.ok(!p.frames.name.some((n) => /\$(LT|GT|u20|C)\$/.test(n)), "no legacy escapes left");
  assert.ok(p.frames.name.some((n) => /^<T as alloc::string::ToString>::to_string::h[0-9a-f]{16}$/.test(n)));
  const clean = await read("legacy-rust.perf.txt", { cleanNames: true });
  assert.ok(clean.frames.name.includes("<T as alloc::string::ToString>::to_string"));
  assert.ok(!clean.frames.name.some((n) => /::h[0-9a-f]{16}$/.test(n)));
});

test("perfScript.read: std's v0 symbols perf left mangled (`_RNv…`) are demangled; cleanNames gives the short form", async () => {
  const mangled = text("legacy-rust.perf.txt").match(/\s_R[0-9A-Za-z_]+/g) ?? [];
  assert.ok(mangled.length > 100, `the fixture has ${mangled.length} mangled v0 frames`);
  const p = await read("legacy-rust.perf.txt");
  assert.deepEqual(p.frames.name.filter((n) => /^_{0,2}(R|ZN)/.test(n)), [], "no mangled frame names left");
  assert.ok(p.frames.name.includes("alloc[fdfd2bd8633a6659]::alloc::realloc"), "c++filt's form, crate disambiguators kept");
  const clean = await read("legacy-rust.perf.txt", { cleanNames: true });
  assert.deepEqual(clean.frames.name.filter((n) => /^_{0,2}(R|ZN)|\[[0-9a-f]+\]/.test(n)), []);
  for (const n of ["alloc::alloc::realloc", "<alloc::alloc::Global>::grow_impl", "__rustc::__rdl_realloc", "std::rt::lang_start_internal::{closure#0}"]) {
    assert.ok(clean.frames.name.includes(n), n);
  }
  assert.ok(clean.frames.name.includes("<std::alloc::System as core::alloc::global::GlobalAlloc>::realloc"));
});

test("perfScript.read: -F comm,tid,ip (ids-only headers, bare addresses) and frames without a dso", async () => {
  const ids = await read("ids-only.perf.txt");
  assert.equal(ids.samples.stack.length, records(text("ids-only.perf.txt")));
  assert.deepEqual(ids.warnings, []);
  assert.deepEqual([...new Set(ids.frames.name)], ["[unknown]"]);
  const addrs = await read("ids-only.perf.txt", { addrs: true });
  assert.ok(addrs.frames.name.every((n) => /^\[unknown <[0-9a-f]+>\]$/.test(n)), addrs.frames.name.join(" "));
  const noDso = await read("no-dso.perf.txt");
  assert.deepEqual(noDso.warnings, []);
  assert.ok(noDso.frames.name.includes("wordfreq::process::process"));
  assert.equal(noDso.unit, "samples", "no period printed: samples are counted");
});

test("perfScript.read: --addrs names an unresolved frame after its binary and address", async () => {
  const t = "app 1 1.0: 1 cpu-clock:\n\t7f12ab [unknown] (/usr/lib/libc.so.6)\n\t55aa main+0x1 (/bin/app)\n\n";
  assert.deepEqual(toFolded(await readText(t, { addrs: true })), ["app;main;[libc.so.6 <7f12ab>] 1"]);
  assert.deepEqual(toFolded(await readText(t)), ["app;main;[libc.so.6] 1"]);
});

test("perfScript.read: the record-at-once path gives exactly what the line-by-line path gives", async () => {
  const names = [
    ...readdirSync(fixture("perf-script")).filter((f) => f.endsWith(".perf.txt")).map((f) => fixture("perf-script", f)),
    ...readdirSync(fixture("perf-script", "variants")).filter((f) => f.endsWith(".perf.txt")).map((f) => fixture("perf-script", "variants", f)),
  ];
  for (const path of names) {
    const t = readFileSync(path, "utf8");
    const fast = await parseInput(perfScript.parser(), t + t); // twice: the second copy hits the block cache
    const slow = new PerfScriptParser({});
    const lines = (t + t).split("\n");
    const last = lines.pop()!;
    lines.forEach((l, i) => slow.line(l, i + 1));
    assertSameProfile(fast, slow.end(last, lines.length + 1), path);
  }
});

test("toFolded: --event all folds every event under a root named after it", async () => {
  const p = await parseInput(perfScript.parser(), { path: fixture("perf-script", "two-events.perf.txt") });
  const all = toFolded(p, { event: "all" });
  assert.ok(all.some((l) => l.startsWith("cpu-clock;")) && all.some((l) => l.startsWith("task-clock;")));
  const sum = (lines: string[]) => lines.reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  assert.equal(sum(all), sum(toFolded(p, { event: "cpu-clock" })) + sum(toFolded(p, { event: "task-clock" })));
});

function assertSameProfile(a: Profile, b: Profile, name: string): void {
  assert.deepEqual(toFolded(a, { annotate: true, tid: true }), toFolded(b, { annotate: true, tid: true }), name);
  assert.deepEqual(a.frames, b.frames, name);
  assert.deepEqual(Array.from(a.samples.stack), Array.from(b.samples.stack), name);
  assert.deepEqual(Array.from(a.samples.time), Array.from(b.samples.time), name);
  assert.deepEqual(Array.from(a.samples.weight), Array.from(b.samples.weight), name);
  assert.deepEqual(a.warnings, b.warnings, name);
  assert.equal(a.unit, b.unit, name);
}
