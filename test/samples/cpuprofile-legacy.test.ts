// cpuprofile.decode on the legacy V8 form (a nested `head` tree, seconds, absolute timestamps),
// as v8-profiler (Node ≤ 10) and Chrome ≤ 59 wrote it: the hand-written fixture
// v8-legacy-head.cpuprofile must read like the same profile in the current form.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { toFolded } from "../../src/fold/to-folded.js";
import type { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { cpuprofile } from "../../src/samples/chrome/cpuprofile.js";
import { firefox } from "../../src/samples/firefox/firefox.js";
import { openProfile } from "../../src/samples/registry.js";
import { speedscope } from "../../src/samples/speedscope/speedscope.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { formatErrorOf, jsonBytes } from "../helpers/format-error.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

/** Fixture JSON, mutated freely by the tests (loosely typed on purpose; test code only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any> & any[];

const legacyBytes = (): Buffer => readFileSync(fixture("json", "v8-legacy-head.cpuprofile"));
const legacy = (): Mutable => JSON.parse(legacyBytes().toString("utf8")) as Mutable;
const decode = (v: unknown): Profile => cpuprofile.decode(jsonBytes(v));
const failure = (v: unknown): FormatError => formatErrorOf(() => decode(v));

/** The fixture's profile in the current form: (root) → main → {hot, (anonymous)}, (garbage collector). */
function current(): Mutable {
  const frame = (functionName: string, lineNumber: number, columnNumber: number, url = "file:///w.mjs") => ({ functionName, scriptId: "67", url, lineNumber, columnNumber });
  return {
    nodes: [
      { id: 1, callFrame: frame("(root)", -1, -1, ""), hitCount: 0, children: [2, 5] },
      { id: 2, callFrame: frame("main", 9, 16), hitCount: 0, children: [3, 4] },
      { id: 3, callFrame: frame("hot", 0, 12), hitCount: 2 },
      { id: 4, callFrame: frame("", 4, 2), hitCount: 1 },
      { id: 5, callFrame: frame("(garbage collector)", -1, -1, ""), hitCount: 1 },
    ],
    startTime: 3214500000,
    endTime: 3214504000,
    samples: [3, 3, 4, 5],
    timeDeltas: [0, 1000, 1000, 1000],
  } as unknown as Mutable;
}

test("cpuprofile.decode: the legacy head tree matches its golden and reads like the current form", () => {
  const p = cpuprofile.decode(legacyBytes());
  assertValid(p, { emptyStacks: true });
  matchesGolden("cpuprofile/v8-legacy-head.folded", toFolded(p, { tid: true }).join("\n") + "\n");
  const now = decode(current());
  assert.equal(describeProfile(p, { modules: "after frames", timed: "range" }), describeProfile(now, { modules: "after frames", timed: "range" }));
  assert.deepEqual(toFolded(p), toFolded(now));
  assert.deepEqual([...p.samples.time], [3214.5, 3214.501, 3214.502, 3214.503], "absolute µs timestamps → seconds");
  assert.deepEqual([...p.samples.weight], [1e6, 1e6, 1e6, 1e6], "each sample lasts until the next; the last until endTime (seconds)");
  assert.equal(p.frames.line[p.frames.name.indexOf("main")], 10, "legacy lines are 1-based already");
  const lines = (q: Profile) => q.frames.name.map((n, i) => `${n}:${q.frames.line[i]}`).sort();
  assert.deepEqual(lines(p), lines(now));
  assert.deepEqual(p.warnings, []);
});

test("cpuprofile.decode: legacy without timestamps counts samples; without samples uses hitCount", () => {
  const noTimes = legacy();
  delete noTimes.timestamps;
  const p = decode(noTimes);
  assert.equal(p.unit, "samples");
  assert.deepEqual(toFolded(p), ["v8;(garbage collector) 1", "v8;main;(anonymous) 1", "v8;main;hot 2"]);
  assert.match(p.warnings.join(), /no timestamps; every sample counts 1/);
  const noSamples = legacy();
  delete noSamples.samples;
  delete noSamples.timestamps;
  delete noSamples.head.children[0].id; // a node without an id still has its hit count
  assert.deepEqual(toFolded(decode(noSamples)), toFolded(p));
});

test("cpuprofile.decode: legacy timestamps out of order are sorted with a warning", () => {
  const o = legacy();
  o.samples = [3, 4, 3, 5];
  o.timestamps = [3214500000, 3214502000, 3214501000, 3214503000];
  const p = decode(o);
  assert.deepEqual([...p.samples.time], [3214.5, 3214.501, 3214.502, 3214.503]);
  assert.match(p.warnings.join(), /1 sample\(s\) had timestamps before the previous one/);
});

test("cpuprofile.decode: legacy errors name the path inside the head tree", () => {
  const cases: [(o: Mutable) => void, RegExp][] = [
    [(o) => (o.samples[1] = 99), /expected samples\[1\] to be the id of a node in the head tree, got '99'/],
    [(o) => (o.head.children[0].children[1].id = 3), /expected head\.children\[0\]\.children\[1\]\.id to be an id no other node has \(head\.children\[0\]\.children\[0\] has 3\)/],
    [(o) => (o.head.children[0].children[1] = 4), /expected head\.children\[0\]\.children\[1\] to be a node object \(the legacy head tree nests its children\), got '4'/],
    [(o) => (o.head.children[0].children = 3), /expected head\.children\[0\]\.children to be an array, got '3'/],
    [(o) => (o.head.children[1].functionName = 7), /expected head\.children\[1\]\.functionName to be a string, got '7'/],
    [(o) => (o.timestamps[2] = "x"), /expected timestamps\[2\] to be a timestamp in microseconds, got '"x"'/],
    [(o) => o.timestamps.pop(), /expected timestamps to be an array as long as samples \(4 items\)/],
    [(o) => (o.endTime = 1e303), /expected endTime to be a time in seconds, got '1e\+303'/],
    [(o) => (o.head = [1]), /expected head to be the root node of the call tree, got 'an array of 1 item'/],
  ];
  for (const [change, message] of cases) {
    const o = legacy();
    change(o);
    assert.match(failure(o).message, message);
  }
  const o = legacy();
  delete o.samples;
  o.head.children[0].children[0].hitCount = -1;
  assert.match(failure(o).message, /expected head\.children\[0\]\.children\[0\]\.hitCount to be a non-negative hit count/);
});

test("cpuprofile.decode: a legacy tree 100k levels deep is read in linear time, without recursion", () => {
  const depth = 100_000;
  let text = "";
  for (let i = 0; i < depth; i++) text += `{"functionName":"f${i % 7}","url":"","lineNumber":0,"columnNumber":0,"hitCount":${i === depth - 1 ? 1 : 0},"id":${i + 1},"children":[`;
  text += "]}".repeat(depth);
  const started = performance.now();
  const p = cpuprofile.decode(Buffer.from(`{"head":${text},"startTime":0,"endTime":1}`));
  assert.equal(p.stacks.frame.length, depth);
  assert.ok(performance.now() - started < 20_000, "no per-node path building");
});

test("cpuprofile.sniff: the legacy form, not Chrome's trace format or the Firefox/speedscope formats", () => {
  assert.equal(cpuprofile.sniff(legacyBytes().toString("utf8")), true);
  assert.equal(cpuprofile.sniff(JSON.stringify({ head: legacy().head, startTime: 1, endTime: 2 })), true);
  assert.equal(firefox.sniff(legacyBytes().toString("utf8")), false);
  assert.equal(speedscope.sniff(legacyBytes().toString("utf8")), false);
  // Chrome's trace-event format holds cpuprofile nodes inside ProfileChunk events: not this importer's
  const trace = JSON.stringify({ traceEvents: [{ name: "ProfileChunk", ph: "P", args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: "(root)" } }] } } } }] });
  assert.equal(cpuprofile.sniff(trace), false);
});

test("openProfile: a legacy .cpuprofile is sniffed by content", async () => {
  const p = await openProfile(legacyBytes());
  assert.equal(p.format, "cpuprofile");
  assert.deepEqual(toFolded(p), toFolded(decode(current())));
});
