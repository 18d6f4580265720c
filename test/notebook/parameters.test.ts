import assert from "node:assert/strict";
import { test } from "node:test";
import { declaredParameters, injectParameters, parseParameterArgs } from "../../src/notebook/parameters.js";
import type { Notebook } from "../../src/notebook/nbformat.js";

const nb = (paramsSource: string): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "markdown", source: "# t", metadata: {} },
    { cell_type: "code", id: "p", source: paramsSource, metadata: { tags: ["parameters"] }, outputs: [], execution_count: null },
    { cell_type: "code", id: "u", source: "runs * 2", metadata: {}, outputs: [], execution_count: null },
  ],
});

test("parseParameterArgs: JSON values stay JSON, anything else is a string", () => {
  assert.deepEqual(parseParameterArgs(["runs=3", "crate=crates/x", 'order="random"', "flags=[1,2]", "on=true", "eq=a=b"]), {
    runs: 3,
    crate: "crates/x",
    order: "random",
    flags: [1, 2],
    on: true,
    eq: "a=b",
  });
  assert.throws(() => parseParameterArgs(["runs"]), /name=value/);
  assert.throws(() => parseParameterArgs(["a-b=1"]), /identifier/);
  assert.throws(() => parseParameterArgs(["__proto__=1"]), /"__proto__": it is not a variable/);
});

test("declaredParameters: const/let/var, lists and types; not names inside comments or strings", () => {
  const src = [
    "const runs = 10; // const fake = 1",
    "let store: string = '.flamebook', order: \"abba\" | \"random\" = \"abba\";",
    "/* var hidden = 2; */",
    "const label = 'const inString = 3';",
    "var records = 200_000;",
    "const variants: Record<string, number> = { a: 1, b: 2 };",
  ].join("\n");
  assert.deepEqual(declaredParameters(src), ["runs", "store", "order", "label", "records", "variants"]);
});

test("injectParameters: a tagged cell after the parameters cell, replacing an earlier one", () => {
  const once = injectParameters(nb("const runs = 10;\nconst store = '.flamebook';\n"), { runs: 3, store: "/tmp/s" });
  assert.equal(once.cells.length, 4);
  const injected = once.cells[2]!;
  assert.deepEqual(injected.metadata.tags, ["injected-parameters"]);
  assert.equal(injected.source, '// Parameters injected by flamebook run\nconst runs = 3;\nconst store = "/tmp/s";\n');
  const twice = injectParameters(once, { runs: 5 });
  assert.equal(twice.cells.length, 4, "the earlier injected cell is replaced");
  assert.match(twice.cells[2]!.source, /const runs = 5;/);
  assert.equal(injectParameters(once, {}), once, "no parameters: unchanged");
});

test("injectParameters: values cannot become code", () => {
  const base = nb("const label = 'x';\nconst cfg = {};\n");
  const hostile = "'; process.exit(1); const z = '\u2028\"`${process.exit(2)}`</script>";
  const out = injectParameters(base, { label: hostile });
  const line = out.cells[2]!.source.split("\n")[1]!;
  // The value is one JSON string literal: evaluating the right-hand side gives the string back.
  const rhs = line.replace(/^const label = /, "").replace(/;$/, "");
  assert.equal(JSON.parse(rhs), hostile);
  assert.equal(new Function(`return ${rhs};`)(), hostile);
  assert.throws(() => injectParameters(base, JSON.parse('{"cfg": {"__proto__": {"polluted": true}}}')), /__proto__/);
});

test("injectParameters: unknown names and missing parameters cells are clear errors", () => {
  assert.throws(() => injectParameters(nb("const runs = 10;"), { rnus: 3 }, "x.ipynb"), /x\.ipynb \(cell 2, tagged "parameters"\) does not declare "rnus"; it declares: runs/);
  const noParams: Notebook = { ...nb(""), cells: [{ cell_type: "code", source: "1", metadata: {}, outputs: [], execution_count: null }] };
  assert.throws(() => injectParameters(noParams, { runs: 3 }, "y.ipynb"), /y\.ipynb has no cell tagged "parameters"/);
  assert.throws(() => injectParameters(nb("const runs = 1;"), { "a b": 1 }), /identifier/);
});

test("injectParameters: a value of the wrong type for its declaration is refused, naming the cell and the declared type", () => {
  const cell = 'const size = 20000; // records\nconst order: "abba" | "random" = "abba";\nlet crate = "crates/x";\nconst args = ["1"];';
  assert.throws(
    () => injectParameters(nb(cell), parseParameterArgs(["size=abc"]), "my.ipynb"),
    (e: Error) =>
      e.message ===
      "flamebook: my.ipynb (cell 2, tagged \"parameters\") declares size as number, but -p size=abc gives a string (Type 'string' is not assignable to type 'number'.). " +
        "Give a value of type number (a value that is not valid JSON is read as a string).",
  );
  assert.throws(() => injectParameters(nb(cell), { order: "zigzag" }, "my.ipynb"), /declares order as "abba" \| "random", but -p order=zigzag gives a string/);
  assert.throws(() => injectParameters(nb(cell), { args: [1, 2] }, "my.ipynb"), /declares args as string\[\], but -p args=\[1,2\] gives an array/);
  assert.throws(() => injectParameters(nb(cell), { crate: 3 }, "my.ipynb"), /declares crate as string, but -p crate=3 gives a number .*quote it as JSON: -p crate='"3"'\.$/);
  // values that fit: a number for `const size = 20000` (not only 20000), a member of the union
  const ok = injectParameters(nb(cell), { size: 30000, order: "random", crate: "mine", args: ["a", "b"] }, "my.ipynb");
  assert.match(ok.cells[2]!.source, /const size = 30000;/);
});

test("injectParameters: declarations TypeScript cannot type on the cell alone (computed from imports) are not judged", () => {
  const cell = 'import * as path from "node:path";\nconst crate = path.join("a", "b");\nconst n = 3;';
  assert.doesNotThrow(() => injectParameters(nb(cell), { crate: 5 }, "x.ipynb"));
});
