// Fuzz target: openProfile on bytes of every format, mutated: the sniffers see 64 KB heads of
// anything (cut, re-encoded, gzipped, garbage, binary files that are not profiles, folded lines
// longer than the head), then the chosen importer parses. The result is a valid profile, a
// FormatError naming its position, or one of the documented errors for content that is not a
// profile (unknown format, empty, only whitespace, perf.data without a reader), which never
// print raw bytes.
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import { formatNames, openProfile } from "../../src/samples/registry.js";
import { fixture } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";
import { assertPositionedError, byteInputs, encodedInputs, jsonMutations, textInputs, type FuzzTarget, type Outcome } from "./harness.js";

const head = (dir: string, name: string, n: number): string => readFileSync(fixture(dir, name), "utf8").split("\n").slice(0, n).join("\n");
const CHOOSE = `Supported: ${formatNames.join(", ")}\\. Pass \\{ format \\} to choose one\\.`;
/** The documented errors for input that is not a profile (see src/samples/unknown-format.ts). */
const DOCUMENTED = [
  new RegExp(`^flamebook: this input: unknown profile format \\(it (is gzip-compressed text that )?starts with ".*"\\)\\. ${CHOOSE}(\\nIt looks like UTF-16 text without a byte-order mark; convert it: \`iconv -f UTF-16[LB]E -t UTF-8\`\\.)?$`, "s"),
  new RegExp(`^flamebook: this input: unknown profile format: it is (gzip-compressed, and inside is )?\\S[^\\n]*\\. ${CHOOSE}$`),
  /^flamebook: this input: (the input is empty \(0 bytes\)|the input holds only whitespace \(\d+ bytes(, \d+ line ends?)?\)|it unpacks from gzip to nothing \(0 bytes\)): there is no profile in it\./,
  /^flamebook: this input: it is (gzip-compressed, and inside is )?a perf\.data file \(the binary output of `perf record`\), which flamebook reads by running `perf script` on it; openProfile runs no programs\./,
];

async function checkOpen(bytes: Uint8Array): Promise<Outcome> {
  try {
    assertValid(await openProfile(bytes), { emptyStacks: true });
    return "valid";
  } catch (e) {
    if (e instanceof FormatError) assertPositionedError(e, /^[a-z-]+$/);
    else if (!(e instanceof Error && e.constructor === Error && DOCUMENTED.some((re) => re.test(e.message)))) throw e;
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u0009\u000b-\u001f]/.test(e.message)) throw new Error(`raw control bytes in the message: ${JSON.stringify(e.message.slice(0, 200))}`);
    return "error";
  }
}

/** Heads of files that are not profiles: perf.data (three magics), PNG, ELF, zip, gzip of binary and of unknown text. */
function binaryHeads(): Uint8Array[] {
  const noise = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) & 0xff));
  return [
    Buffer.concat([Buffer.from("PERFILE2"), Buffer.from([104, 0, 0, 0, 0, 0, 0, 0]), noise]), // magic, then the header's size
    Buffer.concat([Buffer.from("2ELIFREP"), Buffer.from([0, 0, 0, 0, 0, 0, 0, 104]), noise]),
    Buffer.concat([Buffer.from("PERFFILE"), Buffer.from([16, 0, 0, 0, 0, 0, 0, 0]), noise]),
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise]),
    readFileSync("/bin/true").subarray(0, 1024),
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), noise]),
    gzipSync(noise),
    gzipSync("these are notes, not a profile\nsecond line\n"),
  ];
}

/** Folded text whose first line is longer than the 64 KB head: a long name, a deep stack, or neither quite (no count, only ";"). */
const longLines = fc
  .record({ kind: fc.constantFrom("name", "deep", "no-count", "semicolons"), n: fc.integer({ min: 60_000, max: 140_000 }), end: fc.constantFrom("", "\n", "\nmain;b 2\n", " 6.\n", "\r\n"), zip: fc.boolean() })
  .map(({ kind, n, end, zip }) => {
    const line =
      kind === "name" ? `main;${"x".repeat(n)} 5` : kind === "deep" ? `${Array.from({ length: Math.ceil(n / 8) }, (_, i) => `f${i}`).join(";")} 7` : kind === "no-count" ? `main;${"y".repeat(n)}` : `a${";".repeat(n)}`;
    const bytes = Buffer.from(line + end);
    return zip ? gzipSync(bytes) : bytes;
  });

/** openProfile's target: text formats (heads of each), JSON documents, pprof bytes and binary heads, mutated; long first lines. */
export const openTargets: Record<string, () => FuzzTarget<Uint8Array>> = {
  "open-profile": () => {
    const texts = [
      head("perf-script", "fields-pid-tid-cpu.perf.txt", 30),
      head("folded", "cargo-flamegraph.folded", 8),
      head("valgrind", "clone-in-loop.before.callgrind", 30),
      head("valgrind", "clone-in-loop.before.cachegrind", 25),
    ];
    const docs = [...["firefox-gecko.json", "speedscope-evented.json", "firefox-processed-v45.json"].map((n) => fixture("json", n)), fixture("dhat", "ad-hoc.dhat.json")].map((f) => JSON.parse(readFileSync(f, "utf8")) as unknown);
    const pb = ["threads.pb.gz", "go-cpu.pb.gz"].map((n) => gunzipSync(readFileSync(fixture("pprof", n)))); // toPprof's and Go's field order
    const inputs = fc.oneof(
      { weight: 4, arbitrary: encodedInputs(textInputs([...texts, ...docs.map((d) => JSON.stringify(d, null, 1))], { window: 30 })) },
      { weight: 2, arbitrary: jsonMutations(docs) },
      { weight: 2, arbitrary: byteInputs(pb) },
      { weight: 1, arbitrary: byteInputs(binaryHeads()) },
      { weight: 1, arbitrary: longLines },
    );
    return { inputs, check: checkOpen, seed: 401, minShare: 0.02 };
  },
};
