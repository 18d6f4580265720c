import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import { ProfileBuilder } from "../../src/model/profile-builder.js";
import type { Profile } from "../../src/model/profile.js";
import { cpuprofile } from "../../src/samples/chrome/cpuprofile.js";
import { firefox } from "../../src/samples/firefox/firefox.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { speedscope, toSpeedscope } from "../../src/samples/speedscope/speedscope.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { formatErrorOf, jsonBytes } from "../helpers/format-error.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";
import { assertDecodesOrFormatError } from "../helpers/json-fuzz.js";

/** Fixture JSON, mutated freely by the tests (loosely typed on purpose; test code only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any> & any[];

const FIXTURES = ["speedscope-evented", "clone-in-loop.before.speedscope", "threads.speedscope"];
const bytesOf = (name: string): Buffer => readFileSync(fixture("json", `${name}.json`));
const objectOf = (name: string): Mutable => JSON.parse(bytesOf(name).toString("utf8")) as Mutable;
const decode = (v: unknown): Profile => speedscope.decode(jsonBytes(v));
const readPerf = (name: string): Promise<Profile> => parseInput(perfScript.parser(), { path: fixture("perf-script", name) });

/** The FormatError that decoding `v` throws (objects are written with one value per line). */
const failure = (v: unknown): FormatError => formatErrorOf(() => decode(v));

/** A small evented file: `events` as [type, frame, at] triples over frames a, b, c. */
function evented(events: [string, number, number][]): Mutable {
  return {
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames: [{ name: "a" }, { name: "b" }, { name: "c" }] },
    profiles: [{ type: "evented", name: "t", unit: "nanoseconds", startValue: 0, endValue: 100, events: events.map(([type, frame, at]) => ({ type, frame, at })) }],
  } as unknown as Mutable;
}

for (const name of FIXTURES) {
  test(`speedscope.decode: ${name}.json matches its golden folded stacks and summary`, () => {
    const p = speedscope.decode(bytesOf(name));
    assertValid(p, { emptyStacks: true });
    matchesGolden(`speedscope/${name}.folded`, toFolded(p, { tid: true }).join("\n") + "\n");
    matchesGolden(`speedscope/${name}.summary.txt`, describeProfile(p));
  });
}

test("toSpeedscope: the committed speedscope fixtures are what the exporter writes today", async () => {
  for (const name of ["clone-in-loop.before", "threads"]) {
    const written = toSpeedscope(await readPerf(`${name}.perf.txt`), { name: `${name}.perf.txt` }) + "\n";
    assert.equal(written, bytesOf(`${name}.speedscope`).toString("utf8"), `regenerate with bash test/fixtures/make-json-fixtures.sh`);
  }
});

test("toSpeedscope: perf fixture → speedscope → speedscope.decode keeps every stack and weight", async () => {
  const original = await readPerf("clone-in-loop.before.perf.txt");
  const back = speedscope.decode(Buffer.from(toSpeedscope(original)));
  assert.deepEqual(toFolded(back, { tid: true }), toFolded(original, { tid: true }));
  assert.deepEqual(toFolded(back, { tid: true, annotate: true }), toFolded(original, { tid: true, annotate: true }), "inlined and kernel marks too");
  assert.equal(back.unit, original.unit);
  assert.deepEqual(back.events, original.events);
  assert.deepEqual(back.threads, original.threads);
  assert.equal(totalWeight(back), totalWeight(original));
  const aggregated = speedscope.decode(Buffer.from(toSpeedscope(original, { aggregate: true })));
  assert.deepEqual(toFolded(aggregated, { tid: true, annotate: true }), toFolded(original, { tid: true, annotate: true }), "aggregate: true too");
  assert.equal(aggregated.samples.stack.length, new Set(original.samples.stack).size, "one sample per distinct stack");
  const frameSet = (p: Profile) => new Set(p.frames.name.map((n, i) => `${n}|${p.frames.module[i]}|${p.frames.inlined[i]}|${p.frames.kind[i]}`));
  assert.deepEqual(frameSet(back), frameSet(original));
});

test("toSpeedscope: every perf-script fixture round-trips, several events and threads included", async () => {
  const names = readdirSync(fixture("perf-script")).filter((f) => f.endsWith(".perf.txt"));
  assert.ok(names.length >= 5);
  for (const name of names) {
    const original = await readPerf(name);
    const back = speedscope.decode(Buffer.from(toSpeedscope(original)));
    for (const event of original.events) {
      assert.deepEqual(toFolded(back, { tid: true, event }), toFolded(original, { tid: true, event }), `${name} ${event}`);
    }
    assert.equal(back.unit, original.unit, name);
  }
});

test("toSpeedscope: writes the speedscope schema, shared frames, one sampled profile per thread and event, and maps units", async () => {
  const p = await readPerf("two-events.perf.txt");
  const file = JSON.parse(toSpeedscope(p, { name: "two events" })) as Mutable;
  assert.equal(file.$schema, "https://www.speedscope.app/file-format-schema.json");
  assert.equal(file.exporter, "flamebook");
  assert.equal(file.name, "two events");
  const profiles = file.profiles as Mutable[];
  assert.equal(profiles.length, p.events.length * new Set(p.samples.thread).size);
  for (const prof of profiles) {
    assert.equal(prof.type, "sampled");
    assert.equal(prof.unit, "nanoseconds");
    assert.equal((prof.samples as unknown[]).length, (prof.weights as unknown[]).length);
    assert.equal(prof.endValue, (prof.weights as number[]).reduce((a, b) => a + b, 0));
  }
  assert.match(String(profiles[0]!.name), /\[cpu-clock\]$/);
  const frames = (file.shared as Mutable).frames as Mutable[];
  assert.equal(new Set(frames.map((f) => JSON.stringify(f))).size, frames.length, "frames are shared, each once");

  const unitOf = (unit: "samples" | "bytes" | "events" | "instructions" | "nanoseconds"): unknown => {
    const b = new ProfileBuilder({ format: "test", unit });
    b.sample(b.stack(-1, b.frame("f", "m")), b.thread("t", 1, 2), b.event("e"), NaN, 3);
    const q = b.finish();
    const text = toSpeedscope(q);
    assert.equal(speedscope.decode(Buffer.from(text)).unit, unit, "the unit reads back");
    return ((JSON.parse(text) as Mutable).profiles as Mutable[])[0]!.unit;
  };
  assert.deepEqual(
    (["nanoseconds", "samples", "events", "instructions", "bytes"] as const).map(unitOf),
    ["nanoseconds", "none", "none", "none", "bytes"],
  );
});

test("toSpeedscope: a cpuprofile keeps its JavaScript frames' kind and source lines through speedscope", () => {
  const original = cpuprofile.decode(readFileSync(fixture("json", "node.cpuprofile")));
  const back = speedscope.decode(Buffer.from(toSpeedscope(original)));
  assert.deepEqual(toFolded(back, { tid: true }), toFolded(original, { tid: true }));
  const hot = (p: Profile) => p.frames.name.indexOf("longestCollatzChain");
  assert.equal(back.frames.kind[hot(back)], "unknown");
  assert.equal(back.frames.line[hot(back)], original.frames.line[hot(original)]);
  assert.equal(back.frames.file[hot(back)], original.frames.file[hot(original)]);
});

test("toSpeedscope: runs of one stack are merged; an empty profile has no profiles", () => {
  const b = new ProfileBuilder({ format: "test" });
  const t = b.thread("t", -1, -1);
  const e = b.event("samples");
  const s = b.stack(-1, b.frame("main", ""));
  for (const stack of [s, s, -1, s]) b.sample(stack, t, e, NaN, 1);
  const file = JSON.parse(toSpeedscope(b.finish())) as Mutable;
  const prof = (file.profiles as Mutable[])[0]!;
  assert.deepEqual(prof.samples, [[0], [], [0]]);
  assert.deepEqual(prof.weights, [2, 1, 1]);
  assert.equal(prof.name, "t", "no pid/tid in the name when unknown");
  const empty = JSON.parse(toSpeedscope(new ProfileBuilder({ format: "test" }).finish())) as Mutable;
  assert.deepEqual(empty.profiles, []);
});

test("speedscope.decode: evented profiles become samples weighted by the time between events", () => {
  const p = speedscope.decode(bytesOf("speedscope-evented"));
  const folded = toFolded(p, { tid: true });
  assert.ok(folded.includes("wordfreq main-?/-1;main 3000000"), "1 ms before process opens + 2 ms after it closes");
  assert.ok(folded.includes("wordfreq main-?/-1;main;wordfreq::process::process;<u64 as alloc::string::ToString>::to_string;__libc_malloc 1000000"));
  assert.ok(folded.includes("worker-?/-1;main;wordfreq::process::process;wordfreq::process::process 50000"), "recursion");
  assert.ok(!folded.some((l) => l.startsWith("worker-?/-1;") && l.includes("__libc_malloc")), "a zero-length open/close adds nothing");
  assert.ok(folded.includes("sampled-?/-1 500"), "an empty sampled stack stays (the thread alone)");
  assert.ok(folded.includes("worker #3-?/-1;main 2000"), "a repeated profile name gets its index");
  assert.equal(p.unit, "nanoseconds");
  const first = p.samples.thread.indexOf(0);
  assert.deepEqual([...p.samples.time.subarray(first, first + 3)], [0, 0.001, 0.002], "evented times in seconds");
  const main = p.frames.name.indexOf("main");
  assert.equal(p.frames.file[main], "src/main.rs");
  assert.equal(p.frames.line[main], 20);
  assert.ok(!p.frames.name.includes("never used"), "frames no profile uses are not interned");
});

test("speedscope.decode: profiles in another unit than the first are skipped with a warning", () => {
  const o = objectOf("speedscope-evented");
  (o.profiles as Mutable[])[2]!.unit = "bytes";
  const p = decode(o);
  assert.equal(p.unit, "nanoseconds");
  assert.ok(!p.threads.some((t, i) => t.comm === "sampled" && p.samples.thread.includes(i)));
  assert.deepEqual(p.warnings, ['speedscope: skipped profile(s) in another unit than nanoseconds: "sampled" (bytes).']);
  const none = objectOf("speedscope-evented");
  for (const prof of none.profiles as Mutable[]) prof.unit = "none";
  assert.equal(decode(none).unit, "samples");
});

test("speedscope.decode: unbalanced or badly nested events name the JSON path", () => {
  const open = failure(evented([["O", 0, 0], ["O", 1, 1], ["C", 1, 2]]));
  assert.match(open.message, /expected profiles\[0\]\.events to be balanced open and close events, but 1 frame\(s\) are still open at the end \(innermost: a\)/);
  const crossed = failure(evented([["O", 0, 0], ["O", 1, 1], ["C", 0, 2], ["C", 1, 3]]));
  assert.match(crossed.message, /expected profiles\[0\]\.events\[2\]\.frame to be frame 1 \(b\), the innermost open frame; events must nest, got '0'/);
  const orphan = failure(evented([["C", 2, 0]]));
  assert.match(orphan.message, /expected profiles\[0\]\.events\[0\] to be a close event after the open event of its frame/);
  const backwards = failure(evented([["O", 0, 5], ["C", 0, 4]]));
  assert.match(backwards.message, /expected profiles\[0\]\.events\[1\]\.at to be a time at or after the previous event's \(5\); events must be sorted, got '4'/);
  const far = failure(evented([["O", 0, -1e308], ["C", 0, 1e308]]));
  assert.match(far.message, /profiles\[0\]\.events\[1\]\.at to be a time whose distance to the previous event is a finite number of nanoseconds/);
  const badType = failure(evented([["X", 0, 0]]));
  assert.match(badType.message, /profiles\[0\]\.events\[0\]\.type to be "O" \(open\) or "C" \(close\)/);
});

test("speedscope.decode: errors point at the line of the bad value", () => {
  const o = evented([["O", 0, 0], ["O", 1, 1], ["C", 0, 2], ["C", 1, 3]]);
  const text = JSON.stringify(o, null, 2);
  const e = failure(text);
  // the third event's "frame": 0 line
  const lines = text.split("\n");
  let seen = 0;
  const expected = lines.findIndex((l) => l.includes('"frame"') && seen++ === 2) + 1;
  assert.equal(e.line, expected);
});

test("speedscope.decode: dangling frame indices, bad weights and wrong shapes name the JSON path", () => {
  const sampled = (samples: unknown, weights: unknown): unknown => ({
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames: [{ name: "a" }] },
    profiles: [{ type: "sampled", name: "s", unit: "none", startValue: 0, endValue: 1, samples, weights }],
  });
  const cases: [unknown, RegExp][] = [
    [sampled([[0, 7]], [1]), /profiles\[0\]\.samples\[0\]\[1\] to be an index into shared\.frames \(an integer from 0 to 0\), got '7'/],
    [sampled([[0]], [-1]), /profiles\[0\]\.weights\[0\] to be a finite, non-negative weight, got '-1'/],
    [sampled([[0]], ["1"]), /profiles\[0\]\.weights\[0\] to be a finite, non-negative weight, got '"1"'/],
    [sampled([[0]], [null]), /profiles\[0\]\.weights\[0\] to be a finite, non-negative weight, got 'null'/],
    [{ shared: { frames: [] }, profiles: [{ type: "sampled", unit: "seconds", samples: [[]], weights: [1e300] }] }, /profiles\[0\]\.weights\[0\] to be a finite, non-negative weight, got '1e\+300'/],
    [sampled([[0], [0]], [1]), /profiles\[0\]\.weights to be an array as long as samples \(2 items\), got 'an array of 1 item'/],
    [sampled([0], [1]), /profiles\[0\]\.samples\[0\] to be a stack \(an array of frame indices, root first\)/],
    [sampled([[0.5]], [1]), /profiles\[0\]\.samples\[0\]\[0\] to be an index into shared\.frames/],
    [{ shared: { frames: [] }, profiles: {} }, /expected profiles to be an array/],
    [{ $schema: "https://example.test/other.json", shared: { frames: [] }, profiles: [] }, /expected \$schema to be "https:\/\/www\.speedscope\.app\/file-format-schema\.json"/],
    [{ shared: { frames: [{ file: "x.rs" }] }, profiles: [{ type: "sampled", unit: "none", samples: [[0]], weights: [1] }] }, /shared\.frames\[0\]\.name to be a string, got 'nothing \(the key is missing\)'/],
    [{ shared: { frames: [] }, profiles: [{ type: "sampled", unit: "ticks", samples: [], weights: [] }] }, /profiles\[0\]\.unit to be one of none, nanoseconds, microseconds, milliseconds, seconds, bytes, got '"ticks"'/],
    [{ shared: { frames: [] }, profiles: [{ type: "flame" }] }, /profiles\[0\]\.type to be "sampled" or "evented"/],
  ];
  for (const [input, message] of cases) assert.match(failure(input).message, message);
  const invalid = failure('{"shared": {"frames": []},\n "profiles": [,]}');
  assert.equal(invalid.line, 2);
  assert.match(invalid.message, /speedscope line 2: expected a JSON value or '\]' at column 15 \(the file is not valid JSON\)/);
});

test("speedscope.sniff: recognises speedscope files, not Firefox profiles", () => {
  for (const name of FIXTURES) assert.equal(speedscope.sniff(bytesOf(name).toString("utf8").slice(0, 4096)), true, name);
  assert.equal(speedscope.sniff('{"shared":{"frames":[]},"profiles":[]}'), true, "without $schema");
  assert.equal(speedscope.sniff(readFileSync(fixture("json", "firefox-processed-shared.json"), "utf8").slice(0, 4096)), false);
  assert.equal(firefox.sniff(bytesOf("speedscope-evented").toString("utf8").slice(0, 4096)), false);
});

// ---------------------------------------------------------------------------------------------
// Property test: random JSON and mutated fixtures give a valid Profile or a FormatError.


test("speedscope.decode: 10k random and mutated inputs give a valid profile or a FormatError", () => {
  const small = objectOf("threads.speedscope");
  const bases = [objectOf("speedscope-evented"), small, evented([["O", 0, 0], ["O", 1, 1], ["O", 2, 1], ["C", 2, 3], ["C", 1, 3], ["C", 0, 9]])];
  assertDecodesOrFormatError("speedscope", (bytes) => speedscope.decode(bytes), bases);
});
