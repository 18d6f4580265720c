import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { toFolded } from "../../src/fold/to-folded.js";
import { byName, importers, openProfile } from "../../src/samples/registry.js";
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

test("openProfile: a gzipped profile whose first 64 KB unpack to more than 4 MiB is still sniffed", async () => {
  const p = await openProfile(gzipSync("main;work 3\n".repeat(500_000)), { keepSamples: false });
  assert.equal(p.format, "folded");
  assert.deepEqual(toFolded(p, { pname: false }), ["main;work 1500000"]);
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
    ["dhat", fixture("dhat", "clone-in-loop.before.dhat.json")],
    ["dhat", fixture("dhat", "dhat-rs.heap.json")],
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
    fixture("dhat", "clone-in-loop.before.dhat.json"),
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

// ---- long first lines, perf.data, and content that is not a profile -----------------------------

test("openProfile: a folded file whose first line is longer than the 64 KB head (a 100 KB name, a 20k-deep stack) opens as folded", async () => {
  const name = `wordfreq::${"x".repeat(100 * 1024)}`;
  const deep = Array.from({ length: 20_000 }, (_, i) => `frame_${i}`);
  const cases: [string, string, string[]][] = [
    ["long-name", `${name};leaf 5\nmain;work 2\n`, [`${name};leaf 5`, "main;work 2"]],
    ["long-name-last", `main;${name} 3`, [`main;${name} 3`]],
    ["deep", `${deep.join(";")} 7\n`, [`${deep.join(";")} 7`]],
    ["after-a-comment", `# made by hand\n${deep.join(";")} 4\n`, [`${deep.join(";")} 4`]],
  ];
  for (const [label, text, want] of cases) {
    const path = join(tmp, `${label}.folded`);
    writeFileSync(path, text);
    writeFileSync(`${path}.gz`, gzipSync(text));
    for (const input of [path, `${path}.gz`, Buffer.from(text), gzipSync(text)]) {
      const p = await openProfile(input);
      assert.equal(p.format, "folded", label);
      assert.deepEqual(toFolded(p, { pname: false }), [...want].sort(), label);
    }
  }
});

test("openProfile: a second look at a long first line fools no sniffer", async () => {
  const unknown = [
    `${"x".repeat(100 * 1024)}\n`, // no ";" and no count
    `a${";".repeat(70 * 1024)}\n`, // frames, no count
    `wordfreq ${" ".repeat(70_000)}x\n`, // a perf header cut short
    `{"data": "${"y".repeat(70 * 1024)}", "k": "a;b 5"}\n`, // JSON of no known kind
  ];
  for (const text of unknown) await assert.rejects(openProfile(Buffer.from(text)), /unknown profile format \(it starts with/, text.slice(0, 20));
  // perf script with a 100 KB symbol stays perf script
  const perf = `wordfreq 2206/2206 [001] 1969.165950:    1003009 cpu-clock:\n\t    55d0c1a2 wordfreq::${"x".repeat(100 * 1024)}+0x1f (/bin/wordfreq)\n\t    55d0c1a3 main+0x2 (/bin/wordfreq)\n\n`;
  assert.equal((await openProfile(Buffer.from(perf))).format, "perf-script");
  // a Firefox profile on one line whose keys come after the first 64 KB is found on the second look
  const ff = JSON.parse(readFileSync(fixture("json", "firefox-gecko.json"), "utf8")) as Record<string, unknown>;
  const padded = JSON.stringify({ pad: "z".repeat(70 * 1024), ...ff });
  assert.equal((await openProfile(Buffer.from(padded))).format, "firefox");
});

test("openProfile: counts written like `6.` and `20.` open as folded with those numbers", async () => {
  const p = await openProfile(Buffer.from("main;work 6.\nmain;idle 20.\nmain;io 2.5\n"));
  assert.equal(p.format, "folded");
  assert.deepEqual(toFolded(p, { pname: false }), ["main;idle 20", "main;io 2.5", "main;work 6"]);
  assert.deepEqual(p.warnings, []);
});

test("openProfile: perf.data (PERFILE2 either byte order, legacy PERFFILE, gzipped, or format 'perf.data') goes to readPerfData", async () => {
  const calls: { input: string | Uint8Array; source?: string }[] = [];
  const profile = await openProfile(Buffer.from("main;work 3\n"));
  const readPerfData = async (input: string | Uint8Array, o: { source?: string }) => {
    calls.push({ input, source: o.source });
    return profile;
  };
  const size = (magic: string) => (magic === "2ELIFREP" ? Buffer.from([0, 0, 0, 0, 0, 0, 0, 104]) : Buffer.from([104, 0, 0, 0, 0, 0, 0, 0])); // the header's size, a u64
  const body = Buffer.alloc(200, 7);
  for (const magic of ["PERFILE2", "2ELIFREP", "PERFFILE"]) {
    const path = join(tmp, `${magic}.data`);
    writeFileSync(path, Buffer.concat([Buffer.from(magic), size(magic), body]));
    assert.equal(await openProfile(path, { readPerfData }), profile);
    assert.deepEqual(calls.pop(), { input: path, source: path }, magic);
  }
  const raw = Buffer.concat([Buffer.from("PERFILE2"), size("PERFILE2"), body]);
  await openProfile(gzipSync(raw), { readPerfData, source: "x.perf.data.gz" });
  const gz = calls.pop()!;
  assert.deepEqual(Buffer.from(gz.input as Uint8Array), raw, "gunzipped before the reader");
  assert.equal(gz.source, "x.perf.data.gz");
  await openProfile(Buffer.from("not perf data"), { readPerfData, format: "perf.data" });
  assert.equal(calls.length, 1, "format 'perf.data' wins over sniffing");
  await assert.rejects(openProfile(raw, { source: "x.perf.data" }), /^Error: flamebook: x\.perf\.data: it is a perf\.data file .*openProfile runs no programs\. Open it with open\("x\.perf\.data"\) from flamebook/);
  await assert.rejects(openProfile(gzipSync(raw)), /this input: it is gzip-compressed, and inside is a perf\.data file/);
  assert.throws(() => byName("vtune"), /Supported: .*folded, perf\.data\./);
  // text that merely starts with the magic is not perf.data
  assert.equal((await openProfile(Buffer.from("PERFILE2;main 3\n"), { readPerfData })).format, "folded");
  assert.equal(calls.length, 1);
});

/** A few bytes that start like each kind of file that is not a profile. */
function notProfiles(): [string, Uint8Array, RegExp][] {
  const bin = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
  const noise = Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
  return [
    ["png", bin([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], "IHDR", noise), /it is a PNG image\. flamebook reads the profile a flamegraph is drawn from/],
    ["jpeg", bin([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF", [0], noise), /it is a JPEG image\./],
    ["gif", bin("GIF89a", noise), /it is a GIF image\./],
    ["webp", bin("RIFF", [0x24, 0, 0, 0], "WEBPVP8 ", noise), /it is a WebP image\./],
    ["svg", bin('<?xml version="1.0" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg version="1.1" width="1200">\n'), /it is an SVG image \(a flamegraph drawn by flamegraph\.pl or inferno, perhaps\)/],
    ["html", bin("<!doctype html>\n<html><head><title>flame</title></head></html>\n"), /it is an HTML page/],
    ["elf", readFileSync("/bin/true").subarray(0, 256), /it is an ELF executable or shared library \(a program, not a profile\)\. Record it first/],
    ["zip", bin("PK", [3, 4, 20, 0, 0, 0, 8, 0], noise), /it is a zip archive\. Unpack it/],
    ["zstd", bin([0x28, 0xb5, 0x2f, 0xfd], noise), /it is zstd-compressed data\. Decompress it first \(`zstd -d /],
    ["gzip-of-binary", gzipSync(bin(noise, [0], noise)), /it is gzip-compressed, and inside is binary data \(it starts with the bytes [0-9a-f ]+\), not text\./],
    ["gzip-of-png", gzipSync(bin([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], noise)), /it is gzip-compressed, and inside is a PNG image\./],
    ["binary", bin([0, 1, 2, 3], noise), /it is binary data \(it starts with the bytes 00 01 02 03 [0-9a-f ]+\), not text\./],
  ];
}

test("openProfile: content that is not a profile is named (image, executable, archive, binary) and never printed; the API names { format }", async () => {
  for (const [kind, bytes, want] of notProfiles()) {
    const path = join(tmp, `${kind}.file`);
    writeFileSync(path, bytes);
    await assert.rejects(openProfile(path), (e: Error) => {
      assert.ok(e.message.startsWith(`flamebook: ${path}: unknown profile format: it is `), `${kind}: ${e.message}`);
      assert.match(e.message, want, kind);
      assert.match(e.message, /Supported: pprof, .*, perf\.data\. Pass \{ format \} to choose one\.$/, kind);
      assert.doesNotMatch(e.message, /[\u0000-\u0008\u000e-\u001f\ufffd]|\\u00/, `${kind}: no raw bytes`);
      return true;
    });
  }
  await assert.rejects(openProfile(notProfiles()[0]![1], { formatFlag: "--format <name>" }), /this input: unknown profile format: it is a PNG image\..*Pass --format <name> to choose one\.$/);
});

test("openProfile: an empty file, a file of whitespace, and a directory are named as such", async () => {
  const empty = join(tmp, "empty.folded");
  writeFileSync(empty, "");
  await assert.rejects(openProfile(empty), new RegExp(`^Error: flamebook: ${empty}: the file is empty \\(0 bytes\\): there is no profile in it\\.`));
  await assert.rejects(openProfile(new Uint8Array(0)), /^Error: flamebook: this input: the input is empty \(0 bytes\)/);
  const blank = join(tmp, "blank.txt");
  writeFileSync(blank, " \n\n\t\r\n");
  await assert.rejects(openProfile(blank), new RegExp(`^Error: flamebook: ${blank}: the file holds only whitespace \\(6 bytes, 3 line ends\\): there is no profile in it\\.$`));
  await assert.rejects(openProfile(tmp), new RegExp(`^Error: flamebook: ${tmp} is a directory, not a profile file`));
  // a long run of blank lines followed by text is not "only whitespace"
  await assert.rejects(openProfile(Buffer.from("\n".repeat(70_000) + "hello\n")), /unknown profile format \(it starts with "\\n\\n/);
});
