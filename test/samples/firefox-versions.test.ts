// firefox.decode across format versions: one logical profile hand-written in processed versions
// 0, 17, 40, 56, 60, 66 and 70, another in gecko versions 3, 10 (inside a devtools recording) and
// 36 (see test/fixtures/json/README.md); each family must give one folded output. Plus the
// errors that name a version, and the version edges (too old, newer than known).
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
import { formatErrorOf } from "../helpers/format-error.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

/** Fixture JSON, mutated freely by the tests (loosely typed on purpose; test code only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any> & any[];

const PROCESSED = [0, 17, 40, 56, 60, 66, 70].map((v) => `firefox-processed-v${v}.json`);
const GECKO = ["firefox-gecko-v3.json", "firefox-devtools-recording.json", "firefox-gecko-v36.json"];
const bytesOf = (name: string): Buffer => readFileSync(fixture("json", name));
const objectOf = (name: string): Mutable => JSON.parse(bytesOf(name).toString("utf8")) as Mutable;
const decode = (v: unknown): Profile => firefox.decode(Buffer.from(JSON.stringify(v, null, 2)));
const failure = (v: unknown): FormatError => formatErrorOf(() => decode(v));
const versionOf = (name: string): number => Number(/v(\d+)/.exec(name)![1]);

/** Each frame as "name|module|file|line|kind", sorted: what a version must keep. */
const frameRows = (p: Profile, withFile: boolean): string[] =>
  p.frames.name.map((n, i) => [n, p.frames.module[i], withFile ? p.frames.file[i] : "-", withFile ? p.frames.line[i] : "-", p.frames.kind[i]].join("|")).sort();
/** Each sample as "thread time weight", in order. */
const sampleRows = (p: Profile): string[] => [...p.samples.stack].map((_, i) => `${p.threads[p.samples.thread[i]!]!.comm} ${p.samples.time[i]} ${p.samples.weight[i]}`);

for (const name of PROCESSED) {
  test(`firefox.decode: processed ${name} gives the family's golden folded stacks`, () => {
    const p = firefox.decode(bytesOf(name));
    assertValid(p, { emptyStacks: true });
    matchesGolden("firefox/processed-versions.folded", toFolded(p, { tid: true }).join("\n") + "\n");
    assert.deepEqual(p.warnings, ["firefox: skipped 1 sample(s) without a stack (null stack index)."]);
  });
}

for (const name of GECKO) {
  test(`firefox.decode: gecko ${name} gives the family's golden folded stacks`, () => {
    const p = firefox.decode(bytesOf(name));
    assertValid(p, { emptyStacks: true });
    matchesGolden("firefox/gecko-versions.folded", toFolded(p, { tid: true }).join("\n") + "\n");
  });
}

test("firefox.decode: processed versions 0–70 keep threads, times, weights, modules; files from v4, inlined marks from v40", () => {
  const newest = firefox.decode(bytesOf("firefox-processed-v70.json"));
  for (const name of PROCESSED) {
    const v = versionOf(name);
    const p = firefox.decode(bytesOf(name));
    assert.deepEqual(p.threads, newest.threads, name);
    assert.deepEqual(sampleRows(p), sampleRows(newest), name);
    assert.deepEqual(frameRows(p, v >= 4), frameRows(newest, v >= 4), name);
    assert.deepEqual(toFolded(p, { tid: true, annotate: v >= 40 }), toFolded(newest, { tid: true, annotate: v >= 40 }), name);
  }
  const at = (name: string) => newest.frames.name.indexOf(name);
  assert.equal(newest.frames.inlined[at("hashbrown::map::HashMap<K,V,S,A>::insert")], true);
  assert.equal(newest.frames.module[at("__libc_malloc")], "/usr/lib/x86_64-linux-gnu/libc.so.6", "v70: the frame's lib");
  assert.equal(newest.frames.module[at("render")], "resource://app/render.js", "no lib: the func's resource name");
  assert.equal(newest.frames.file[at("render")], "resource://app/render.js");
  assert.equal(newest.frames.line[at("render")], 3, "the JS func's line (v0: from its name; v17: its fileName 'url:3' repaired as upgrader 18 does)");
  assert.equal(newest.frames.kind[at("render")], "unknown");
  assert.equal(newest.frames.file[at("wordfreq::count")], "src/count.rs");
});

test("firefox.decode: gecko versions 3, 10 (devtools recording) and 36 keep threads, times, modules and lines", () => {
  const [v3, devtools, v36] = GECKO.map((n) => firefox.decode(bytesOf(n)));
  for (const p of [v3!, devtools!]) {
    assert.deepEqual(p.threads, v36!.threads);
    assert.deepEqual(sampleRows(p), sampleRows(v36!));
    assert.deepEqual(frameRows(p, true), frameRows(v36!, true));
  }
  const at = (name: string) => v36!.frames.name.indexOf(name);
  assert.equal(v36!.frames.module[at("0x401234")], "/usr/lib/firefox/firefox");
  assert.equal(v36!.frames.module[at("js::RunScript")], "libxul.so", "'name (in lib) + 12' is symbolicated native code");
  assert.equal(v36!.frames.file[at("process")], "resource://app/main.js", "the [0] source index after the location is not part of the URL");
  assert.equal(v36!.frames.line[at("process")], 12);
  assert.equal(v36!.frames.line[at("onmessage")], 4);
  assert.ok(at("(root scope) https://example.test/boot.js") >= 0, "'url:line:col' is a script's top level");
  assert.deepEqual(v3!.threads.map((t) => t.comm), ["GeckoMain", "GeckoMain"], "v3: a 'Content' thread without processType is a tab's GeckoMain");
  assert.equal(v3!.samples.time[v3!.samples.thread.indexOf(1)], 0.5005, "the subprocess (JSON text in v3) starts 500 ms later");
});

test("firefox.decode: a missing table names its JSON path and the version seen", () => {
  const v70 = objectOf("firefox-processed-v70.json");
  delete v70.shared.stackTable;
  const e = failure(v70);
  assert.match(e.message, /expected shared\.stackTable to be the stack table \(processed profile version 70 keeps it in profile\.shared; versions before 60 in each thread\), got 'nothing \(the key is missing\)'/);
  assert.match(e.message, /\nRead as a Firefox Profiler processed profile, version 70\. Save the profile again/);
  const v40 = objectOf("firefox-processed-v40.json");
  delete v40.threads[1].frameTable;
  assert.match(failure(v40).message, /expected threads\[1\]\.frameTable to be the frame table \(processed profile version 40 keeps it in each thread; version 60 and later in profile\.shared\)/);
  const v56 = objectOf("firefox-processed-v56.json");
  delete v56.shared.stringArray;
  assert.match(failure(v56).message, /expected shared\.stringArray to be the string array \(processed profile version 56 keeps it in profile\.shared; versions before 56 in each thread\)/);
  const v17 = objectOf("firefox-processed-v17.json");
  delete v17.threads[0].stringArray;
  assert.match(failure(v17).message, /expected threads\[0\]\.stringArray to be the string array \(processed profile version 17 keeps it in each thread/);
  const v66 = objectOf("firefox-processed-v66.json");
  delete v66.shared.stackTable.prefixOffset;
  assert.match(failure(v66).message, /expected shared\.stackTable\.prefixOffset to be an array \(a required column since version 66, which replaced prefix; processed profile version 66\)/);
  const gecko = objectOf("firefox-gecko-v36.json");
  delete gecko.processes[0].threads[0].stackTable;
  assert.match(failure(gecko).message, /expected processes\[0\]\.threads\[0\]\.stackTable to be a \{schema, data\} table.*\nRead as a Firefox gecko profile, version 36/s);
});

test("firefox.decode: a file in the other version's layout is still read", () => {
  // version 70 with per-thread tables (the v56 fixture relabelled), and v56 with prefixOffset
  const relabelled = objectOf("firefox-processed-v56.json");
  relabelled.meta.preprocessedProfileVersion = 70;
  assert.deepEqual(toFolded(decode(relabelled), { tid: true }), toFolded(firefox.decode(bytesOf("firefox-processed-v70.json")), { tid: true }));
});

test("firefox.decode: prefixOffset and frameTable.lib are checked", () => {
  const forward = objectOf("firefox-processed-v70.json");
  forward.shared.stackTable.prefixOffset[2] = 31337017;
  assert.match(failure(forward).message, /expected shared\.stackTable\.prefixOffset\[2\] to be 0 \(a root\) or how many rows back the prefix is \(1 to 2\), got '31337017'/);
  const lib = objectOf("firefox-processed-v70.json");
  lib.shared.frameTable.lib[5] = 7;
  assert.match(failure(lib).message, /expected shared\.frameTable\.lib\[5\] to be an index into libs \(an integer from 0 to 1\), got '7'/);
});

test("firefox.decode: versions newer than 70 and 36 are read with a warning; invalid ones are errors", () => {
  const v71 = objectOf("firefox-processed-v70.json");
  v71.meta.preprocessedProfileVersion = 71;
  assert.match(decode(v71).warnings.join("\n"), /processed profile version 71 is newer than 70, the newest flamebook knows; read with the version 70 layout/);
  const g37 = objectOf("firefox-gecko-v36.json");
  g37.meta.version = 37;
  assert.match(decode(g37).warnings.join("\n"), /gecko profile version 37 is newer than 36/);
  for (const bad of [-1, 1.5, "70"]) {
    const o = objectOf("firefox-processed-v70.json");
    o.meta.preprocessedProfileVersion = bad;
    assert.match(failure(o).message, /expected meta\.preprocessedProfileVersion to be a processed format version \(a non-negative integer\)/);
  }
});

test("firefox.decode: gecko versions 1–2 are refused with a hint", () => {
  const old = objectOf("firefox-gecko-v3.json");
  old.meta.version = 2;
  const e = failure(old);
  assert.match(e.message, /expected meta\.version to be a gecko format version flamebook reads \(3 to 36\), got '2'\.\nGecko profile version 2 comes from Firefox before 2016/);
});

test("firefox.decode: version 3's JSON-text subprocess and libs: errors name both paths and the string's line", () => {
  const o = objectOf("firefox-gecko-v3.json");
  const child = JSON.parse(o.threads[1]) as Mutable;
  child.threads[0].samples.data[1][0] = 31337017;
  o.threads[1] = JSON.stringify(child);
  const text = JSON.stringify(o, null, 2);
  const e = formatErrorOf(() => firefox.decode(Buffer.from(text)));
  assert.match(e.message, /expected threads\[1\] \(JSON text\) → threads\[0\]\.samples\.data\[1\]\[0\] to be an index into threads\[0\]\.stackTable\.data or null \(an integer from 0 to 2\), got '31337017'/);
  assert.equal(e.line, text.split("\n").findIndex((l) => l.includes("31337017")) + 1);
  const libs = objectOf("firefox-gecko-v3.json");
  libs.libs = '[{"start": 1,';
  assert.match(failure(libs).message, /expected libs to be the libs list as valid JSON text \(at character 14 it needs a property name in double quotes \(the input ends early: is the file truncated\?\)\), got '"\[\{\\"start\\": 1,"'/);
  const v5 = objectOf("firefox-gecko-v3.json");
  v5.meta.version = 5;
  assert.match(failure(v5).message, /expected libs to be an array \(gecko profile version 5; libs as JSON text are the layout of versions before 4\)/);
  v5.libs = [];
  assert.match(failure(v5).message, /expected threads\[1\] to be a thread object \(gecko profile version 5; threads stored as JSON strings are subprocess profiles of versions 3–4\)/);
});

test("firefox.decode: older processed shapes: duration weights, a stringTable object, 'Content' threads", () => {
  const o = objectOf("firefox-processed-v17.json");
  o.threads[0].samples.duration = [2, 2, 2, 2, 2, 2];
  o.threads[1].stringTable = { _array: o.threads[1].stringArray };
  delete o.threads[1].stringArray;
  const p = decode(o);
  assert.ok(toFolded(p).includes("wordfreq;main;wordfreq::main;0x1a2f0 2"), toFolded(p).join("\n"));
  assert.ok(toFolded(p).includes("worker;std::sys::pal::unix::thread::Thread::new::thread_start;wordfreq::worker;render 2"));
  const v0 = objectOf("firefox-processed-v0.json");
  v0.threads[1].name = "Content";
  assert.deepEqual(decode(v0).threads.map((t) => t.comm), ["wordfreq", "GeckoMain"]);
});

test("firefox.sniff: every version and the devtools recording, even when its profile is past the sniffed head", () => {
  for (const name of [...PROCESSED, ...GECKO]) {
    const head = bytesOf(name).toString("utf8").slice(0, 4096);
    assert.equal(firefox.sniff(head), true, name);
    assert.equal(speedscope.sniff(head), false, name);
    assert.equal(cpuprofile.sniff(head), false, name);
  }
  const big = objectOf("firefox-devtools-recording.json");
  big.markers = Array.from({ length: 3000 }, (_, i) => ({ name: "Styles", start: i, end: i + 0.5, stack: null, endStack: null }));
  const text = JSON.stringify(big);
  assert.ok(text.indexOf('"profile"') > 64 * 1024);
  assert.equal(firefox.sniff(text.slice(0, 4096)), true);
});

test("openProfile: a devtools recording is sniffed and read through its profile; errors name profile.…", async () => {
  const p = await openProfile(bytesOf("firefox-devtools-recording.json"));
  assert.equal(p.format, "firefox");
  assert.deepEqual(toFolded(p, { tid: true }), toFolded(firefox.decode(bytesOf("firefox-gecko-v36.json")), { tid: true }));
  const o = objectOf("firefox-devtools-recording.json");
  o.profile.threads[0].frameTable.data[2][0] = 31337017;
  const e = failure(o);
  assert.match(e.message, /expected profile\.threads\[0\]\.frameTable\.data\[2\]\[0\] to be an index into profile\.threads\[0\]\.stringTable/);
  assert.match(e.message, /\nRead as a Firefox devtools recording holding a gecko profile, version 10\./);
  const processed = objectOf("firefox-devtools-recording.json");
  processed.profile = objectOf("firefox-processed-v70.json");
  assert.match(failure(processed).message, /expected profile\.meta to be a gecko profile's meta \(a devtools recording holds a gecko profile, not a processed one\)/);
  const noMeta = objectOf("firefox-devtools-recording.json");
  delete noMeta.profile.meta;
  assert.match(failure(noMeta).message, /expected profile\.meta to be an object \(every gecko profile has meta\)/);
});
