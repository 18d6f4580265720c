// Fuzz targets: the notebook readers and the parameter parser.
// - parseNotebook: mutated notebooks (ours, cut to a few cells, and a small one with every output
//   kind), their text cut/flipped/re-encoded, deep nesting. A valid notebook must also write back
//   (notebookJson) and read again to the same cells; errors are FormatErrors naming line + JSON path.
// - readReportNotebook: the same inputs as text (it reads through parseNotebook): a notebook that
//   renderReport turns into a whole page, or a FormatError naming the file, line and JSON path or column.
// - parameters: random and hostile `name=value` arguments and parameters-cell sources through
//   parseParameterArgs, declaredParameters and injectParameters: either a "flamebook: …" Error
//   naming the bad parameter, or an injected cell whose every value is one JSON literal (no code).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import { notebookJson, parseNotebook, type JsonValue, type Notebook } from "../../src/notebook/nbformat.js";
import { declaredParameters, injectParameters, parseParameterArgs } from "../../src/notebook/parameters.js";
import { readReportNotebook, type ReportNotebook } from "../../src/report/notebook.js";
import { renderReport } from "../../src/report/render.js";
import { anyString, assertPositionedError, deepJson, encodedInputs, jsonMutations, NASTY_CHARS, textInputs, type FuzzTarget, type Outcome } from "./harness.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * A small notebook with every cell and output kind flamebook reads.
 *
 * @example
 * parseNotebook(Buffer.from(JSON.stringify(smallNotebook())), "small.ipynb").cells.length; // 4
 */
export function smallNotebook(): Json {
  return {
    cells: [
      { cell_type: "markdown", id: "m1", metadata: {}, source: ["# Title\n", "text \u202e bidi"] },
      { cell_type: "code", id: "p1", metadata: { tags: ["parameters"] }, execution_count: 1, outputs: [], source: ["const runs = 10; // runs\n", "let crate: string = 'x', n = 2;\n"] },
      {
        cell_type: "code",
        id: "c1",
        metadata: { execution: { "iopub.execute_input": "2026-01-01T00:00:00Z" } },
        execution_count: 2,
        source: "flame(p)",
        outputs: [
          { output_type: "stream", name: "stdout", text: ["a\n", "b"] },
          { output_type: "display_data", data: { "text/plain": ["x"], "application/json": { a: [1, { b: null }] } }, metadata: {} },
          { output_type: "execute_result", execution_count: 2, data: { "text/html": "<b>x</b>", "text/plain": "x" }, metadata: {} },
          { output_type: "error", ename: "Error", evalue: "boom", traceback: ["at x", "at y"] },
        ],
      },
      { cell_type: "raw", metadata: {}, source: "raw", attachments: { "a.png": { "image/png": "iVBOR" } } },
    ],
    metadata: { kernelspec: { name: "flamebook", display_name: "TypeScript (flamebook)", language: "typescript" }, title: "t" },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** One of our notebooks, cut to its first `n` cells. */
function ourNotebook(name: string, n: number): Json {
  const nb = JSON.parse(readFileSync(new URL(`../../notebooks/${name}`, import.meta.url), "utf8"));
  nb.cells = nb.cells.slice(0, n);
  return nb;
}

const notebookBases = (): Json[] => [smallNotebook(), smallNotebook(), smallNotebook(), ourNotebook("clone-in-loop.ipynb", 4), ourNotebook("dataframes.ipynb", 3)];

/** Mutated notebooks as bytes: JSON mutations, text edits (re-encoded, gzipped), deep nesting. */
const notebookInputs = (bases: Json[]): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 6, arbitrary: jsonMutations(bases, { maxPath: 7 }) },
    { weight: 3, arbitrary: encodedInputs(textInputs(bases.map((b) => JSON.stringify(b, null, 1)), { window: 50 })) },
    { weight: 1, arbitrary: deepJson(["cells", "metadata", "nbformat"]).map((t) => Buffer.from(t)) },
  );

/** A notebook's cells as JSON holds them (1e400 in an application/json output reads as Infinity and writes as null, like any JSON tool). */
const cellsOf = (nb: Notebook): unknown => JSON.parse(JSON.stringify(nb.cells));

function checkParseNotebook(bytes: Uint8Array): Outcome {
  let nb: Notebook;
  try {
    nb = parseNotebook(bytes, "fuzz.ipynb");
  } catch (e) {
    assertPositionedError(e, "notebook");
    assert.ok((e as FormatError).source === "fuzz.ipynb", (e as Error).message);
    return "error";
  }
  // what flamebook run writes back must read again, the same
  const again = parseNotebook(Buffer.from(notebookJson(nb)), "again.ipynb");
  assert.deepEqual(cellsOf(again), cellsOf(nb));
  return "valid";
}

function checkReportNotebook(bytes: Uint8Array): Outcome {
  let nb: ReportNotebook;
  try {
    nb = readReportNotebook(Buffer.from(bytes).toString("utf8"), "fuzz.ipynb");
  } catch (e) {
    assertPositionedError(e, "notebook");
    assert.ok((e as FormatError).source === "fuzz.ipynb", (e as Error).message);
    return "error";
  }
  // every notebook the reader accepts renders as a page (the renderer script is a stand-in here)
  const html = renderReport(nb, { source: "fuzz.ipynb", renderer: "/*renderer*/" });
  assert.ok(html.startsWith("<!doctype html>") && html.trimEnd().endsWith("</html>"), html.slice(-200));
  return "valid";
}

// ---- parameters

const IDENT = /^[A-Za-z_$][\w$]*$/;
const name = fc.oneof(fc.constantFrom("runs", "crate", "order", "n", "__proto__", "constructor", "$x", "_", "a1", "1a", "", " runs", "run s", "ru\u202ens", "x-y"), anyString(6));
const value = fc.oneof(
  fc.constantFrom("3", "-1", "1e400", "NaN", "Infinity", '"quoted"', "'single'", "[1,2]", '{"__proto__":{"x":1}}', '{"a":{"__proto__":1}}', "null", "true", "", "=", "a=b", "`${process.exit(1)}`", "1;process.exit(1)", '"\u2028"', "</script>", "\\u0000"),
  fc.json({ maxDepth: 2 }),
  anyString(20),
  fc.array(fc.constantFrom(...NASTY_CHARS), { maxLength: 6 }).map((a) => a.join("")),
);
const arg = fc.oneof({ weight: 8, arbitrary: fc.tuple(name, value).map(([n, v]) => `${n}=${v}`) }, { weight: 1, arbitrary: anyString(12) });
const declaration = fc.oneof(
  fc.constantFrom("const runs = 10;", "let crate: string = 'x', n = 2;", "var order = \"abba\"; // const fake = 1", "/* const hidden = 1 */", "const a = [1, 2], b = { c: 3 };", "export const $x = 1", "const s = `const t = ${1}`;", "const m = new Map<string, number>(), k = 1;", "const runs = 10\nconst crate = 'y'"),
  fc.tuple(fc.constantFrom("const", "let", "var", "export const", "cons"), name, value).map(([k, n, v]) => `${k} ${n} = ${v};`),
  anyString(30),
);
const paramsCase = fc.record({ source: fc.array(declaration, { maxLength: 6 }).map((d) => d.join("\n")), args: fc.array(arg, { maxLength: 4 }), tagged: fc.boolean() });
type ParamsCase = typeof paramsCase extends fc.Arbitrary<infer U> ? U : never;

/** A documented parameter error: a plain Error whose message starts "flamebook: " and names the parameter or the cell. */
function assertParameterError(e: unknown): void {
  if (!(e instanceof Error) || e.constructor !== Error || !/^flamebook: /.test(e.message)) throw e;
  assert.match(e.message, /parameter|declare|tagged "parameters"/, e.message);
}

function checkParameters({ source, args, tagged }: ParamsCase): Outcome {
  const declared = declaredParameters(source);
  for (const n of declared) assert.match(n, IDENT);
  let params: Record<string, JsonValue>;
  try {
    params = parseParameterArgs(args);
  } catch (e) {
    assertParameterError(e);
    return "error";
  }
  for (const n of Object.keys(params)) assert.match(n, IDENT);
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "x", metadata: {} },
      { cell_type: "code", source, metadata: tagged ? { tags: ["parameters"] } : {}, outputs: [], execution_count: null },
      { cell_type: "code", source: "old", metadata: { tags: ["injected-parameters"] }, outputs: [], execution_count: null },
    ],
  };
  let out: Notebook;
  try {
    out = injectParameters(nb, params, "fuzz.ipynb");
  } catch (e) {
    assertParameterError(e);
    return "error";
  }
  const names = Object.keys(params);
  if (names.length === 0) return "valid";
  const injected = out.cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes("injected-parameters"));
  assert.equal(injected.length, 1);
  assert.equal(out.cells.indexOf(injected[0]!), 2, "right after the parameters cell");
  // every line after the comment is `const <declared name> = <one JSON literal equal to the value>;`
  const lines = injected[0]!.source.trimEnd().split("\n").slice(1);
  assert.equal(lines.length, names.length);
  lines.forEach((l, i) => {
    const m = /^const ([A-Za-z_$][\w$]*) = (.*);$/s.exec(l);
    assert.ok(m && m[1] === names[i] && declared.includes(m[1]!), l);
    assert.deepEqual(JSON.parse(m[2]!), params[names[i]!]);
  });
  return "valid";
}

/** The notebook and parameter targets, by name. */
export const notebookTargets: Record<string, () => FuzzTarget<Uint8Array> | FuzzTarget<ParamsCase>> = {
  "parse-notebook": () => ({ inputs: notebookInputs(notebookBases()), check: checkParseNotebook, seed: 301, minShare: 0.02 }),
  "report-notebook": () => ({ inputs: notebookInputs(notebookBases()), check: checkReportNotebook, seed: 302, minShare: 0.02 }),
  parameters: () => ({ inputs: paramsCase, check: checkParameters, seed: 303, minShare: 0.05 }),
};
