import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { toFolded } from "../../src/fold/to-folded.js";
import { stackShare, totalWeight } from "../../src/fold/function-totals.js";
import { lineFeeder, parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { fixture, matchesGolden } from "../helpers/golden.js";

const read = (name: string, opts = {}) => parseInput(perfScript.parser(opts), { path: fixture("perf-script", name) });

const fixtures = readdirSync(fixture("perf-script")).filter((f) => f.endsWith(".perf.txt"));

for (const name of fixtures) {
  test(`perfScript.read: ${name} matches its golden folded stacks and summary`, async () => {
    const p = await read(name);
    const base = name.replace(/\.perf\.txt$/, "");
    matchesGolden(`perf-script/${base}.folded`, toFolded(p, { annotate: true }).join("\n") + "\n");
    matchesGolden(`perf-script/${base}.summary.txt`, describeProfile(p));
  });
}

test("perfScript.read: inlined frames stay as their own frames, with the dso of their physical frame", async () => {
  const p = await read("clone-in-loop.before.perf.txt");
  const i = p.frames.name.findIndex((n) => n === "<T as alloc::string::ToString>::to_string");
  assert.ok(i >= 0, "to_string is a frame");
  assert.equal(p.frames.inlined[i], true);
  assert.match(p.frames.module[i]!, /wordfreq-before$/);
  assert.equal(p.frames.kind[i], "rust");
  const process = p.frames.name.indexOf("wordfreq::process::process");
  assert.equal(p.frames.inlined[process], false);
});

test("perfScript.read: the clone-in-loop fixtures show to_string before the fix and not after", async () => {
  const before = await read("clone-in-loop.before.perf.txt");
  const after = await read("clone-in-loop.after.perf.txt");
  assert.ok(stackShare(before, /to_string/) >= 0.1, `before: ${stackShare(before, /to_string/)}`);
  assert.ok(stackShare(after, /to_string/) <= 0.02, `after: ${stackShare(after, /to_string/)}`);
});

test("perfScript.read: kernel frames are classified as kernel and unresolved ones are named after their binary", async () => {
  // a system-wide recording (perf record -a -g) has kernel stacks: every [kernel.kallsyms] frame is "kernel", no other is
  const p = await parseInput(perfScript.parser(), { path: fixture("perf-script", "variants", "system-wide.perf.txt") });
  const kernel = p.frames.module.map((m, i) => [m, p.frames.kind[i]] as const);
  assert.ok(kernel.filter(([m]) => m === "[kernel.kallsyms]").length > 20, "the fixture has kernel frames");
  for (const [m, kind] of kernel) assert.equal(kind === "kernel", m === "[kernel.kallsyms]", `${m}: ${kind}`);
  const q = await parseInput(perfScript.parser(), "app 1 1.000001: 1 cpu-clock:\n\t 7f01 [unknown] (/usr/lib/libfoo.so.1)\n\t 0 [unknown] ([unknown])\n\n");
  assert.deepEqual(q.frames.name, ["[libfoo.so.1]", "[unknown]"]);
  assert.deepEqual(q.frames.kind, ["unknown", "unknown"]);
});

test("perfScript.read: comm names with spaces and several threads", async () => {
  const p = await read("threads.perf.txt");
  const comms = new Set(p.threads.map((t) => t.comm));
  assert.deepEqual([...comms].sort(), ["worker one", "worker two"]);
  assert.equal(new Set(p.threads.map((t) => t.tid)).size, 2);
});

test("perfScript.read: pid/tid and [cpu] headers give both ids", async () => {
  const p = await read("fields-pid-tid-cpu.perf.txt");
  assert.ok(p.threads.every((t) => t.pid > 0 && t.tid > 0));
  assert.ok(p.samples.time.every((t) => t > 0));
});

test("perfScript.read: samples are weighted by perf's period when it is printed, else counted", async () => {
  const withPeriod = await parseInput(perfScript.parser(), "a 1 1.000001: 1003009 cpu-clock:\n\t 10 f (/b)\n\na 1 1.002001: 997000 cpu-clock:\n\t 10 f (/b)\n\n");
  assert.equal(withPeriod.unit, "nanoseconds");
  assert.deepEqual([...withPeriod.samples.weight], [1003009, 997000]);
  const cycles = await parseInput(perfScript.parser(), "a 1 1.000001: 250000 cycles:\n\t 10 f (/b)\n\n");
  assert.equal(cycles.unit, "events");
  const noPeriod = await read("fields-no-time.perf.txt");
  assert.equal(noPeriod.unit, "samples");
  assert.ok(noPeriod.samples.weight.every((w) => w === 1));
});

test("perfScript.read: headers without time or without event", async () => {
  const noTime = await read("fields-no-time.perf.txt");
  assert.ok(noTime.samples.time.every((t) => Number.isNaN(t)));
  assert.deepEqual(noTime.events, ["cpu-clock"]);
  const noEvent = await read("fields-no-event.perf.txt");
  assert.deepEqual(noEvent.events, ["samples"]);
  assert.equal(noEvent.samples.stack.length, noTime.samples.stack.length);
  assert.deepEqual(toFolded(noEvent), toFolded(noTime));
});

test("perfScript.read: several events in one file; folding picks one", async () => {
  const p = await read("two-events.perf.txt");
  assert.deepEqual(p.events, ["cpu-clock", "task-clock"]);
  const count = (lines: string[]) => lines.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  const cpu = count(toFolded(p));
  const task = count(toFolded(p, { event: "task-clock" }));
  assert.equal(cpu + task, totalWeight(p));
  assert.equal(p.unit, "nanoseconds", "cpu-clock periods are nanoseconds");
  assert.ok(cpu > 0 && task > 0);
  assert.throws(() => toFolded(p, { event: "cycles" }), /no event 'cycles'.*cpu-clock, task-clock/);
});

test("perfScript.read: srclines give files and mark inlined frames", async () => {
  const p = await read("srcline.perf.txt");
  const plain = await parseInput(perfScript.parser(), readFileSync(fixture("perf-script", "srcline.perf.txt"), "utf8").replace(/^ {2}\S.*\n/gm, ""));
  // `__mmap64+0x13` followed by `  mmap64.c:58 (inlined)`: inlined, with the dso of the physical frame below
  const i = p.frames.name.findIndex((n, k) => n === "__mmap64" && p.frames.inlined[k]);
  assert.ok(i >= 0, "__mmap64 is marked inlined by its srcline");
  assert.match(p.frames.module[i]!, /ld-linux/, "the dso of the physical frame below it (__minimal_malloc)");
  assert.ok(p.frames.file.some((f) => f !== null && /\.(rs|c)$/.test(f)));
  // without srclines the same stacks remain (frames lose their inlined mark only)
  assert.equal(plain.samples.stack.length, p.samples.stack.length);
});

test("perfScript.read: without a call graph, the ip on the right-aligned header line is the one frame", async () => {
  const p = await read("no-callgraph.perf.txt");
  assert.equal(p.samples.stack.length, 40);
  for (let i = 0; i < p.samples.stack.length; i++) assert.equal(p.stacks.parent[p.samples.stack[i]!], -1);
});

test("perfScript.read: the same result whatever the chunk boundaries (bytes split inside lines and characters)", async () => {
  const bytes = Buffer.concat([
    readFileSync(fixture("perf-script", "threads.perf.txt")),
    Buffer.from("prog ünïcødé 7 2.000001: 1 cpu-clock:\n\t 55d0 naïve::façade+0x1 (/bin/prog)\n\n", "utf8"),
  ]);
  const whole = toFolded(await parseInput(perfScript.parser(), bytes));
  let seed = 7;
  for (let round = 0; round < 5; round++) {
    const feed = lineFeeder(perfScript.parser());
    for (let at = 0; at < bytes.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % (round === 0 ? 3 : 400));
      feed.write(bytes.subarray(at, at + n));
      at += n;
    }
    assert.deepEqual(toFolded(feed.end()), whole);
  }
  assert.ok(whole.some((l) => l.startsWith("prog ünïcødé;naïve::façade ")));
});

test("perfScript.read: cleanNames strips legacy Rust hashes", async () => {
  const text = "app 1 1.000001: 1 cpu-clock:\n\t 10 wordfreq::process::h0123456789abcdef+0x10 (/bin/app)\n\n";
  const raw = await parseInput(perfScript.parser(), text);
  const clean = await parseInput(perfScript.parser({ cleanNames: true }), text);
  assert.deepEqual(raw.frames.name, ["wordfreq::process::h0123456789abcdef"]);
  assert.deepEqual(clean.frames.name, ["wordfreq::process"]);
});

test("perfScript.read: a dso path with parentheses is kept whole", async () => {
  const p = await parseInput(perfScript.parser(), "app 1 1.000001: 1 cpu-clock:\n\t 10 f (/tmp/app (deleted))\n\t 20 main (/tmp/app (deleted))\n\n");
  assert.deepEqual(p.frames.module, ["/tmp/app (deleted)", "/tmp/app (deleted)"]);
  assert.deepEqual(toFolded(p), ["app;main;f 1"]);
});

test("perfScript.read: side-band records (--show-mmap-events, --show-switch-events) are not samples and make no event", async () => {
  const t =
    "wordfreq 2206/2206 [001] 1969.100000: PERF_RECORD_MMAP2 2206/2206: [0x55d0c1a00000(0x1000) @ 0 08:01 123 0]: r-xp /tmp/wordfreq\n" +
    "wordfreq 2206/2206 [001] 1969.165950:    1003009 cpu-clock: \n\t    55d0c1a2 main+0x1f (/tmp/wordfreq)\n\n" +
    "wordfreq 2206/2206 [001] 1969.170000: PERF_RECORD_SWITCH OUT preempt  next pid/tid:     0/0    \n";
  const p = await parseInput(perfScript.parser(), t);
  assert.deepEqual(p.events, ["cpu-clock"]);
  assert.equal(p.samples.stack.length, 1);
  assert.deepEqual(toFolded(p), ["wordfreq;main 1003009"]);
  assert.deepEqual(p.warnings, []);
});

test("perfScript.sniff: recognises perf script output and not folded stacks", () => {
  const head = readFileSync(fixture("perf-script", "clone-in-loop.before.perf.txt"), "utf8").slice(0, 4096);
  assert.equal(perfScript.sniff(head), true);
  assert.equal(perfScript.sniff("main;work 3\nmain;idle 1\n"), false);
});
