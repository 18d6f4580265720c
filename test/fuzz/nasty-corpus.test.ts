// The nasty-input corpus (test/fixtures/nasty/, made by make-nasty.ts, plus the large inputs it
// makes in memory) through openProfile (sniffing), every importer directly, parseNotebook and
// readReportNotebook: each a valid result or a documented error naming a position, each within
// the per-input budget. openProfile's outcome on every file is pinned in OPEN below.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { FormatError } from "../../src/model/errors.js";
import { notebookJson, parseNotebook } from "../../src/notebook/nbformat.js";
import { readReportNotebook } from "../../src/report/notebook.js";
import { renderReport } from "../../src/report/render.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { importers, openProfile } from "../../src/samples/registry.js";
import { largeNastyFiles } from "../fixtures/nasty/make-nasty.js";
import { assertValid } from "../helpers/valid-profile.js";
import { assertPositionedError, BUDGET_MS } from "./harness.js";

const DIR = new URL("../fixtures/nasty/", import.meta.url);
const corpus = new Map<string, Uint8Array>(
  readdirSync(DIR)
    .filter((n) => !/^(make-nasty\.ts|README\.md)$/.test(n))
    .sort()
    .map((n) => [n, readFileSync(new URL(n, DIR))]),
);
const all = new Map([...corpus, ...largeNastyFiles()]);

/** Large inputs may take longer than the fuzz budget (10 MB of JSON), but not much. */
const budgetFor = (bytes: Uint8Array): number => BUDGET_MS + bytes.length / 10_000; // + 1 s per 10 MB

/** What a call did: "valid", "FormatError <format> line <n>", or the documented error's first line. */
async function outcome(run: () => unknown, format?: string | RegExp): Promise<string> {
  try {
    const r = await run();
    if (r && typeof r === "object" && "samples" in r) assertValid(r as never, { emptyStacks: true });
    return "valid";
  } catch (e) {
    if (e instanceof FormatError) {
      assertPositionedError(e, format ?? /^[a-z-]+$/);
      return `FormatError ${e.format} line ${e.line}`;
    }
    if (e instanceof Error && e.constructor === Error && /^flamebook: [^\n]*: the (input|file) (is empty|holds only whitespace)/.test(e.message)) return "empty";
    if (e instanceof Error && e.constructor === Error && /^flamebook: .*(unknown profile format|has no sample type)/s.test(e.message)) return "unknown format";
    throw e;
  }
}

async function timed(name: string, what: string, bytes: Uint8Array, run: () => Promise<string>): Promise<string> {
  const t0 = performance.now();
  const r = await run();
  const ms = performance.now() - t0;
  assert.ok(ms < budgetFor(bytes), `${what} on ${name} took ${ms.toFixed(0)} ms`);
  return r;
}

/** openProfile's outcome per corpus file (sniffed format, or the error). */
const OPEN: Record<string, string> = {
  "bidi-names.folded": "valid",
  "bidi-names.perf.txt": "valid",
  "bidi-nul-source.ipynb": "unknown format",
  "bom-crlf.ipynb": "unknown format",
  "cell-type-unknown.ipynb": "unknown format",
  "cell-without-source.ipynb": "unknown format",
  "cells-as-object.ipynb": "unknown format",
  "compressed-id-huge.callgrind": "valid",
  "cpuprofile-child-cycle.cpuprofile": "FormatError cpuprofile line 1",
  "cr-only.perf.txt": "FormatError perf-script line 1",
  "crlf.callgrind": "valid",
  "crlf.folded": "valid",
  "crlf.perf.txt": "valid",
  "deep-array-100k.json.gz": "unknown format",
  "deep-cpuprofile-100k.cpuprofile.gz": "FormatError cpuprofile line 1",
  "deep-object-100k-open.json.gz": "unknown format",
  "deep-speedscope-100k.json.gz": "FormatError speedscope line 1",
  "deep-threads-100k.json.gz": "FormatError firefox line 1",
  empty: "empty",
  "execution-count-1e400.ipynb": "unknown format",
  "firefox-stack-cycle.json": "FormatError firefox line 85",
  "gzip-empty.gz": "FormatError gzip line 1",
  "gzip-magic-then-garbage.gz": "FormatError gzip line 1",
  "gzip-of-garbage.gz": "unknown format",
  "gzip-twice.folded.gz.gz": "unknown format",
  "huge-counts.cachegrind": "FormatError cachegrind line 6",
  "huge-counts.folded": "valid",
  "huge-numbers.perf.txt": "FormatError perf-script line 1",
  "json-bom-crlf.speedscope.json": "valid",
  "json-nul.json": "unknown format",
  "json-utf16le-no-bom.json": "unknown format",
  "lone-surrogates.perf.txt": "valid",
  "long-symbol.folded.gz": "valid", // its one line is longer than the 64 KB head: the sniffers look again
  "long-symbol.perf.txt": "valid",
  "nbformat-deep.ipynb.gz": "unknown format",
  "nbformat3.ipynb": "unknown format",
  "newlines-64k.txt": "unknown format",
  "no-summary.cachegrind": "FormatError cachegrind line 7",
  "not-a-notebook.ipynb": "unknown format",
  "nul-bytes.bin": "unknown format",
  "nul-in-names.perf.txt": "valid",
  "odd-utf16-byte.folded": "valid",
  "output-deep-100k.ipynb.gz": "unknown format",
  "output-type-unknown.ipynb": "unknown format",
  "pprof-empty-string-table.pb": "FormatError pprof line 1",
  "pprof-function-out-of-range.pb": "FormatError pprof line 1",
  "pprof-huge-varint.pb": "unknown format",
  "pprof-length-past-end.pb": "unknown format",
  "pprof-location-out-of-range.pb": "FormatError pprof line 1",
  "pprof-location-zero.pb": "FormatError pprof line 1",
  "pprof-negative-value.pb": "FormatError pprof line 1",
  "pprof-string-out-of-range.pb": "FormatError pprof line 1",
  "pprof-truncated.pb": "FormatError pprof line 1",
  "pprof-truncated.pb.gz": "FormatError pprof line 1",
  "proto-keys.ipynb": "unknown format",
  "self-recursive-cycle.callgrind": "valid",
  "semicolons-64k.txt": "unknown format",
  "spaces-70k.perf.txt": "unknown format",
  "speedscope-frame-out-of-range.json": "FormatError speedscope line 1",
  "speedscope-unbalanced.json": "FormatError speedscope line 1",
  "truncated.callgrind": "FormatError callgrind line 14",
  "truncated.ipynb": "unknown format",
  "truncated.perf.txt.gz": "FormatError perf-script line 1",
  "undefined-compressed-names.callgrind": "FormatError callgrind line 10",
  "utf16be-bom.folded": "valid",
  "utf16be-no-bom.folded": "unknown format",
  "utf16le-bom.perf.txt": "valid",
  "utf16le-no-bom.folded": "unknown format",
  "utf16le-no-bom.ipynb": "unknown format",
  "utf16le-no-bom.perf.txt": "unknown format",
};

test("nasty corpus: is small (< 500 KB) and every file has a pinned openProfile outcome", () => {
  let total = 0;
  for (const b of corpus.values()) total += b.length;
  assert.ok(total < 500 * 1024, `${total} bytes`);
  assert.deepEqual([...corpus.keys()].sort(), Object.keys(OPEN).sort());
});

test("nasty corpus: openProfile (sniffing + parsing) gives the pinned outcome, within the budget", async () => {
  const got: Record<string, string> = {};
  for (const [name, bytes] of all) got[name] = await timed(name, "openProfile", bytes, () => outcome(() => openProfile(bytes)));
  if (process.env.PRINT_OUTCOMES) console.log(JSON.stringify(got, null, 1));
  for (const name of corpus.keys()) assert.equal(got[name], OPEN[name], name);
});

test("nasty corpus: every importer on every file gives a valid profile or a FormatError naming a line", async () => {
  for (const [name, bytes] of all) {
    for (const imp of importers) {
      const run = imp.decode ? () => imp.decode!(bytes) : () => parseInput(imp.parser!(), bytes);
      await timed(name, imp.name, bytes, () => outcome(run, new RegExp(`^(${imp.name}|gzip)$`)));
    }
  }
});

test("nasty corpus: parseNotebook (and writing back) and readReportNotebook (and rendering) give a notebook or a positioned error", async () => {
  for (const [name, bytes] of all) {
    await timed(name, "parseNotebook", bytes, () =>
      outcome(() => {
        const nb = parseNotebook(bytes, name);
        parseNotebook(Buffer.from(notebookJson(nb)), name);
        return "valid";
      }, "notebook"),
    );
    await timed(name, "readReportNotebook + renderReport", bytes, () =>
      outcome(() => {
        renderReport(readReportNotebook(Buffer.from(bytes).toString("utf8"), name), { source: name, renderer: "/*renderer*/" });
        return "valid";
      }, "notebook"),
    );
  }
});

test("nasty corpus: notebooks flamebook must refuse are refused, with the position", () => {
  const fail = (name: string): FormatError => {
    try {
      parseNotebook(all.get(name)!, name);
    } catch (e) {
      if (e instanceof FormatError) return e;
      throw e;
    }
    return assert.fail(`${name} was read`);
  };
  assert.match(fail("nbformat3.ipynb").message, /nbformat to be 4/);
  assert.match(fail("cells-as-object.ipynb").message, /line 11: expected cells to be an array/);
  assert.match(fail("cell-without-source.ipynb").message, /cells\[1\]\.source to be a string or a list of strings/);
  assert.match(fail("execution-count-1e400.ipynb").message, /execution_count to be a finite number/);
  assert.match(fail("output-deep-100k.ipynb.gz").message, /nested at most 1000 levels deep/);
  assert.match(fail("truncated.ipynb").message, /not valid JSON/);
  // the 10 MB output and the hostile keys are read, and kept
  const big = parseNotebook(all.get("output-10mb.ipynb")!, "big");
  assert.equal((big.cells[2]!.outputs![0] as { text: string }).text.length, 10 * 1024 * 1024);
  const proto = parseNotebook(all.get("proto-keys.ipynb")!, "proto");
  assert.equal(Object.getPrototypeOf(proto.cells[0]!.metadata), Object.prototype);
});

test("readReportNotebook: a deeply nested nbformat value is a positioned FormatError, not a stack overflow", () => {
  const text = gunzipSync(all.get("nbformat-deep.ipynb.gz")!).toString("utf8");
  assert.throws(() => readReportNotebook(text, "deep.ipynb"), (e: unknown) => e instanceof FormatError && e.source === "deep.ipynb" && /nested at most 1000 levels deep/.test(e.message));
});
