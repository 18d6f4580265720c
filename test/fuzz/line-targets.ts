// Fuzz targets: the line importers (perf script, folded, callgrind, cachegrind) on 100k structure-aware
// inputs each: windows of real recordings with truncation, byte flips, garbage lines, huge
// numbers, NUL/bidi/surrogate characters, CRLF and very long names; fed in random chunks (a
// split may fall inside a UTF-8 character). Each gives a valid profile or a FormatError naming
// its line, within the per-input budget.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { cachegrind } from "../../src/samples/callgrind/cachegrind.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { folded } from "../../src/samples/folded/folded.js";
import type { LineImporter } from "../../src/samples/importer.js";
import { PeerCollapser } from "../../src/samples/perf/peer-collapse.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { lineFeeder } from "../../src/samples/read-lines.js";
import { COMPRESSED, PLAIN } from "../helpers/callgrind.js";
import { fixture } from "../helpers/golden.js";
import { profileOrError, textInputs, type FuzzTarget } from "./harness.js";

const text = (dir: string, name: string): string => readFileSync(fixture(dir, name), "utf8");
/** The first `n` lines of a fixture: small bases keep 100k inputs fast. */
const head = (dir: string, name: string, n: number): string => text(dir, name).split("\n").slice(0, n).join("\n");

/** A text input and where to split it into two chunks (as bytes). */
const chunked = (inputs: fc.Arbitrary<string>) => fc.record({ text: inputs, split: fc.nat() });

/** Parses `text` with a fresh parser of `importer`, written as two byte chunks split at `split`. */
function parseChunked(importer: LineImporter, input: { text: string; split: number }) {
  const bytes = Buffer.from(input.text, "utf8");
  const at = input.split % (bytes.length + 1);
  const feed = lineFeeder(importer.parser());
  feed.write(bytes.subarray(0, at));
  feed.write(bytes.subarray(at));
  return feed.end();
}

/** A cachegrind head with the `summary:` line its cost lines add up to. */
function cachegrindBase(n: number): string {
  const lines = text("valgrind", "clone-in-loop.before.cachegrind").split("\n").slice(0, n);
  const sums: number[] = [];
  for (const l of lines) if (/^\d/.test(l)) l.trim().split(/\s+/).slice(1).forEach((v, i) => (sums[i] = (sums[i] ?? 0) + Number(v)));
  return [...lines, `summary: ${sums.join(" ")}`, ""].join("\n");
}
/** A callgrind head without `summary:`/`totals:` lines (a cut file with them is an error by design). */
const callgrindBase = (name: string, n: number): string =>
  head("valgrind", name, n)
    .split("\n")
    .filter((l) => !/^(summary|totals):/.test(l))
    .join("\n") + "\n";

const targets: { importer: LineImporter; readonly bases: string[]; seed: number }[] = [
  {
    importer: perfScript,
    seed: 101,
    bases: [
      head("perf-script", "fields-pid-tid-cpu.perf.txt", 120),
      head("perf-script", "srcline.perf.txt", 100),
      head("perf-script", "two-events.perf.txt", 100),
      head("perf-script", "no-callgraph.perf.txt", 100),
      head("perf-script", "fields-no-time.perf.txt", 60),
      // what other machines and pipelines print: `#` header lines, event modifiers, right-aligned
      // headers, frames at column 0 or after a tab, ids-only headers, inline chains, half-demangled Rust
      head("perf-script/variants", "header.perf.txt", 60),
      head("perf-script/variants", "modifiers.perf.txt", 60),
      head("perf-script/variants", "modifiers-flat.perf.txt", 12),
      head("perf-script/variants", "unindented.perf.txt", 40),
      head("perf-script/variants", "tab-after-address.perf.txt", 40),
      head("perf-script/variants", "ids-only.perf.txt", 40),
      text("perf-script/variants", "java-inline-chain.perf.txt"),
      head("perf-script/variants", "legacy-rust.perf.txt", 60),
      text("perf-script/variants", "one-record-no-newline.perf.txt"),
    ],
  },
  {
    importer: folded,
    seed: 102,
    bases: [
      head("folded", "cargo-flamegraph.folded", 12),
      head("folded", "clone-in-loop.difffolded", 12),
      text("folded", "unicode.utf16le.folded"),
      "main;a;b_[k] 3\nmain;c_[i] 2\nmain;d_[j] 1\n",
      // counts as flamegraph.pl writes and reads them: a trailing dot, fractions, difffolded too
      "main;work 6.\nmain;idle 20.\nmain;io 2.5\nmain;x 6.0\nmain;y 007\n",
      "main;a 6. 2.\nmain;b 0. 3.5\nmain;c 1. 0\n",
      // very long lines: a 20 KB name and a stack 2,000 frames deep
      `main;wordfreq::${"x".repeat(20_000)} 3\n${Array.from({ length: 2000 }, (_, i) => `f${i}`).join(";")} 5\nmain;b 1\n`,
    ],
  },
  {
    importer: callgrind,
    seed: 103,
    bases: [
      callgrindBase("clone-in-loop.before.callgrind", 80),
      callgrindBase("clone-in-loop.nocompress.callgrind", 80),
      callgrindBase("clone-in-loop.instr.callgrind", 80),
      COMPRESSED,
      PLAIN,
      // relative addresses and lines (+N, -N, *) with jump=/jcnd=a/b lines; a bb position column
      callgrindBase("clone-in-loop.jumps.callgrind", 80),
      callgrindBase("clone-in-loop.dump-bb.callgrind", 60),
      // hand-made: * and relative positions in two columns, missing costs, position-only lines,
      // plain names and jumps, six events, CRLF
      callgrindBase("handmade/subpositions.callgrind", 200),
      callgrindBase("handmade/plain-names.callgrind", 200),
      callgrindBase("handmade/many-events.callgrind", 200),
      callgrindBase("handmade/crlf.callgrind", 200),
    ],
  },
  { importer: cachegrind, seed: 104, bases: [cachegrindBase(30), cachegrindBase(60)] },
];

/** One fuzz target per line importer, by importer name. */
export const lineTargets: Record<string, () => FuzzTarget<{ text: string; split: number }>> = Object.fromEntries(
  targets.map(({ importer, bases, seed }) => [
    importer.name,
    () => ({ inputs: chunked(textInputs(bases)), check: (input) => profileOrError(() => parseChunked(importer, input), importer.name), seed, minShare: 0.005 }),
  ]),
);

/**
 * perf script of off-CPU recordings read with `{ offCpu: true }`: sched_switch samples with their
 * trace fields, PERF_RECORD_SWITCH IN/OUT lines, --ns times, and perf's default fields.
 */
lineTargets["perf-script-offcpu"] = () => {
  const offCpu: LineImporter = { ...perfScript, parser: () => perfScript.parser({ offCpu: true }) };
  const bases = [
    head("perf-script/offcpu", "sleep.perf.txt", 160),
    head("perf-script/offcpu", "pipe.default-fields.perf.txt", 120),
    head("perf-script/offcpu", "cpu-busy.perf.txt", 120),
  ];
  return { inputs: chunked(textInputs(bases)), check: (input) => profileOrError(() => parseChunked(offCpu, input), "perf-script"), seed: 106, minShare: 0.005 };
};

/**
 * `flamebook collapse --compat perl|inferno` on the perf-script target's inputs: like the tools it
 * reproduces, it never fails; every input gives sorted `stack count` lines, within the budget.
 */
lineTargets["perf-script-compat"] = () => {
  const perf = targets.find((t) => t.importer === perfScript)!;
  return {
    inputs: chunked(textInputs(perf.bases)),
    seed: 105,
    check: (input) => {
      for (const dialect of ["perl", "inferno"] as const) {
        const bytes = Buffer.from(input.text, "utf8");
        const at = input.split % (bytes.length + 1);
        const feed = lineFeeder(new PeerCollapser({ dialect, all: true, addrs: true }));
        feed.write(bytes.subarray(0, at));
        feed.write(bytes.subarray(at));
        const out = feed.end().output.toString(dialect === "perl" ? "latin1" : "utf8");
        const lines = out === "" ? [] : out.slice(0, -1).split("\n");
        if (!out.endsWith("\n") && out !== "") throw new Error(`${dialect}: output does not end with a newline`);
        for (const l of lines) if (!/ \d+$/.test(l)) throw new Error(`${dialect}: not a 'stack count' line: ${JSON.stringify(l.slice(0, 200))}`);
      }
      return "valid";
    },
  };
};
