// pprof written by Go's runtime/pprof (test/fixtures/pprof/go-*.pb.gz, made by
// make-go-pprof-fixtures.sh): sniffed by structure (Go writes time_nanos or period_type first, the
// string table last), read with the totals `go tool pprof` reports (go-expected.json, recorded by
// the same script: CI has no Go), and nothing else sniffed as pprof.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { Profile as PprofMessage } from "pprof-format";
import { functionTotals, totalWeight } from "../../src/fold/function-totals.js";
import { FormatError } from "../../src/model/errors.js";
import { looksLikePprof } from "../../src/samples/pprof/sniff.js";
import { pprof } from "../../src/samples/pprof/pprof.js";
import { openProfile, sniff } from "../../src/samples/registry.js";
import { fixture } from "../helpers/golden.js";
import { validProfileOrFormatError } from "../helpers/format-error.js";
import { assertValid } from "../helpers/valid-profile.js";

interface GoTop {
  name: string;
  flat: number;
  cum: number;
}
interface GoSampleType {
  type: string;
  unit: string;
  total: number;
  top: GoTop[];
}
interface GoExpected {
  producer: string;
  files: Record<string, { goDefaultSampleType: string; sampleTypes: GoSampleType[] }>;
}

const expected = JSON.parse(readFileSync(fixture("pprof", "go-expected.json"), "utf8")) as GoExpected;
const GO_FILES = ["go-cpu.pb.gz", "go-heap.pb.gz"] as const;
const goFile = (name: string): Buffer => readFileSync(fixture("pprof", name));
const UNITS: Record<string, string> = { count: "samples", nanoseconds: "nanoseconds", bytes: "bytes" };

test("go-expected.json: recorded by go tool pprof for both Go fixtures", () => {
  assert.match(expected.producer, /^go1\.\d+.* runtime\/pprof$/);
  assert.deepEqual(Object.keys(expected.files).sort(), [...GO_FILES]);
});

for (const name of GO_FILES) {
  test(`sniff (registry): ${name}, as Go writes it (gzipped, time_nanos/period_type first, string table last), is pprof`, async () => {
    const raw = gunzipSync(goFile(name));
    assert.ok(raw[0] !== 0x0a, "Go does not start with sample_type: the old first-byte sniff missed these files");
    assert.equal(sniff(raw, name).name, "pprof");
    assert.equal(pprof.sniff("", goFile(name)), true, "gzipped");
    const p = await openProfile(fixture("pprof", name));
    assert.equal(p.format, "pprof");
    assertValid(p, { emptyStacks: true });
  });

  test(`looksLikePprof: ${name} cut anywhere after its first sample_type (a 64 KB head cuts fields) is still pprof`, () => {
    const raw = gunzipSync(goFile(name));
    let firstTypeEnd = -1;
    for (let n = 1; n <= raw.length; n++) {
      const yes = looksLikePprof(raw.subarray(0, n));
      if (yes && firstTypeEnd < 0) firstTypeEnd = n;
      if (firstTypeEnd >= 0) assert.equal(yes, true, `cut at ${n} of ${raw.length} bytes`);
    }
    assert.ok(firstTypeEnd > 0 && firstTypeEnd < 40, `sniffed from ${firstTypeEnd} bytes on`);
  });

  test(`pprof.decode: ${name} has the sample types Go names, and each one's total is what go tool pprof reports`, () => {
    const bytes = goFile(name);
    const want = expected.files[name]!;
    const msg = PprofMessage.decode(gunzipSync(bytes));
    const str = (i: number | bigint) => msg.stringTable.strings[Number(i)];
    assert.deepEqual(
      msg.sampleType.map((t) => [str(t.type), str(t.unit)]),
      want.sampleTypes.map((t) => [t.type, t.unit]),
    );
    for (const t of want.sampleTypes) {
      const p = pprof.decode(bytes, { sampleType: t.type, source: name });
      assertValid(p, { emptyStacks: true });
      assert.deepEqual(p.events, [t.type]);
      assert.equal(p.unit, UNITS[t.unit], t.type);
      assert.equal(totalWeight(p), t.total, `${name} ${t.type}: go tool pprof's total`);
    }
  });

  test(`functionTotals: ${name}'s top functions have go tool pprof -top's flat and cum, per sample type`, () => {
    const bytes = goFile(name);
    for (const t of expected.files[name]!.sampleTypes) {
      const ours = functionTotals(pprof.decode(bytes, { sampleType: t.type }));
      for (const top of t.top) {
        const f = ours.find((x) => x.name === top.name);
        assert.ok(f, `${t.type}: ${top.name} is read`);
        assert.deepEqual({ name: f.name, flat: f.self, cum: f.total }, top, t.type);
      }
      // the functions Go shows first by flat (flat > 0: no ties broken by nodes Go dropped) come first here too
      const goOrder = t.top.filter((x) => x.flat > 0).map((x) => x.name);
      const bySelf = [...ours].sort((a, b) => b.self - a.self || (a.name < b.name ? -1 : 1)).slice(0, goOrder.length).map((x) => x.name);
      assert.deepEqual(bySelf, goOrder, t.type);
    }
  });

  test(`pprof.decode: ${name} without a sampleType reads the type go tool pprof shows by default`, () => {
    const p = pprof.decode(goFile(name));
    assert.deepEqual(p.events, [expected.files[name]!.goDefaultSampleType]);
  });
}

test("pprof.decode: go-cpu.pb.gz has main.burn, main.mix, main.sieve under main.work, and main.square inlined into main.work", () => {
  const p = pprof.decode(goFile("go-cpu.pb.gz"));
  const names = new Set(p.frames.name);
  for (const f of ["main.burn", "main.mix", "main.sieve", "main.work", "main.main", "runtime.main"]) assert.ok(names.has(f), f);
  const burn = p.frames.name.indexOf("main.burn");
  assert.equal(p.frames.file[burn], "/tmp/flamebook-fixtures/go-pprof/main.go");
  assert.equal(p.frames.module[burn], "/tmp/flamebook-fixtures/go-pprof/go-pprof-fixtures");
  const square = p.frames.name.indexOf("main.square");
  assert.ok(square >= 0, "main.square");
  assert.equal(p.frames.inlined[square], true, "Go writes an inlined call as a second Line of the Location");
  assert.equal(p.unit, "nanoseconds");
});

test("pprof.decode: go-heap.pb.gz reads inuse_space (Go sets no default_sample_type: pprof takes the last) and every Go sample type by name", () => {
  const bytes = goFile("go-heap.pb.gz");
  assert.equal(Number(PprofMessage.decode(gunzipSync(bytes)).defaultSampleType), 0);
  const p = pprof.decode(bytes);
  assert.deepEqual(p.events, ["inuse_space"]);
  assert.equal(p.unit, "bytes");
  const top = functionTotals(p).filter((f) => f.self > 0).map((f) => f.name);
  assert.ok(top.includes("main.allocBig") && top.includes("main.allocSmall"), top.join(", "));
  assert.deepEqual(pprof.decode(bytes, { sampleType: "0" }).events, ["alloc_objects"]);
});

// ---------------------------------------------------------------------------------------------
// What is not pprof

/** A protobuf of another kind: a message whose field 1 is a message of strings and varints (like a trace packet). */
function otherProtobuf(): Uint8Array {
  const inner = Buffer.concat([Buffer.from([0x0a, 0x05]), Buffer.from("hello"), Buffer.from([0x10, 0x2a, 0x18, 0x01])]);
  return Buffer.concat([Buffer.from([0x0a, inner.length]), inner, Buffer.from([0x0a, inner.length]), inner, Buffer.from([0x10, 0x07])]);
}

test("looksLikePprof: text, JSON, other protobufs, a pprof string table not starting with \"\" and an empty profile are not pprof", () => {
  const no: [string, Uint8Array][] = [
    ["folded text", Buffer.from("main;work 3\nmain;idle 1\n")],
    ["JSON", Buffer.from('{"nodes": [], "samples": [], "startTime": 0}')],
    ["perf script", readFileSync(fixture("perf-script", "threads.perf.txt")).subarray(0, 4096)],
    ["another protobuf", otherProtobuf()],
    ["a ValueType with a string in it", Uint8Array.from([0x0a, 0x04, 0x0a, 0x02, 0x41, 0x42])],
    ["string_table[0] not empty", Uint8Array.from([0x32, 0x01, 0x41, 0x32, 0x00, 0x0a, 0x04, 0x08, 0x01, 0x10, 0x02])],
    ["time_nanos alone", Uint8Array.from([0x48, 0xe4, 0xac, 0xbd, 0x85, 0xdb, 0xaf, 0xc0, 0xf7, 0x18])],
    ["a sample_type cut by the head only", Uint8Array.from([0x48, 0x01, 0x0a, 0x04, 0x08])],
    ["a varint over 10 bytes", Uint8Array.from([0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x48, ...Array(11).fill(0xff)])],
    ["empty", new Uint8Array(0)],
  ];
  for (const [what, bytes] of no) assert.equal(looksLikePprof(bytes), false, what);
  assert.equal(looksLikePprof(Uint8Array.from([0x48, 0x01, 0x0a, 0x04, 0x08, 0x01, 0x10, 0x02])), true, "time_nanos, then a sample_type");
  assert.equal(looksLikePprof(Uint8Array.from([0x32, 0x00, 0x32, 0x03, 0x63, 0x70, 0x75])), true, "a string table starting with \"\"");
});

/** The importer the registry picks, or "unknown". */
function sniffedName(content: Uint8Array): string {
  try {
    return sniff(content).name;
  } catch (e) {
    assert.match((e as Error).message, /unknown profile format/);
    return "unknown";
  }
}

test("sniff (registry): gzip of text, JSON or random bytes is not pprof", () => {
  for (const content of [Buffer.from("main;work 3\n"), Buffer.from('{"a": 1}'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff))]) {
    const gz = gzipSync(content);
    assert.equal(pprof.sniff("", gz), false, content.subarray(0, 20).toString("latin1"));
    assert.notEqual(sniffedName(gunzipSync(gz)), "pprof");
  }
});

test("looksLikePprof (property): random bytes and random text are (almost) never pprof, and when they are, decoding them is clean", () => {
  let sniffed = 0;
  let runs = 0;
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }).map((s) => Buffer.from(s))), (bytes) => {
      runs++;
      if (!looksLikePprof(bytes)) return;
      sniffed++;
      validProfileOrFormatError(() => pprof.decode(bytes));
    }),
    { numRuns: 20_000, seed: 14 },
  );
  assert.ok(sniffed <= runs / 1000, `${sniffed} of ${runs} random inputs sniffed as pprof`);
});

test("looksLikePprof (property): mutated Go profiles sniff without throwing, and what is sniffed decodes to a profile or a FormatError", () => {
  const bases = GO_FILES.map((n) => gunzipSync(goFile(n)));
  const mutation = fc.record({ base: fc.nat(bases.length - 1), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), cut: fc.nat() });
  fc.assert(
    fc.property(mutation, ({ base, flips, cut }) => {
      const b = Buffer.from(bases[base]!);
      for (const [at, v] of flips) b[at % b.length] = v;
      const bytes = b.subarray(0, cut % (b.length + 1));
      if (looksLikePprof(bytes)) validProfileOrFormatError(() => pprof.decode(bytes));
    }),
    { numRuns: 5_000, seed: 15 },
  );
});

test("openProfile with format 'pprof' on a file that is not pprof: a FormatError saying so and how to open it", async () => {
  for (const bytes of [Buffer.from("main;work 3\n"), gzipSync(Buffer.from('{"nodes": []}')), Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])]) {
    await assert.rejects(
      openProfile(bytes, { format: "pprof", source: "not-pprof.txt" }),
      (e: unknown) =>
        e instanceof FormatError &&
        e.format === "pprof" &&
        e.source === "not-pprof.txt" &&
        /expected a pprof profile \(a profile\.proto message, usually gzipped\): .* at byte offset \d+/.test(e.message) &&
        /This is not a pprof profile: it starts with ".*"/.test(e.message) &&
        /without format 'pprof'/.test(e.message),
    );
  }
  // a pprof file cut short still says where it is damaged, not that it is another format
  const cut = gunzipSync(goFile("go-cpu.pb.gz")).subarray(0, 200);
  assert.throws(
    () => pprof.decode(cut),
    (e: unknown) => e instanceof FormatError && /at byte offset \d+/.test(e.message) && !/not a pprof profile:/.test(e.message),
  );
});
