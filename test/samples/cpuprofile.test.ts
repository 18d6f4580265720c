import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { functionTotals, totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { cpuprofile } from "../../src/samples/chrome/cpuprofile.js";
import { firefox } from "../../src/samples/firefox/firefox.js";
import { speedscope } from "../../src/samples/speedscope/speedscope.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { formatErrorOf, jsonBytes } from "../helpers/format-error.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";
import { assertDecodesOrFormatError } from "../helpers/json-fuzz.js";

/** Fixture JSON, mutated freely by the tests (loosely typed on purpose; test code only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any> & any[];

const nodeBytes = (): Buffer => readFileSync(fixture("json", "node.cpuprofile"));
const decode = (v: unknown, source?: string): Profile => cpuprofile.decode(jsonBytes(v), { source });

/** The FormatError that decoding `v` throws (objects are written with one value per line). */
const failure = (v: unknown): FormatError => formatErrorOf(() => decode(v));

/** A small valid profile: (root) → main → {hot, cold}, 4 samples 1 ms apart. */
function small(): Mutable {
  const frame = (functionName: string, lineNumber = -1, url = "") => ({ functionName, scriptId: "1", url, lineNumber, columnNumber: 0 });
  return {
    nodes: [
      { id: 1, callFrame: frame("(root)"), hitCount: 0, children: [2, 5] },
      { id: 2, callFrame: frame("main", 9, "file:///w.mjs"), hitCount: 0, children: [3, 4] },
      { id: 3, callFrame: frame("hot", 0, "file:///w.mjs"), hitCount: 2 },
      { id: 4, callFrame: frame("", 4, "file:///w.mjs"), hitCount: 1 },
      { id: 5, callFrame: frame("(garbage collector)"), hitCount: 1 },
    ],
    startTime: 1000,
    endTime: 5000,
    samples: [3, 3, 4, 5],
    timeDeltas: [0, 1000, 1000, 1000],
  } as unknown as Mutable;
}

test("cpuprofile.decode: node.cpuprofile (node --cpu-prof) matches its golden folded stacks and summary", () => {
  const p = cpuprofile.decode(nodeBytes());
  assertValid(p, { emptyStacks: true });
  matchesGolden("cpuprofile/node.folded", toFolded(p, { tid: true }).join("\n") + "\n");
  matchesGolden("cpuprofile/node.summary.txt", describeProfile(p, { topSelf: 3 }));
});

test("cpuprofile.decode: the workload's hot function is the top self function", () => {
  const p = cpuprofile.decode(nodeBytes());
  const bySelf = [...functionTotals(p)].sort((a, b) => b.self - a.self);
  assert.equal(bySelf[0]!.name, "longestCollatzChain");
  assert.ok(bySelf[0]!.self / totalWeight(p) > 0.5, `longestCollatzChain has ${bySelf[0]!.self / totalWeight(p)} of the time`);
  const main = functionTotals(p).find((f) => f.name === "main")!;
  assert.ok(main.total >= bySelf[0]!.self, "main calls it");
  const hot = p.frames.name.indexOf("longestCollatzChain");
  assert.match(p.frames.module[hot]!, /^file:\/\/\/.*workload\.mjs$/);
  assert.equal(p.frames.line[hot], 6, "V8's 0-based line 5 is line 6");
  assert.equal(p.unit, "nanoseconds");
});

test("cpuprofile.decode: weights are the time to the next sample, the last lasts until endTime", () => {
  const p = decode(small());
  assert.deepEqual(toFolded(p), ["v8;(garbage collector) 1000000", "v8;main;(anonymous) 1000000", "v8;main;hot 2000000"]);
  assert.deepEqual([...p.samples.time], [0.001, 0.002, 0.003, 0.004]);
  assert.equal(totalWeight(p), 4000 * 1000, "startTime to endTime, in ns");
  const anon = p.frames.name.indexOf("(anonymous)");
  assert.equal(p.frames.line[anon], 5);
  assert.equal(p.frames.file[anon], "file:///w.mjs");
  assert.equal(p.frames.kind[anon], "unknown");
  assert.ok(!p.frames.name.includes("(root)"), "V8's synthetic root is not a frame");
  assert.deepEqual(p.warnings, []);
});

test("cpuprofile.decode: out-of-order samples (negative deltas) are sorted by time with a warning", () => {
  const o = small();
  o.samples = [3, 4, 3, 5];
  o.timeDeltas = [0, 2000, -1000, 2000]; // times 0, 2000, 1000, 3000 (+ startTime)
  const p = decode(o);
  assert.deepEqual([...p.samples.time], [0.001, 0.002, 0.003, 0.004]);
  assert.ok(p.samples.weight.every((w) => w === 1e6));
  assert.match(p.warnings.join(), /1 sample\(s\) had negative time deltas/);
});

test("cpuprofile.decode: without timeDeltas samples count 1; without samples the hit counts are the weights", () => {
  const noDeltas = small();
  delete noDeltas.timeDeltas;
  const p = decode(noDeltas);
  assert.equal(p.unit, "samples");
  assert.deepEqual(toFolded(p), ["v8;(garbage collector) 1", "v8;main;(anonymous) 1", "v8;main;hot 2"]);
  const noSamples = small();
  delete noSamples.samples;
  delete noSamples.timeDeltas;
  const q = decode(noSamples);
  assert.deepEqual(toFolded(q), toFolded(p));
  assert.match(q.warnings.join(), /hit counts/);
});

test("cpuprofile.decode: pid and tid come from node's file name", () => {
  const p = cpuprofile.decode(nodeBytes(), { source: "/tmp/prof/CPU.20240101.120000.4242.0.001.cpuprofile" });
  assert.deepEqual(p.threads, [{ comm: "v8", pid: 4242, tid: 0 }]);
  assert.deepEqual(cpuprofile.decode(nodeBytes()).threads, [{ comm: "v8", pid: -1, tid: -1 }]);
});

test("cpuprofile.decode: invalid JSON names the line and column", () => {
  const text = nodeBytes().toString("utf8");
  const cut = failure(text.slice(0, 500));
  assert.equal(cut.line, 1, "node writes the profile on one line");
  assert.match(cut.message, /^flamebook: cpuprofile line 1: expected .* at column \d+ \(the file is not valid JSON\)/);
  assert.match(cut.message, /node --cpu-prof/);
  const e = failure('{\n  "nodes": [\n    {"id": 1, "callFrame": {"functionName": "a" "url": ""}}\n  ]\n}');
  assert.equal(e.line, 3);
  assert.match(e.message, /expected ',' or '\}' after a property value at column 49/);
});

test("cpuprofile.decode: dangling ids, duplicate ids, two parents and cycles name the JSON path", () => {
  const cases: [(o: Mutable) => void, RegExp][] = [
    [(o) => ((o.nodes as Mutable[])[1]!.children = [3, 99]), /expected nodes\[1\]\.children\[1\] to be the id of a node in nodes, got '99'/],
    [(o) => ((o.samples as unknown[])[2] = 42), /expected samples\[2\] to be the id of a node in nodes, got '42'/],
    [(o) => ((o.samples as unknown[])[0] = "3"), /expected samples\[0\] to be the id of a node in nodes, got '"3"'/],
    [(o) => ((o.nodes as Mutable[])[4]!.id = 2), /expected nodes\[4\]\.id to be an id no other node has \(nodes\[1\] has 2\)/],
    [(o) => ((o.nodes as Mutable[])[4]!.children = [3]), /expected nodes\[4\]\.children\[0\] to be a node that no other node lists as its child \(nodes\[1\] already does\)/],
    [(o) => ((o.nodes as Mutable[])[2]!.children = [3]), /expected nodes\[2\]\.children\[0\] to be another node's id \(a node cannot be its own child\)/],
    [(o) => ((o.nodes as Mutable[])[1]!.callFrame = "main"), /expected nodes\[1\]\.callFrame to be an object, got '"main"'/],
    [(o) => ((o.nodes as Mutable[])[1]!.callFrame as Mutable).functionName = 7, /expected nodes\[1\]\.callFrame\.functionName to be a string, got '7'/],
  ];
  for (const [change, message] of cases) {
    const o = small();
    change(o);
    assert.match(failure(o).message, message);
  }
  // main ↔ hot: each is the other's child, so neither hangs under the root
  const cycle = small();
  (cycle.nodes as Mutable[])[0]!.children = [5];
  (cycle.nodes as Mutable[])[2]!.children = [2];
  assert.match(failure(cycle).message, /expected nodes\[\d\]\.children to be children that are not ancestors of this node \(the node tree has a cycle\)/);
});

test("cpuprofile.decode: bad time deltas name the JSON path and its line", () => {
  for (const [bad, shown] of [["null", "null"], ['"5"', '"5"'], ["1e400", "Infinity"]]) {
    const o = small();
    (o.timeDeltas as unknown[])[2] = 31337017;
    const text = JSON.stringify(o, null, 2);
    const e = failure(text.replace("31337017", bad));
    assert.match(e.message, /expected timeDeltas\[2\] to be a time delta in microseconds/);
    assert.ok(e.message.includes(`got '${shown}'`), e.message);
    assert.equal(e.line, text.split("\n").findIndex((l) => l.includes("31337017")) + 1);
  }
  const short = small();
  (short.timeDeltas as unknown[]).pop();
  assert.match(failure(short).message, /expected timeDeltas to be an array as long as samples \(4 items\), got 'an array of 3 items'/);
  const huge = small();
  huge.timeDeltas = [-1e308, 1e308, 1e308, 0];
  assert.match(failure(huge).message, /a time that keeps each sample's duration a finite number of nanoseconds/);
  const negativeHits = small();
  delete negativeHits.samples;
  delete negativeHits.timeDeltas;
  (negativeHits.nodes as Mutable[])[2]!.hitCount = -2;
  assert.match(failure(negativeHits).message, /expected nodes\[2\]\.hitCount to be a non-negative hit count/);
});

test("cpuprofile.decode: a very deep node chain is read without recursion", () => {
  const depth = 50000;
  const nodes = Array.from({ length: depth }, (_, i) => ({
    id: i + 1,
    callFrame: { functionName: `f${i % 7}`, url: "", lineNumber: -1, columnNumber: -1 },
    children: i + 1 < depth ? [i + 2] : [],
  }));
  const p = decode(JSON.stringify({ nodes, samples: [depth], timeDeltas: [1], startTime: 0, endTime: 2 }));
  assert.equal(p.stacks.frame.length, depth);
});

test("cpuprofile.sniff: recognises node's output and not the other JSON formats", () => {
  assert.equal(cpuprofile.sniff(nodeBytes().toString("utf8").slice(0, 4096)), true);
  assert.equal(cpuprofile.sniff(JSON.stringify(small(), null, 2)), true);
  for (const name of ["firefox-processed-shared.json", "speedscope-evented.json"]) {
    assert.equal(cpuprofile.sniff(readFileSync(fixture("json", name), "utf8").slice(0, 4096)), false, name);
  }
  assert.equal(firefox.sniff(nodeBytes().toString("utf8").slice(0, 4096)), false);
  assert.equal(speedscope.sniff(nodeBytes().toString("utf8").slice(0, 4096)), false);
});

// ---------------------------------------------------------------------------------------------
// Property test: random JSON and mutated profiles give a valid Profile or a FormatError.


test("cpuprofile.decode: 10k random and mutated inputs give a valid profile or a FormatError", () => {
  // the real profile, cut to its first 40 samples, and the small hand-made one
  const real = JSON.parse(nodeBytes().toString("utf8")) as Mutable;
  real.samples = (real.samples as unknown[]).slice(0, 40);
  real.timeDeltas = (real.timeDeltas as unknown[]).slice(0, 40);
  const bases = [small(), small(), real];
  assertDecodesOrFormatError("cpuprofile", (bytes) => cpuprofile.decode(bytes), bases, { maxPath: 6, numbers: [-1, 0, 1, 2, 3, 5, 0.5, -0.5, 1e9, 2 ** 31, 2 ** 53, -1e308, 1e308], maxInt: 8 });
});
