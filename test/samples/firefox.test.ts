import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { totalWeight } from "../../src/fold/function-totals.js";
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

const FIXTURES = ["firefox-processed-shared", "firefox-processed-v45", "firefox-gecko"];
const bytesOf = (name: string): Buffer => readFileSync(fixture("json", `${name}.json`));
const objectOf = (name: string): Mutable => JSON.parse(bytesOf(name).toString("utf8")) as Mutable;
const decode = (v: unknown, opts = {}): Profile => firefox.decode(jsonBytes(v), opts);

/** The FormatError that decoding `text` throws. */
function failure(text: string | Uint8Array, source?: string): FormatError {
  return formatErrorOf(() => firefox.decode(typeof text === "string" ? Buffer.from(text) : text, { source }));
}

/** The FormatError for the fixture after `change`, with the line the marker value 31337017 is on. */
function failureAfter(name: string, change: (o: Mutable) => void): { error: FormatError; markerLine: number } {
  const o = objectOf(name);
  change(o);
  const text = JSON.stringify(o, null, 2);
  const markerLine = text.split("\n").findIndex((l) => l.includes("31337017")) + 1;
  return { error: failure(text), markerLine };
}

for (const name of FIXTURES) {
  test(`firefox.decode: ${name}.json matches its golden folded stacks and summary`, () => {
    const p = firefox.decode(bytesOf(name));
    assertValid(p, { emptyStacks: true });
    matchesGolden(`firefox/${name}.folded`, toFolded(p, { tid: true }).join("\n") + "\n");
    matchesGolden(`firefox/${name}.summary.txt`, describeProfile(p, { modules: "after frames", timed: "range" }));
  });
}

test("firefox.decode: processed format with shared string array and two threads", () => {
  const p = firefox.decode(bytesOf("firefox-processed-shared"), { source: "profile.json" });
  assert.equal(p.format, "firefox");
  assert.equal(p.source, "profile.json");
  assert.deepEqual(
    p.threads.map((t) => [t.comm, t.pid, t.tid]),
    [["wordfreq-before", 4242, 4242], ["worker", 4242, 4243], ["idle", 4242, 4244]],
  );
  assert.equal(p.unit, "samples");
  assert.ok(p.samples.weight.every((w) => w === 1));
  // 8 + 5 samples, one null stack in each sampled thread
  assert.equal(p.samples.stack.length, 11);
  assert.deepEqual(p.warnings, ["firefox: skipped 2 sample(s) without a stack (null stack index)."]);
  // timeDeltas accumulate (ms → s); the null-stack sample's delta still counts
  const worker = p.threads.findIndex((t) => t.comm === "worker");
  const times = [...p.samples.time].filter((_, i) => p.samples.thread[i] === worker);
  assert.deepEqual(times, [0.0005, 0.0015, 0.0025, 0.0035]);
});

test("firefox.decode: inlineDepth > 0 marks a frame inlined; module is the lib path, file comes from shared.sources", () => {
  const p = firefox.decode(bytesOf("firefox-processed-shared"));
  const at = (name: string) => p.frames.name.indexOf(name);
  const toString = at("<u64 as alloc::string::ToString>::to_string");
  assert.equal(p.frames.inlined[toString], true);
  assert.equal(p.frames.module[toString], "/tmp/flamebook-fixtures/wordfreq-before");
  assert.equal(p.frames.file[toString], "/rustc/library/alloc/src/string.rs");
  assert.equal(p.frames.line[toString], 2655, "the frame's line wins over the func's");
  assert.equal(p.frames.inlined[at("wordfreq::process::process")], false);
  assert.equal(p.frames.module[at("__libc_malloc")], "/usr/lib/x86_64-linux-gnu/libc.so.6");
  // two frames (addresses) of one function are one flamebook frame
  assert.equal(p.frames.name.filter((n) => n === "wordfreq::process::process").length, 1);
  assert.ok(toFolded(p, { annotate: true }).some((l) => l.includes("wordfreq::process::process;<u64 as alloc::string::ToString>::to_string_[i];")));
});

test("firefox.decode: processed v45 with per-thread stringArray and tracing-ms weights in nanoseconds", () => {
  const p = firefox.decode(bytesOf("firefox-processed-v45"));
  assert.equal(p.unit, "nanoseconds");
  assert.deepEqual(p.events, ["tracing-ms"]);
  assert.equal(totalWeight(p), (2.5 + 0.5 + 7 + 1 + 1.25 + 0.75) * 1e6);
  const report = p.frames.name.indexOf("report");
  assert.equal(p.frames.module[report], "https://example.test/report.js", "a resource without a lib: its name");
  assert.equal(p.frames.kind[report], "unknown", "JavaScript is neither Rust nor C");
  assert.equal(p.frames.file[p.frames.name.indexOf("wordfreq::process::process")], "src/process.rs");
  assert.deepEqual([...p.samples.time].slice(0, 4), [0.01, 0.0125, 0.013, 0.02]);
});

test("firefox.decode: gecko format with a subprocess, libs by address, JS locations and short rows", () => {
  const p = firefox.decode(bytesOf("firefox-gecko"));
  const at = (name: string) => p.frames.name.indexOf(name);
  assert.equal(p.frames.module[at("0x401234")], "/usr/lib/firefox/firefox");
  assert.equal(p.frames.module[at("0x7f0000001000")], "/usr/lib/x86_64-linux-gnu/libc.so.6", "the short row [3] is a frame too");
  assert.equal(p.frames.module[at("0x123")], "", "an address in no lib");
  assert.equal(p.frames.file[at("process")], "resource://app/main.js");
  assert.equal(p.frames.line[at("process")], 12, "the frame's line column wins over the location's");
  assert.equal(p.frames.line[at("(root scope) resource://app/anon.js")], 3, "a JS frame without a function is its script's top level, named as profiler.firefox.com names it");
  assert.deepEqual(
    p.threads.map((t) => `${t.comm} ${t.pid}/${t.tid}`),
    ["GeckoMain 5000/5000", "GeckoMain 6000/6000", "DOM Worker 6000/6001"],
  );
  // the subprocess started 500 ms later: its 0.5 ms sample is at 500.5 ms on the parent's timeline
  const child = p.samples.thread.indexOf(1);
  assert.equal(p.samples.time[child], 0.5005);
  assert.match(p.warnings.join("\n"), /skipped 2 sample\(s\) without a stack/);
});

test("firefox.decode: older processed profiles with thread.stringTable and thread.libs", () => {
  const o = objectOf("firefox-processed-shared");
  const strings = (o.shared as Mutable).stringArray;
  const libs = o.libs;
  delete o.shared;
  delete o.libs;
  for (const t of o.threads as Mutable[]) {
    t.stringTable = strings;
    t.libs = libs;
    (t.funcTable as Mutable).source = (t.funcTable as Mutable).source.map(() => null);
  }
  const old = decode(o);
  const now = firefox.decode(bytesOf("firefox-processed-shared"));
  assert.deepEqual(toFolded(old, { tid: true, annotate: true }), toFolded(now, { tid: true, annotate: true }));
  assert.deepEqual(old.frames.module, now.frames.module);
});

test("firefox.decode: gzip input and keepSamples: false give the same stacks", () => {
  const plain = firefox.decode(bytesOf("firefox-processed-shared"));
  const gz = firefox.decode(gzipSync(bytesOf("firefox-processed-shared")));
  const merged = firefox.decode(bytesOf("firefox-processed-shared"), { keepSamples: false });
  assert.deepEqual(toFolded(gz, { tid: true }), toFolded(plain, { tid: true }));
  assert.deepEqual(toFolded(merged, { tid: true }), toFolded(plain, { tid: true }));
  assert.ok(merged.samples.stack.length < plain.samples.stack.length);
});

test("firefox.decode: cleanNames strips legacy Rust hashes", () => {
  const o = objectOf("firefox-processed-shared");
  (o.shared as Mutable).stringArray[2] = "wordfreq::process::process::h0123456789abcdef";
  assert.ok(decode(o).frames.name.includes("wordfreq::process::process::h0123456789abcdef"));
  assert.ok(decode(o, { cleanNames: true }).frames.name.includes("wordfreq::process::process"));
});

test("firefox.decode: threads weighted in another unit than the first are skipped with a warning", () => {
  const o = objectOf("firefox-processed-shared");
  const worker = (o.threads as Mutable[])[1]!;
  (worker.samples as Mutable).weightType = "bytes";
  (worker.samples as Mutable).weight = [10, 20, 30, 40, 50];
  const p = decode(o);
  assert.equal(p.unit, "samples");
  assert.ok(p.samples.thread.every((t) => p.threads[t]!.comm !== "worker"));
  assert.ok(p.warnings.some((w) => /skipped thread\(s\) weighted in another unit than samples: worker \(bytes\)/.test(w)), JSON.stringify(p.warnings));
});

test("firefox.decode: invalid JSON names the line and column", () => {
  const text = bytesOf("firefox-gecko").toString("utf8").replace('"stackwalk": 1,', '"stackwalk": 1');
  const e = failure(text, "profile.json");
  assert.equal(e.line, 6);
  assert.match(e.message, /^flamebook: profile\.json: firefox line 6: expected ',' or '\}' after a property value at column 5 \(the file is not valid JSON\), got '"debug": 0,'/);
  assert.match(e.message, /samply record --save-only/);
  const cut = failure(bytesOf("firefox-gecko").subarray(0, 300));
  assert.match(cut.message, /is the file truncated\?/);
  assert.match(failure("").message, /expected a JSON value.*truncated/);
  assert.match(failure("\u0000\u00ff binary").message, /expected a JSON value at column 1/);
});

test("firefox.decode: wrong shapes name the JSON path", () => {
  assert.match(failure("[1, 2]").message, /expected the document to be a Firefox Profiler profile/);
  assert.match(failure('{"meta": 3, "threads": []}').message, /expected meta to be an object/);
  assert.match(failure('{"meta": {"preprocessedProfileVersion": 50}, "threads": {}}').message, /expected threads to be an array, got 'an empty object'/);
  const { error } = failureAfter("firefox-processed-shared", (o) => delete ((o.threads as Mutable[])[1]!.funcTable as Mutable).name);
  assert.match(error.message, /expected threads\[1\]\.funcTable\.name to be an array \(a required column\), got 'nothing \(the key is missing\)'/);
});

test("firefox.decode: a dangling frame index names its path and line", () => {
  const { error, markerLine } = failureAfter("firefox-processed-shared", (o) => {
    ((o.threads as Mutable[])[0]!.stackTable as Mutable).frame[3] = 31337017;
  });
  assert.equal(error.line, markerLine);
  assert.match(error.message, /expected threads\[0\]\.stackTable\.frame\[3\] to be an index into threads\[0\]\.frameTable \(an integer from 0 to 6\), got '31337017'/);
});

test("firefox.decode: dangling func, string, resource and lib indices name their paths", () => {
  const cases: [(o: Mutable) => void, RegExp][] = [
    [(o) => (((o.threads as Mutable[])[0]!.frameTable as Mutable).func[2] = 31337017), /threads\[0\]\.frameTable\.func\[2\] to be an index into threads\[0\]\.funcTable/],
    [(o) => (((o.threads as Mutable[])[0]!.funcTable as Mutable).name[1] = 31337017), /threads\[0\]\.funcTable\.name\[1\] to be an index into shared\.stringArray \(an integer from 0 to 13\)/],
    [(o) => (((o.threads as Mutable[])[0]!.funcTable as Mutable).resource[5] = 31337017), /threads\[0\]\.funcTable\.resource\[5\] to be an index into threads\[0\]\.resourceTable/],
    [(o) => (((o.threads as Mutable[])[1]!.resourceTable as Mutable).lib[1] = 31337017), /threads\[1\]\.resourceTable\.lib\[1\] to be an index into libs \(an integer from 0 to 1\)/],
    [(o) => (((o.threads as Mutable[])[0]!.samples as Mutable).stack[0] = 31337017), /threads\[0\]\.samples\.stack\[0\] to be an index into threads\[0\]\.stackTable or null/],
    [(o) => (((o.shared as Mutable).sources as Mutable).filename[0] = 31337017), /shared\.sources\.filename\[0\] to be an index into shared\.stringArray/],
  ];
  for (const [change, message] of cases) {
    const { error, markerLine } = failureAfter("firefox-processed-shared", change);
    assert.match(error.message, message);
    assert.equal(error.line, markerLine, error.message);
  }
});

test("firefox.decode: a cyclic stack prefix is an error, not a hang", () => {
  const { error } = failureAfter("firefox-processed-shared", (o) => {
    ((o.threads as Mutable[])[0]!.stackTable as Mutable).prefix[0] = 5; // 5 → 4 → 3 → 2 → 1 → 0 → 5
  });
  assert.match(error.message, /expected threads\[0\]\.stackTable\.prefix\[\d\] to be a prefix chain that ends in a root \(null\); this one comes back to itself/);
  const self = failureAfter("firefox-gecko", (o) => {
    (((o.threads as Mutable[])[0]!.stackTable as Mutable).data as Mutable[])[2]![0] = 2;
  });
  assert.match(self.error.message, /threads\[0\]\.stackTable\.data\[2\]\[0\] to be a prefix chain that ends in a root/);
});

test("firefox.decode: negative, string, null and non-finite weights and times are errors", () => {
  // JSON cannot hold NaN, but 1e400 parses to Infinity
  // 1e303 ms is finite, but not in nanoseconds
  const weights: [string, string][] = [["-1", "-1"], ['"2"', '"2"'], ["null", "null"], ["1e400", "Infinity"], ["1e303", "1e+303"]];
  for (const [bad, shown] of weights) {
    const o = objectOf("firefox-processed-v45");
    ((o.threads as Mutable[])[0]!.samples as Mutable).weight[2] = 31337017;
    const error = failure(JSON.stringify(o, null, 2).replace("31337017", bad));
    assert.match(error.message, /expected threads\[0\]\.samples\.weight\[2\] to be a finite, non-negative weight/);
    assert.ok(error.message.includes(`got '${shown}'`), error.message);
    assert.equal(/comparison \(diff\) profiles/.test(error.message), bad === "-1", "the diff-profile hint only for negative weights");
  }
  const { error } = failureAfter("firefox-processed-shared", (o) => {
    ((o.threads as Mutable[])[1]!.samples as Mutable).timeDeltas[3] = "1";
  });
  assert.match(error.message, /threads\[1\]\.samples\.timeDeltas\[3\] to be a time delta in milliseconds, got '"1"'/);
  const gecko = failureAfter("firefox-gecko", (o) => {
    (((o.threads as Mutable[])[0]!.samples as Mutable).data as Mutable[])[1]![1] = "soon";
  });
  assert.match(gecko.error.message, /threads\[0\]\.samples\.data\[1\]\[1\] to be a time in milliseconds/);
});

test("firefox.decode: gecko errors name paths inside subprocesses", () => {
  const { error, markerLine } = failureAfter("firefox-gecko", (o) => {
    const thread = ((o.processes as Mutable[])[0]!.threads as Mutable[])[1]!;
    ((thread.frameTable as Mutable).data as Mutable[])[0]![0] = 31337017;
  });
  assert.match(error.message, /expected processes\[0\]\.threads\[1\]\.frameTable\.data\[0\]\[0\] to be an index into processes\[0\]\.threads\[1\]\.stringTable/);
  assert.equal(error.line, markerLine);
});

test("firefox.decode: deeply nested input gives a FormatError, not a stack overflow", () => {
  const deep = "[".repeat(200000) + "]".repeat(200000);
  assert.match(failure(deep).message, /expected the document to be a Firefox Profiler profile/);
  let nested: Record<string, unknown> = { meta: { startTime: 0 }, threads: [] };
  for (let i = 0; i < 40; i++) nested = { meta: { startTime: 0 }, threads: [], processes: [nested] };
  assert.match(failure(JSON.stringify(nested)).message, /a subprocess profile nested at most 16 levels deep/);
});

test("firefox.sniff: recognises both Firefox formats and not speedscope or cpuprofile", () => {
  for (const name of FIXTURES) assert.equal(firefox.sniff(bytesOf(name).toString("utf8").slice(0, 4096)), true, name);
  const compact = JSON.stringify(objectOf("firefox-processed-shared")).slice(0, 4096);
  assert.equal(firefox.sniff(compact), true);
  const other = [readFileSync(fixture("json", "speedscope-evented.json"), "utf8"), readFileSync(fixture("json", "node.cpuprofile"), "utf8")];
  for (const head of other) assert.equal(firefox.sniff(head.slice(0, 4096)), false);
  assert.equal(speedscope.sniff(bytesOf("firefox-gecko").toString("utf8").slice(0, 4096)), false);
  assert.equal(cpuprofile.sniff(bytesOf("firefox-gecko").toString("utf8").slice(0, 4096)), false);
});

// ---------------------------------------------------------------------------------------------
// Property test: random JSON and mutated fixtures give a valid Profile or a FormatError.


test("firefox.decode: 10k random and mutated inputs give a valid profile or a FormatError", () => {
  const bases = FIXTURES.map(objectOf);
  assertDecodesOrFormatError("firefox", (bytes) => firefox.decode(bytes), bases, { maxPath: 9 });
});
