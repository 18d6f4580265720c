import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import { DIFF_EVENTS, folded } from "../../src/samples/folded/folded.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { lineFeeder, parseInput } from "../../src/samples/read-lines.js";
import { decodeText, textEncodingOf } from "../../src/samples/text-encoding.js";
import { describeProfile } from "../helpers/describe-profile.js";
import { validProfileOrFormatError } from "../helpers/format-error.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

test("folded.read: comments, blank lines, CRLF and a BOM are skipped; stray lines are counted in one warning", async () => {
  const text = "\ufeff# made by hand\r\n// another comment\r\nmain;work 3\r\n\r\nthis is not a stack\r\nmain;idle 1\r\nmain;work 2\r\nalso stray\r\n";
  const p = await parseInput(folded.parser(), text);
  assert.deepEqual(toFolded(p, { pname: false }), ["main;idle 1", "main;work 5"]);
  assert.equal(p.warnings.length, 1);
  assert.match(p.warnings[0]!, /skipped 2 line\(s\).*first at line 5/);
});

test("folded.read: a last line without a newline is read; names keep spaces", async () => {
  const p = await parseInput(folded.parser(), "a b;<T as c::D>::e 7");
  assert.deepEqual(toFolded(p, { pname: false }), ["a b;<T as c::D>::e 7"]);
});

test("folded.sniff: recognises folded stacks", () => {
  assert.equal(folded.sniff("main;work 3\nmain;idle 1\n"), true);
  assert.equal(folded.sniff("wordfreq 2206 1969.165950: 1003009 cpu-clock:\n\t 13cf9 main (/bin/x)\n"), false);
});

// ---- fixtures, difffolded, text encodings, hostile values -------------------------------------

const readFixture = (name: string) => parseInput(folded.parser({ source: name }), decodeText(readFileSync(fixture("folded", name))));
const foldedFixtures = readdirSync(fixture("folded")).filter((f) => /\.(folded|difffolded)$/.test(f));

for (const name of foldedFixtures) {
  test(`folded.read: ${name} matches its golden folded stacks and summary`, async () => {
    const p = await readFixture(name);
    assertValid(p, { emptyStacks: true });
    const stacks = p.events.map((event) => `# ${event}\n${toFolded(p, { pname: false, annotate: true, event }).join("\n")}\n`);
    matchesGolden(`folded/${name}`, stacks.join(""));
    matchesGolden(`folded/${name}.summary.txt`, describeProfile(p, { threads: false, withFile: false, weight: "per event", timed: "none" }));
  });
}

test("folded.read: a cargo-flamegraph file with CRLF, comments and six stray lines (negative, NaN, 1e400, 2^60 counts) warns once", async () => {
  const p = await readFixture("cargo-flamegraph.folded");
  assert.equal(p.warnings.length, 1);
  assert.match(p.warnings[0]!, /skipped 6 line\(s\).*first at line 24/);
  assert.ok(p.frames.name.every((n) => !n.includes("stray::") && !n.includes("\r")));
  assert.ok(p.samples.weight.every((w) => Number.isFinite(w) && w > 0));
  const jit = p.frames.name.indexOf("LazyCompile:~process_[j]");
  assert.ok(jit >= 0, "_[j] stays in the name");
  assert.equal(p.frames.kind[jit], "unknown");
  assert.equal(p.frames.kind[p.frames.name.indexOf("do_syscall_64")], "kernel");
  assert.ok(p.frames.inlined[p.frames.name.indexOf("<T as alloc::string::ToString>::to_string")]);
});

test("folded.read: the cargo-flamegraph fixture has the perf fixture's stacks (toFolded → folded.read round trip)", async () => {
  const original = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.before.perf.txt") });
  const p = await readFixture("cargo-flamegraph.folded");
  const extra = new Set(["wordfreq-before;[unknown];v8::internal::Invoke_[j];LazyCompile:~process_[j] 5", "wordfreq-before;entry_SYSCALL_64_[k];do_syscall_64_[k];__x64_sys_write_[k] 7"]);
  assert.deepEqual(toFolded(p, { pname: false, annotate: true }).filter((l) => !extra.has(l)), toFolded(original, { annotate: true }));
});

test("folded.read: difffolded `stack before after` gives the events before and after, equal to both perf fixtures", async () => {
  const p = await readFixture("clone-in-loop.difffolded");
  assert.deepEqual(p.events, [...DIFF_EVENTS]);
  const before = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.before.perf.txt") });
  const after = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.after.perf.txt") });
  assert.deepEqual(toFolded(p, { pname: false, event: "before" }), toFolded(before, { pname: false }));
  assert.deepEqual(toFolded(p, { pname: false, event: "after" }), toFolded(after, { pname: false }));
  assert.ok(p.samples.weight.every((w) => w > 0), "a 0 count gives no sample row");
});

test("folded.read: difffolded is decided by the first good line; one-count lines in it are stray", async () => {
  const p = await parseInput(folded.parser(), "garbage\nmain;work 3 5\nmain;idle 2\nmain 0 1\n");
  assert.deepEqual(p.events, ["before", "after"]);
  assert.deepEqual(toFolded(p, { pname: false }), ["main;work 3"]);
  assert.deepEqual(toFolded(p, { pname: false, event: "after" }), ["main 1", "main;work 5"]);
  assert.match(p.warnings[0]!, /skipped 2 line\(s\) that are not 'frame;frame;frame before after'.*first at line 1/);
  const single = await parseInput(folded.parser(), "main;work 3\nmain;idle 2 1\n");
  assert.deepEqual(single.events, ["samples"]);
  assert.deepEqual(toFolded(single, { pname: false }), ["main;idle 2 1", "main;work 3"], "in a one-count file the name keeps its number");
  assert.deepEqual((await parseInput(folded.parser(), "")).events, ["samples"]);
});

test("folded.read: hostile counts are stray lines, never weights", async () => {
  const p = await parseInput(folded.parser(), ["a;b 1e400", "a;b -3", "a;b NaN", "a;b Infinity", "a;b 9007199254740993", "a;b 0x10", "a;b 1.5", "a;b 2E3", "a;b 0"].join("\n"));
  assert.deepEqual(toFolded(p, { pname: false }), ["a;b 1.5"]);
  assert.match(p.warnings[0]!, /skipped 7 line\(s\)/);
});

test("folded.read: counts as flamegraph.pl reads them (\\d+(?:\\.\\d*)?): `6.`, `20.`, `6.0`, `6.25` count; `1e3`, `.5`, `+3`, `6..` lines are stray", async () => {
  const p = await parseInput(folded.parser(), ["main;a 6.", "main;b 20.", "main;c 6.0", "main;d 6.25", "main;e 007", "main;f 1e3", "main;g .5", "main;h +3", "main;i 6..", "main;j 1.5e2"].join("\n"));
  assert.deepEqual(toFolded(p, { pname: false }), ["main;a 6", "main;b 20", "main;c 6", "main;d 6.25", "main;e 7"]);
  assert.match(p.warnings[0]!, /skipped 5 line\(s\).*first at line 6/);
  const d = await parseInput(folded.parser(), "main;a 6. 2.\nmain;b 0. 3.5\n");
  assert.deepEqual(d.events, ["before", "after"]);
  assert.deepEqual(toFolded(d, { pname: false, event: "before" }), ["main;a 6"]);
  assert.deepEqual(toFolded(d, { pname: false, event: "after" }), ["main;a 2", "main;b 3.5"]);
});

test("folded.sniff: counts with a trailing dot or a fraction", () => {
  assert.equal(folded.sniff("main;work 6.\nmain;idle 20.\n"), true);
  assert.equal(folded.sniff("main;work 2.5\r\n"), true);
  assert.equal(folded.sniff("main;work 6. 7.\n"), true);
  assert.equal(folded.sniff("main;work 1e3\n"), false);
  assert.equal(folded.sniff("main;work .5\n"), false);
});

test("folded.read: UTF-16 text handed over undecoded is a FormatError that says how to decode it", async () => {
  const bytes = readFileSync(fixture("folded", "unicode.utf16le.folded"));
  await assert.rejects(parseInput(folded.parser(), bytes), (e: unknown) => e instanceof FormatError && e.line === 1 && /UTF-16.*decodeText/.test(e.message));
});

test("decodeText: BOMs pick UTF-8, UTF-16LE or UTF-16BE; no BOM is UTF-8", () => {
  const text = "main;naïve::写入;🔥 3\r\n";
  assert.equal(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), text);
  assert.equal(decodeText(Buffer.from("\ufeff" + text, "utf16le")), text);
  assert.equal(decodeText(Buffer.from("\ufeff" + text, "utf16le").swap16()), text);
  assert.equal(decodeText(Buffer.from(text)), text);
  assert.equal(decodeText(Uint8Array.from([0xff, 0xfe, 0x61, 0x00, 0x62])), "a\ufffd", "an odd last byte");
  assert.equal(decodeText(new Uint8Array(0)), "");
  assert.deepEqual(textEncodingOf(Uint8Array.from([0xfe, 0xff])), { encoding: "utf-16be", bom: 2 });
  const le = readFileSync(fixture("folded", "unicode.utf16le.folded"));
  const be = readFileSync(fixture("folded", "unicode.utf16be.folded"));
  assert.equal(decodeText(le), decodeText(be));
  assert.ok(decodeText(le).includes("main;🔥::burn;<Vec<ü8> as Drop>::drop 4"));
});

test("folded.sniff: accepts UTF-8 with a BOM, UTF-16 with a BOM (from the bytes) and difffolded", () => {
  const utf16 = readFileSync(fixture("folded", "unicode.utf16le.folded"));
  assert.equal(folded.sniff(utf16.toString("utf8"), utf16), true);
  assert.equal(folded.sniff("\ufeffmain;work 3\n", Buffer.from("\ufeffmain;work 3\n")), true);
  assert.equal(folded.sniff("main;work 3 5\nmain;idle 0 2\n"), true);
  assert.equal(folded.sniff("", readFileSync(fixture("pprof", "hand-inlined.pb"))), false);
});

test("folded.read (property): random lines (unicode, hostile counts, difffolded) give a valid profile or a FormatError", () => {
  const frame = fc.oneof(fc.string({ unit: "grapheme", maxLength: 8 }), fc.constantFrom("main", "a b", "x_[k]", "y_[i]", "z_[j]", "", " ", "\u0000", "\ufeff", "#"));
  const count = fc.oneof(
    fc.nat().map(String),
    fc.double().map(String),
    fc.constantFrom("1e400", "-1", "NaN", "Infinity", "9007199254740993", "1e308", "0", "00", "1.", ".5", "1e-400", "1E5"),
  );
  const line = fc.oneof(
    fc.tuple(fc.array(frame, { maxLength: 5 }), fc.array(count, { minLength: 1, maxLength: 2 })).map(([fs, cs]) => `${fs.join(";")} ${cs.join(" ")}`),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.constantFrom("# comment", "// c", "", "\r"),
  );
  const eol = fc.constantFrom("\n", "\r\n");
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), eol, (lines, nl) => {
      const p = validProfileOrFormatError(() => {
        const feed = lineFeeder(folded.parser());
        feed.write(lines.join(nl));
        return feed.end();
      });
      if (p !== null) assert.ok(p.events.length === 1 || p.events.join() === "before,after");
    }),
    { numRuns: 10_000, seed: 4 },
  );
});
