import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { toFolded } from "../../src/fold/to-folded.js";
import { byName, importers, openProfile, sniff } from "../../src/samples/registry.js";
import { open } from "../../src/table/open.js";
import { fixture } from "../helpers/golden.js";

const tmp = mkdtempSync(join(tmpdir(), "flamebook-open-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const perfPath = fixture("perf-script", "clone-in-loop.before.perf.txt");

test("openProfile: sniffs perf script from a file, from bytes and from a gzipped file with a misleading name", async () => {
  const fromPath = await openProfile(perfPath);
  assert.equal(fromPath.format, "perf-script");
  assert.equal(fromPath.source, perfPath);
  const bytes = readFileSync(perfPath);
  const fromBytes = await openProfile(bytes);
  assert.deepEqual(toFolded(fromBytes), toFolded(fromPath));
  const gz = join(tmp, "profile.json"); // the name lies: content decides
  writeFileSync(gz, gzipSync(bytes));
  const fromGz = await openProfile(gz);
  assert.equal(fromGz.format, "perf-script");
  assert.deepEqual(toFolded(fromGz), toFolded(fromPath));
  assert.deepEqual(toFolded(await openProfile(gzipSync(bytes))), toFolded(fromPath));
});

test("openProfile: folded text, also UTF-16 with a BOM", async () => {
  const text = "main;work 3\nmain;idle 1\n";
  assert.equal((await openProfile(Buffer.from(text))).format, "folded");
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const p = await openProfile(utf16);
  assert.deepEqual(toFolded(p, { pname: false }), ["main;idle 1", "main;work 3"]);
});

test("openProfile: an explicit format wins over sniffing", async () => {
  const text = Buffer.from("main;work 3\n");
  await assert.rejects(openProfile(text, { format: "perf-script" }), /perf-script line 1: expected a sample header/);
});

test("openProfile: unknown content lists the supported formats; a missing file is named", async () => {
  await assert.rejects(openProfile(Buffer.from("hello world\n")), (e: Error) => {
    assert.match(e.message, /^flamebook: this input: unknown profile format \(it starts with "hello world\\n"\)\. Supported: /);
    for (const i of importers) assert.ok(e.message.includes(i.name), i.name);
    return true;
  });
  await assert.rejects(openProfile(join(tmp, "nope.txt")), /^Error: flamebook: no such file: .*nope\.txt$/);
  assert.throws(() => byName("vtune"), /unknown format 'vtune'\. Supported: /);
});

test("openProfile: a broken gzip stream is a clear error", async () => {
  const bad = Buffer.concat([gzipSync(readFileSync(perfPath)).subarray(0, 10), Buffer.from("garbage that is not deflate")]);
  await assert.rejects(openProfile(bad), /flamebook: .*gzip/);
});

test("sniff: every importer recognises a fixture of its own kind, and only that importer does", () => {
  const cases: [string, string][] = [
    ["perf-script", perfPath],
    ["folded", fixture("folded", "cargo-flamegraph.folded")],
    ["pprof", fixture("pprof", "clone-in-loop.before.pb.gz")],
    ["firefox", fixture("json", "firefox-processed-shared.json")],
    ["firefox", fixture("json", "firefox-gecko.json")],
    ["speedscope", fixture("json", "speedscope-evented.json")],
    ["cpuprofile", fixture("json", "node.cpuprofile")],
    ["callgrind", fixture("valgrind", "clone-in-loop.before.callgrind")],
    ["cachegrind", fixture("valgrind", "clone-in-loop.before.cachegrind")],
  ];
  assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(importers.map((i) => i.name)), "a fixture for every importer");
  for (const [want, path] of cases) {
    const bytes = readFileSync(path);
    const content = bytes[0] === 0x1f ? gunzipSync(bytes) : bytes;
    const text = content.subarray(0, 65536).toString("utf8");
    const yes = importers.filter((i) => i.sniff(text, content)).map((i) => i.name);
    assert.equal(yes[0], want, `${path}: sniffed by ${yes.join(", ")}`);
    assert.ok(yes.every((n) => n === want || n === "folded"), `${path}: only ${want} (and perhaps the loose folded) accept it: ${yes.join(", ")}`);
  }
});

test("openProfile: every fixture kind opens through the registry", async () => {
  for (const path of [
    fixture("pprof", "clone-in-loop.before.pb.gz"),
    fixture("json", "firefox-processed-shared.json"),
    fixture("json", "speedscope-evented.json"),
    fixture("json", "node.cpuprofile"),
    fixture("valgrind", "clone-in-loop.before.callgrind"),
    fixture("valgrind", "clone-in-loop.before.cachegrind"),
  ]) {
    const p = await openProfile(path);
    assert.ok(p.samples.stack.length > 0, path);
  }
});

test("open: gives a ProfileData with tables", async () => {
  const p = await open(perfPath);
  assert.ok(p.functions().numRows() > 10);
});
