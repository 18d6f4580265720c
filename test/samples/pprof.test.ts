import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { Function as PprofFunction, Label, Line, Location, Mapping, Profile as PprofMessage, Sample, StringTable, ValueType } from "pprof-format";
import { totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import { ProfileBuilder } from "../../src/model/profile-builder.js";
import type { Profile } from "../../src/model/profile.js";
import { folded } from "../../src/samples/folded/folded.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { chooseSampleType, weightUnit } from "../../src/samples/pprof/sample-type.js";
import { pprof, toPprof } from "../../src/samples/pprof/pprof.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { validProfileOrFormatError } from "../helpers/format-error.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

const pprofFixture = (name: string) => readFileSync(fixture("pprof", name));
const perf = (name: string) => parseInput(perfScript.parser(), { path: fixture("perf-script", name) });
const folding = { tid: true, annotate: true } as const;

/** Decodes and checks: a valid profile, or a FormatError; anything else fails the property. */
function decodesOrFormatError(bytes: Uint8Array): void {
  validProfileOrFormatError(() => pprof.decode(bytes));
}

/** A pprof message built by hand: by default valid; `patch` breaks one thing. */
function handMessage(patch: (parts: { s: StringTable; sample: Sample[]; location: Location[]; fn: PprofFunction[]; mapping: Mapping[] }) => void = () => {}): Uint8Array {
  const s = new StringTable();
  const mapping = [new Mapping({ id: 1, filename: s.dedup("/bin/app") })];
  const fn = [new PprofFunction({ id: 1, name: s.dedup("main") }), new PprofFunction({ id: 2, name: s.dedup("work") })];
  const location = [new Location({ id: 1, mappingId: 1, line: [new Line({ functionId: 1 })] }), new Location({ id: 2, mappingId: 1, line: [new Line({ functionId: 2 })] })];
  const sample = [new Sample({ locationId: [2, 1], value: [5] })];
  const parts = { s, sample, location, fn, mapping };
  patch(parts);
  return new PprofMessage({ sampleType: [new ValueType({ type: s.dedup("samples"), unit: s.dedup("count") })], stringTable: s, ...parts, function: parts.fn }).encode();
}

const pprofFixtures = readdirSync(fixture("pprof")).filter((f) => /\.pb(\.gz)?$/.test(f));

for (const name of pprofFixtures) {
  test(`pprof.decode: ${name} matches its golden folded stacks and summary`, () => {
    const p = pprof.decode(pprofFixture(name), { source: name });
    assertValid(p, { emptyStacks: true });
    const base = name.replace(/\.pb(\.gz)?$/, "");
    matchesGolden(`pprof/${base}.folded`, toFolded(p, folding).join("\n") + "\n");
    matchesGolden(`pprof/${base}.summary.txt`, describeProfile(p, { modules: "after kinds", timed: "none", sourceLines: true }));
  });
}

test("pprof.decode: the raw and the gzipped hand-written profile read the same", () => {
  const raw = pprof.decode(pprofFixture("hand-inlined.pb"));
  const gz = pprof.decode(pprofFixture("hand-inlined.pb.gz"));
  assert.deepEqual(toFolded(gz, folding), toFolded(raw, folding));
  assert.deepEqual(gz.frames, raw.frames);
});

const perfFixtures = readdirSync(fixture("perf-script")).filter((f) => f.endsWith(".perf.txt"));

for (const name of perfFixtures) {
  test(`toPprof → pprof.decode: ${name} round-trips every stack, weight, thread, event and inlined mark`, async () => {
    const original = await perf(name);
    const bytes = toPprof(original);
    for (const event of original.events) {
      const back = pprof.decode(bytes, { sampleType: event });
      assertValid(back, { emptyStacks: true });
      assert.deepEqual(back.events, [event]);
      assert.equal(back.unit, original.unit);
      assert.deepEqual(toFolded(back, folding), toFolded(original, { ...folding, event }));
      assert.deepEqual(toFolded(back, { pname: false, annotate: true }), toFolded(original, { pname: false, annotate: true, event }));
    }
    const back = pprof.decode(bytes);
    // pprof has no line 0 (perf-script reads `??:0` as line 0): it comes back unknown
    const row = (p: Profile, i: number) => `${p.frames.name[i]}|${p.frames.module[i]}|${p.frames.inlined[i]}|${p.frames.kind[i]}|${p.frames.file[i]}|${p.frames.line[i] || null}`;
    const frames = (p: Profile) => p.frames.name.map((_, i) => row(p, i)).sort();
    if (original.events.length === 1) assert.deepEqual(frames(back), frames(original));
    assert.deepEqual(
      back.threads.map((t) => JSON.stringify(t)).sort(),
      [...new Set(original.threads.map((t) => JSON.stringify(t)))].sort(),
    );
  });
}

test("toPprof → pprof.decode: a folded profile keeps kernel (_[k]) and inlined (_[i]) frames, an empty comm and fractional-free weights", async () => {
  const text = "main;read_[k];vfs_read_[k] 3\nmain;work;helper_[i] 4\nroot_inl_[i];leaf 1\nmain 2\n";
  const original = await parseInput(folded.parser(), text);
  const back = pprof.decode(toPprof(original, { gzip: false }));
  assert.deepEqual(toFolded(back, folding), toFolded(original, folding));
  assert.equal(back.threads[0]!.comm, "");
  // an inlined frame at the root has no physical frame to be folded into: it keeps a `_[i]` suffix in pprof
  assert.deepEqual(toFolded(back, { pname: false, annotate: true }), ["main 2", "main;read_[k];vfs_read_[k] 3", "main;work;helper_[i] 4", "root_inl_[i];leaf 1"]);
  assert.deepEqual(back.frames.kind.filter((k) => k === "kernel").length, 2);
});

test("pprof.decode: inlined frames of a Location come back marked inlined, with file, line and the mapping's module", () => {
  const p = pprof.decode(pprofFixture("hand-inlined.pb.gz"));
  const at = (name: string) => p.frames.name.indexOf(name);
  for (const [name, inlined, file, line] of [
    ["core::str::converts::from_utf8", true, "/rustc/library/core/src/str/converts.rs", 87],
    ["server::parse::header", true, "src/parse.rs", 40],
    ["server::handle", false, "src/handle.rs", 19],
  ] as const) {
    const i = at(name);
    assert.ok(i >= 0, name);
    assert.equal(p.frames.inlined[i], inlined, name);
    assert.equal(p.frames.file[i], file);
    assert.equal(p.frames.line[i], line);
    assert.equal(p.frames.module[i], "/srv/bin/server");
  }
  assert.ok(toFolded(p, { pname: false }).includes("server::main;server::handle;server::parse::header;core::str::converts::from_utf8 30000000"));
  const unsymbolized = at("0x7f0000002abc");
  assert.equal(p.frames.kind[unsymbolized], "unknown");
  assert.equal(p.frames.module[unsymbolized], "/usr/lib/x86_64-linux-gnu/libc.so.6");
});

test("pprof.decode: sampleType picks the values; the default is default_sample_type", () => {
  const bytes = pprofFixture("hand-inlined.pb.gz");
  const cpu = pprof.decode(bytes);
  assert.deepEqual(cpu.events, ["cpu"]);
  assert.equal(cpu.unit, "nanoseconds");
  assert.equal(totalWeight(cpu), 80_000_000);
  const samples = pprof.decode(bytes, { sampleType: "samples" });
  assert.deepEqual(samples.events, ["samples"]);
  assert.equal(samples.unit, "samples");
  assert.equal(totalWeight(samples), 12, "the sample with 0 cpu counts here");
  assert.deepEqual(toFolded(pprof.decode(bytes, { sampleType: "0" })), toFolded(samples), "an index works like go tool pprof -sample_index");
  assert.throws(() => pprof.decode(bytes, { sampleType: "alloc_space" }), /no sample type 'alloc_space'; it has: samples, cpu/);
  const two = pprof.decode(pprofFixture("two-events.pb.gz"));
  assert.deepEqual(two.events, ["cpu-clock"], "default_sample_type is the first event toPprof wrote");
});

test("chooseSampleType: default_sample_type, then cpu, then samples, then the last type", () => {
  const vt = (...names: string[]) => names.map((type) => ({ type, unit: "count" }));
  assert.equal(chooseSampleType(vt("alloc_objects", "alloc_space", "inuse_space"), { defaultType: "alloc_space" }), 1);
  assert.equal(chooseSampleType(vt("samples", "cpu")), 1);
  assert.equal(chooseSampleType(vt("samples", "wall")), 0);
  assert.equal(chooseSampleType(vt("alloc_objects", "alloc_space")), 1);
  assert.equal(chooseSampleType(vt("a", "b"), { requested: "c" }), -1);
});

test("weightUnit: time units become nanoseconds, count becomes samples; unknown units count events", () => {
  assert.deepEqual(weightUnit("nanoseconds"), { unit: "nanoseconds", scale: 1 });
  assert.deepEqual(weightUnit("microseconds"), { unit: "nanoseconds", scale: 1000 });
  assert.deepEqual(weightUnit("count"), { unit: "samples", scale: 1 });
  assert.deepEqual(weightUnit("bytes"), { unit: "bytes", scale: 1 });
  assert.deepEqual(weightUnit("constructor"), { unit: "events", scale: 1 });
});

test("pprof.decode: threads come from thread/thread_id labels; samples without labels get the first mapping's name", () => {
  const p = pprof.decode(pprofFixture("hand-inlined.pb.gz"));
  assert.deepEqual(
    p.threads.map((t) => [t.comm, t.pid, t.tid]),
    [
      ["main", -1, 101],
      ["worker", -1, 102],
      ["server", -1, -1],
    ],
  );
  const noMapping = pprof.decode(handMessage(({ mapping, location }) => {
    mapping.length = 0;
    for (const l of location) l.mappingId = 0;
  }));
  assert.deepEqual(noMapping.threads, [{ comm: "pprof", pid: -1, tid: -1 }]);
  const tidOnly = pprof.decode(handMessage(({ s, sample }) => {
    sample[0]!.label = [new Label({ key: s.dedup("tid"), str: s.dedup("4242") }), new Label({ key: s.dedup("pid"), num: 7 })];
  }));
  assert.deepEqual(tidOnly.threads, [{ comm: "app", pid: 7, tid: 4242 }]);
});

test("pprof.decode: malformed input is a FormatError naming what is wrong", () => {
  const gz = pprofFixture("clone-in-loop.before.pb.gz");
  const raw = pprofFixture("hand-inlined.pb");
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty", new Uint8Array(0), /empty input/],
    ["truncated gzip", gz.subarray(0, gz.length >> 1), /complete gzip stream/],
    ["gzip with a broken checksum", Buffer.concat([gz.subarray(0, gz.length - 8), Buffer.alloc(8, 0x55)]), /gzip/],
    ["truncated protobuf", raw.subarray(0, raw.length - 3), /byte offset \d+/],
    ["random bytes", Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 31) & 0xff), /pprof line 1/],
    ["text", Buffer.from("main;work 3\n"), /pprof line 1/],
    ["fixed64 wire type", Uint8Array.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8]), /wire type 2 for field 1 in Profile at byte offset 0, got 'wire type 1'/],
    ["a string table entry as a varint", Uint8Array.from([0x30, 0x05]), /wire type 2 for field 6/],
    ["dangling location id", handMessage(({ sample }) => sample[0]!.locationId.push(99)), /refers to location 99/],
    ["dangling function id", handMessage(({ location }) => location[1]!.line.push(new Line({ functionId: 42 }))), /refers to function 42/],
    ["dangling mapping id", handMessage(({ location }) => (location[0]!.mappingId = 3)), /refers to mapping 3/],
    ["negative value", handMessage(({ sample }) => (sample[0]!.value = [-5])), /non-negative integer.*got '-5'.*diff profiles/s],
    ["huge value", handMessage(({ sample }) => (sample[0]!.value = [2 ** 60])), /below 2\^53/],
    ["string index past the table", handMessage(({ fn }) => (fn[0]!.name = 1000)), /string table index below/],
    ["two values for one sample type", handMessage(({ sample }) => (sample[0]!.value = [1, 2])), /1 values in Sample 0/],
    ["location id 0", handMessage(({ location }) => (location[0]!.id = 0)), /nonzero, unique Location\.id/],
    ["duplicate function id", handMessage(({ fn }) => (fn[1]!.id = 1)), /a second Function with id 1/],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(
      () => pprof.decode(bytes, { source: "bad.pb.gz" }),
      (e: unknown) => e instanceof FormatError && e.format === "pprof" && e.line === 1 && e.source === "bad.pb.gz" && message.test(e.message),
      what,
    );
  }
});

test("pprof.decode: a profile without samples or sample types is empty, with a warning", () => {
  const p = pprof.decode(new PprofMessage({ mapping: [new Mapping({ id: 1 })] }).encode());
  assert.equal(p.samples.stack.length, 0);
  assert.match(p.warnings.join(), /no sample types/);
  const zero = pprof.decode(handMessage(({ sample }) => (sample[0]!.value = [0])));
  assert.equal(zero.samples.stack.length, 0);
  assert.match(zero.warnings.join(), /no samples with a nonzero 'samples' value/);
});

test("pprof.sniff: recognises pprof (gzipped or not) from its head, and nothing else", () => {
  for (const name of pprofFixtures) {
    const bytes = pprofFixture(name);
    assert.equal(pprof.sniff("", bytes.subarray(0, 4096)), true, name);
    if (name.endsWith(".gz")) assert.equal(pprof.sniff("", gunzipSync(bytes).subarray(0, 64)), true, `${name} gunzipped, cut`);
  }
  const no = [
    Buffer.from("main;work 3\nmain;idle 1\n"),
    readFileSync(fixture("perf-script", "threads.perf.txt")).subarray(0, 4096),
    gzipSync(Buffer.from("main;work 3\n")),
    Buffer.from("\n\nhello"),
    Uint8Array.from([0x0a, 0x02, 0x41, 0x42, 0x12, 0x00]),
    new Uint8Array(0),
  ];
  for (const bytes of no) assert.equal(pprof.sniff(bytes.toString(), bytes), false, JSON.stringify(bytes.subarray(0, 16).toString()));
  assert.equal(pprof.sniff("\x0a\x04\x08\x01\x10\x02"), false, "no bytes, no binary sniffing");
});

test("toPprof: sample types per event, labels, period and duration; the event option; fractional weights throw", async () => {
  const two = await perf("two-events.perf.txt");
  const msg = PprofMessage.decode(gunzipSync(toPprof(two)));
  const str = (i: number | bigint) => msg.stringTable.strings[Number(i)];
  assert.deepEqual(msg.sampleType.map((t) => [str(t.type), str(t.unit)]), [["cpu-clock", "nanoseconds"], ["task-clock", "nanoseconds"]]);
  assert.equal(str(msg.defaultSampleType), "cpu-clock");
  assert.equal(str(msg.periodType!.type), "cpu");
  assert.ok(Number(msg.period) > 900_000, "perf's period, about 1 ms at -F 997");
  assert.ok(Number(msg.durationNanos) > 0);
  assert.deepEqual([...new Set(msg.sample.flatMap((s) => s.label.map((l) => str(l.key))))].sort(), ["thread", "tid"]);
  const only = pprof.decode(toPprof(two, { event: "task-clock" }));
  assert.deepEqual(only.events, ["task-clock"]);
  assert.deepEqual(toFolded(only, folding), toFolded(two, { ...folding, event: "task-clock" }));
  assert.throws(() => toPprof(two, { event: "cycles" }), /no event 'cycles'/);
  const half = await parseInput(folded.parser(), "main;work 0.5\n");
  assert.throws(() => toPprof(half), /pprof values are integers/);
});

test("toPprof → pprof.decode: random profiles round-trip their folded stacks", () => {
  const name = fc.constantFrom("main", "work", "<T as a::B>::c", "naïve::façade", "kernel_fn", "x;y", "a_[k]", "[unknown]"); // not "": it comes back "[unknown]"
  const frame = fc.record({ name, module: fc.constantFrom("", "/bin/app", "[kernel.kallsyms]"), inlined: fc.boolean() });
  const sample = fc.record({
    stack: fc.array(fc.nat(5), { maxLength: 6 }),
    thread: fc.nat(2),
    event: fc.nat(1),
    weight: fc.integer({ min: 0, max: 2 ** 40 }),
  });
  fc.assert(
    fc.property(fc.array(frame, { minLength: 6, maxLength: 6 }), fc.array(sample, { maxLength: 20 }), (frames, samples) => {
      const b = new ProfileBuilder({ format: "test", unit: "nanoseconds" });
      const ids = frames.map((f) => b.frame(f.name, f.module, { inlined: f.inlined }));
      const threads = [b.thread("a", 1, 1), b.thread("b b", -1, 2), b.thread("", -1, -1)];
      const events = [b.event("e0"), b.event("e1")];
      for (const s of samples) b.sample(b.stackOf(s.stack.map((k) => ids[k]!)), threads[s.thread]!, events[s.event]!, NaN, s.weight);
      const original = b.finish();
      const bytes = toPprof(original);
      for (const event of original.events) {
        const back = pprof.decode(bytes, { sampleType: event });
        assertValid(back, { emptyStacks: true });
        const fold = (p: Profile, e?: string) => toFolded(p, { tid: true, annotate: true, event: e }).filter((l) => !l.endsWith(" 0"));
        assert.deepEqual(fold(back), fold(original, event));
      }
    }),
    { numRuns: 1_000, seed: 11 },
  );
});

test("pprof.decode (property): random bytes give a valid profile or a FormatError", () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 60 }).map((b) => Uint8Array.from([0x0a, ...b])),
    fc.uint8Array({ maxLength: 60 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])),
  );
  fc.assert(fc.property(bytes, decodesOrFormatError), { numRuns: 10_000, seed: 1 });
});

test("pprof.decode (property): mutated valid pprof buffers (flipped, inserted, truncated bytes) give a valid profile or a FormatError", async () => {
  const bases = [
    pprofFixture("hand-inlined.pb"),
    gunzipSync(pprofFixture("clone-in-loop.before.pb.gz")),
    gunzipSync(pprofFixture("threads.pb.gz")),
    pprofFixture("hand-inlined.pb.gz"),
  ];
  const mutation = fc.record({
    base: fc.nat(bases.length - 1),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 }))),
    cut: fc.option(fc.nat()),
  });
  fc.assert(
    fc.property(mutation, ({ base, flips, insert, cut }) => {
      let b = Buffer.from(bases[base]!);
      for (const [at, v] of flips) b[at % b.length] = v;
      if (insert) {
        const at = insert[0] % b.length;
        b = Buffer.concat([b.subarray(0, at), insert[1], b.subarray(at)]);
      }
      if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
      decodesOrFormatError(b);
    }),
    { numRuns: 10_000, seed: 2 },
  );
});

test("pprof.decode (property): hand-built messages with random ids, string indices and int64 values give a valid profile or a FormatError", () => {
  const num = fc.oneof(fc.nat(6), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(2n ** 63n, 2n ** 53n, 2n ** 53n - 1n));
  const message = fc.record({
    types: fc.nat(3),
    defaultType: num,
    mappings: fc.array(fc.record({ id: num, filename: num }), { maxLength: 3 }),
    functions: fc.array(fc.record({ id: num, name: num, filename: num }), { maxLength: 4 }),
    locations: fc.array(fc.record({ id: num, mappingId: num, address: num, line: fc.array(fc.record({ functionId: num, line: num }), { maxLength: 3 }) }), { maxLength: 4 }),
    samples: fc.array(fc.record({ locationId: fc.array(num, { maxLength: 4 }), value: fc.array(num, { maxLength: 3 }), label: fc.array(fc.record({ key: num, str: num, num }), { maxLength: 2 }) }), { maxLength: 4 }),
  });
  fc.assert(
    fc.property(message, (m) => {
      const s = new StringTable();
      for (const w of ["samples", "count", "cpu", "nanoseconds", "thread", "tid", "/bin/app"]) s.dedup(w);
      let encoded: Uint8Array;
      try {
        encoded = new PprofMessage({
        sampleType: Array.from({ length: m.types }, (_, i) => new ValueType({ type: 1 + 2 * i, unit: 2 + 2 * i })),
        defaultSampleType: m.defaultType,
        mapping: m.mappings,
        function: m.functions,
        location: m.locations,
        sample: m.samples,
          stringTable: s,
        }).encode();
      } catch {
        return fc.pre(false); // pprof-format cannot encode empty sub-messages (a Sample with no fields)
      }
      decodesOrFormatError(encoded);
    }),
    { numRuns: 10_000, seed: 3 },
  );
});
