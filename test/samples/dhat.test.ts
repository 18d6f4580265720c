// dhat.decode: DHAT's JSON from real valgrind runs of the demo crate (heap, copy, ad-hoc mode) and
// a hand-written dhat-rs file, against golden folded stacks and summaries; exact totals against
// the file's own sums; frame strings, inlined runs, and bad input as FormatErrors with JSON paths.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import { totalWeight } from "../../src/fold/function-totals.js";
import { functionsTable } from "../../src/table/functions-table.js";
import { toFolded } from "../../src/fold/to-folded.js";
import type { Profile } from "../../src/model/profile.js";
import { dhat } from "../../src/samples/dhat/dhat.js";
import { parseDhatFrame } from "../../src/samples/dhat/frame-string.js";
import { inlinedFlags } from "../../src/samples/dhat/inlined-runs.js";
import { openProfile } from "../../src/samples/registry.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { formatErrorOf, jsonBytes } from "../helpers/format-error.js";
import { assertDecodesOrFormatError } from "../helpers/json-fuzz.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const FIXTURES = ["clone-in-loop.before", "clone-in-loop.after", "clone-in-loop.copy", "ad-hoc", "dhat-rs.heap"];
const file = (name: string) => fixture("dhat", name.endsWith(".heap") ? `${name}.json` : `${name}.dhat.json`);
const bytesOf = (name: string): Buffer => readFileSync(file(name));
const jsonOf = (name: string): Json => JSON.parse(bytesOf(name).toString("utf8"));
const decode = (name: string): Profile => dhat.decode(bytesOf(name), { source: name });
const sum = (pps: Json[], field: string) => pps.reduce((s: number, pp: Json) => s + (pp[field] ?? 0), 0);
const totalOf = (p: Profile, fn: string, event: string) => {
  const t = functionsTable(p, { event });
  const i = (t.array("name") as string[]).indexOf(fn);
  return i < 0 ? 0 : (t.array("total") as Float64Array)[i]!;
};

for (const name of FIXTURES) {
  test(`dhat.decode: ${name} matches its golden folded stacks (first event) and summary`, () => {
    const p = decode(name);
    assertValid(p);
    matchesGolden(`dhat/${name}.folded`, toFolded(p, { annotate: true }).join("\n") + "\n");
    matchesGolden(`dhat/${name}.summary.txt`, describeProfile(p, { weight: "per event", modules: "after kinds", topSelf: 3, timed: "none", sourceLines: true }));
  });
}

test("dhat.decode: every event's total is the file's own sum over its program points, exactly", () => {
  const fields: Record<string, string> = { blocks: "tbk", bytes: "tb", maxBytes: "mb", readBytes: "rb", writeBytes: "wb", events: "tbk", units: "tb" };
  for (const name of FIXTURES) {
    const p = decode(name);
    const pps = jsonOf(name).pps as Json[];
    for (const [e, ev] of p.events.entries()) assert.equal(totalWeight(p, e), sum(pps, fields[ev]!), `${name}: ${ev}`);
  }
});

test("dhat.decode: the events follow the file's mode", () => {
  assert.deepEqual(decode("clone-in-loop.before").events, ["blocks", "bytes", "maxBytes", "readBytes", "writeBytes"]);
  assert.deepEqual(decode("clone-in-loop.copy").events, ["blocks", "bytes"], "copy mode records no lifetimes or accesses");
  assert.deepEqual(decode("ad-hoc").events, ["events", "units"], "ad-hoc mode names its counts with bksu/bsu");
  assert.deepEqual(decode("dhat-rs.heap").events, ["blocks", "bytes", "maxBytes"], "dhat-rs records no accesses (bkacc false)");
  for (const name of FIXTURES) assert.equal(decode(name).unit, "events");
  assert.equal(decode("clone-in-loop.before").format, "dhat");
  const odd = jsonOf("ad-hoc");
  odd.bsu = odd.bksu = "things";
  assert.deepEqual(dhat.decode(jsonBytes(odd)).events, ["blocks", "bytes"], "units that would merge two events are not used");
});

test("dhat.decode: the fix removes to_string's allocations and keeps the format! per output line", () => {
  const before = decode("clone-in-loop.before");
  const after = decode("clone-in-loop.after");
  const toString = totalOf(before, "to_string<wordfreq::records::UserId>", "blocks");
  assert.equal(toString, 8000, "2000 records × 2 rounds × 2 blocks (8 bytes for 'u', grown to 16)");
  assert.equal(totalOf(after, "to_string<wordfreq::records::UserId>", "blocks"), 0);
  const format = (p: Profile) => totalOf(p, "alloc::fmt::format::format_inner", "blocks");
  assert.ok(format(before) > 0 && format(before) === format(after), `format_inner: ${format(before)} → ${format(after)}`);
  assert.ok(totalWeight(after, 0) < totalWeight(before, 0) / 9, `${totalWeight(before, 0)} → ${totalWeight(after, 0)} blocks`);
});

test("dhat.decode: frames sharing an address are inlined into the last of them; recursion is not inlining", () => {
  const p = decode("clone-in-loop.before");
  const inlined = (name: string) => p.frames.name.flatMap((n, i) => (n === name ? [p.frames.inlined[i]] : []));
  assert.deepEqual(inlined("wordfreq::process::process"), [false]);
  assert.deepEqual(inlined("to_string<wordfreq::records::UserId>"), [true]);
  assert.deepEqual(inlined("malloc"), [false]);
  const adHoc = decode("ad-hoc");
  assert.ok(adHoc.frames.inlined.every((x) => !x), "ad-hoc.c was built without inlining; `visit` calls itself at one address");
  assert.ok(toFolded(adHoc).some((l) => /;visit;visit;visit;visit \d+$/.test(l)), toFolded(adHoc).join("\n"));
  const rs = decode("dhat-rs.heap");
  assert.deepEqual(
    rs.frames.name.map((n, i) => `${n}${rs.frames.inlined[i] ? " (inlined)" : ""}`).sort(),
    [
      "[unknown]",
      "alloc::alloc::alloc (inlined)",
      "alloc::fmt::format (inlined)",
      "alloc::raw_vec::RawVecInner<A>::finish_grow",
      "alloc::string::<impl alloc::string::ToString for T>::to_string (inlined)",
      "alloc::vec::Vec<T,A>::push (inlined)",
      "wordfreq::main",
      "wordfreq::process::process",
    ],
  );
});

test("dhat.decode: one thread, the process, named after the command", () => {
  assert.deepEqual(decode("dhat-rs.heap").threads, [{ comm: "wordfreq", pid: 4242, tid: 4242 }]);
  assert.equal(decode("clone-in-loop.before").threads[0]!.comm, "wordfreq-before");
});

test("openProfile: DHAT files are sniffed by content, gzipped or not, valgrind's and dhat-rs's", async () => {
  for (const name of FIXTURES) {
    const p = await openProfile(file(name));
    assert.equal(p.format, "dhat", name);
    const gz = await openProfile(gzipSync(bytesOf(name)));
    assert.deepEqual(toFolded(gz), toFolded(p));
  }
});

test("parseDhatFrame: valgrind's and dhat-rs's frame strings", () => {
  assert.deepEqual(parseDhatFrame("0x11D614: wordfreq::process::process (process.rs:20)"), { address: "0x11D614", name: "wordfreq::process::process", module: "", file: "process.rs", line: 20 });
  assert.deepEqual(parseDhatFrame("0x11CDCC: alloc (library/alloc/src/alloc.rs:95)"), { address: "0x11CDCC", name: "alloc", module: "", file: "library/alloc/src/alloc.rs", line: 95 });
  assert.deepEqual(parseDhatFrame("0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)"), {
    address: "0x48417B4",
    name: "malloc",
    module: "/usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so",
    file: null,
    line: null,
  });
  assert.deepEqual(parseDhatFrame("0x4A9B414: ??? (in /usr/lib/libc.so.6)"), { address: "0x4A9B414", name: "[unknown]", module: "/usr/lib/libc.so.6", file: null, line: null });
  assert.deepEqual(parseDhatFrame("0x4A9B414: ???"), { address: "0x4A9B414", name: "[unknown]", module: "", file: null, line: null });
  assert.deepEqual(parseDhatFrame("0x10c1e4108: alloc::raw_vec::RawVec<T,A>::allocate_in (raw_vec.rs:186:45)"), { address: "0x10c1e4108", name: "alloc::raw_vec::RawVec<T,A>::allocate_in", module: "", file: "raw_vec.rs", line: 186 });
  assert.deepEqual(parseDhatFrame("0x10c1e4108: ??? (???:0:0)"), { address: "0x10c1e4108", name: "[unknown]", module: "", file: null, line: null });
  // Parentheses in names: C++ signatures, Rust fn types; only the last " (…)" is the location.
  assert.equal(parseDhatFrame("0x4C2E: operator new(unsigned long) (in /x/vgpreload_dhat.so)").name, "operator new(unsigned long)");
  assert.equal(parseDhatFrame("0x1: call_once<fn(&str) -> alloc::boxed::Box<str>, (&str)> (function.rs:250)").name, "call_once<fn(&str) -> alloc::boxed::Box<str>, (&str)>");
  assert.deepEqual(parseDhatFrame("[root]"), { address: "", name: "[root]", module: "", file: null, line: null });
  assert.deepEqual(parseDhatFrame("no address here"), { address: "", name: "no address here", module: "", file: null, line: null });
});

test("inlinedFlags: the last entry at an address is the real frame; repeated groups are recursion", () => {
  assert.deepEqual(inlinedFlags([5, 6, 7, 8], ["0x1", "0x1", "0x1", "0x2"]), [true, true, false, false]);
  assert.deepEqual(inlinedFlags([4, 4, 4], ["0x9", "0x9", "0x9"]), [false, false, false]);
  assert.deepEqual(inlinedFlags([1, 2, 1, 2], ["0x9", "0x9", "0x9", "0x9"]), [true, false, true, false]);
  assert.deepEqual(inlinedFlags([2, 1, 2], ["0x9", "0x9", "0x9"]), [false, true, false], "a group cut at the top (dhat-rs trims allocator frames)");
  assert.deepEqual(inlinedFlags([1, 2], ["", ""]), [false, false], "no address, no run");
  assert.deepEqual(inlinedFlags([], []), []);
});

test("dhat.decode: bad input is a FormatError naming the JSON path", () => {
  const base = () => jsonOf("ad-hoc");
  const fails = (mutate: (d: Json) => void, path: RegExp) => {
    const d = base();
    mutate(d);
    const e = formatErrorOf(() => dhat.decode(jsonBytes(d)));
    assert.match(e.message, /^flamebook: dhat line \d+: expected /, e.message);
    assert.match(e.message, path, e.message);
  };
  fails((d) => (d.dhatFileVersion = 1), /dhatFileVersion to be 2, the version this reader knows.*got '1'/s);
  fails((d) => delete d.bklt, /bklt to be true or false, got 'nothing/);
  fails((d) => (d.pps[3].fs[1] = 99), /pps\[3\]\.fs\[1\] to be an index into ftbl \(an integer from 0 to 8\), got '99'/);
  fails((d) => (d.pps[0].tbk = -1), /pps\[0\]\.tbk to be a count \(a non-negative integer\), got '-1'/);
  fails((d) => (d.pps[0].tb = "2"), /pps\[0\]\.tb to be a count/);
  fails((d) => (d.ftbl[4] = 7), /ftbl\[4\] to be a string, got '7'/);
  fails((d) => (d.pps = {}), /pps to be an array/);
  fails((d) => delete d.ftbl, /ftbl to be an array, got 'nothing/);
  const heap = jsonOf("dhat-rs.heap");
  delete heap.pps[1].mb;
  assert.match(formatErrorOf(() => dhat.decode(jsonBytes(heap))).message, /pps\[1\]\.mb to be a count/, "bklt true: mb is mandatory");
  assert.match(formatErrorOf(() => dhat.decode(Buffer.from('{"dhatFileVersion":2,"pps":['))).message, /not valid JSON/);
});

test("dhat.decode: a program that allocated nothing gives an empty profile with a warning", () => {
  const d = jsonOf("dhat-rs.heap");
  d.pps = [];
  const p = dhat.decode(jsonBytes(d));
  assert.equal(p.samples.stack.length, 0);
  assert.deepEqual(p.events, ["blocks", "bytes", "maxBytes"]);
  assert.match(p.warnings.join(""), /no program points: the program allocated nothing/);
});

test("dhat.sniff: the first key is dhatFileVersion, in valgrind's and serde's layouts", () => {
  assert.equal(dhat.sniff(bytesOf("clone-in-loop.before").subarray(0, 200).toString()), true);
  assert.equal(dhat.sniff(bytesOf("dhat-rs.heap").subarray(0, 200).toString()), true);
  assert.equal(dhat.sniff('{"profiles": [], "dhatFileVersion": 2}'), false);
  assert.equal(dhat.sniff("dhatFileVersion"), false);
});

test("dhat.decode: 10k mutated files each give a valid profile or a FormatError naming a line", () => {
  const small = (name: string, keep: number) => {
    const d = jsonOf(name);
    d.pps = d.pps.slice(0, keep);
    return d;
  };
  const bases = [small("clone-in-loop.before", 4), small("clone-in-loop.copy", 3), jsonOf("ad-hoc"), jsonOf("dhat-rs.heap")];
  assertDecodesOrFormatError("dhat", (bytes) => dhat.decode(bytes), bases, { maxPath: 5, numbers: [-1, 0, 1, 2, 3, 0.5, 1e9, 2 ** 53, 1e308], maxInt: 12 });
});
