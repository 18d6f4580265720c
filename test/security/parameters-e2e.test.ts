// Notebook parameters cannot inject code: `flamebook run -p name=value` with hostile values (string
// break-outs with each quote kind, template-literal ${…}, comment and line terminators, U+2028,
// backslashes, a </script>, and JSON objects whose strings carry the same) reaches the cell as
// exactly that value, and nothing in it runs: each payload would create a side-effect file, and
// none exists afterwards. A hostile parameter *name* is refused before anything runs.
// (parseParameterArgs/injectParameters unit tests are test/notebook/parameters.test.ts.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { parseParameterArgs } from "../../src/notebook/parameters.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const bin = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "fbsec-params-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const side = join(tmp, "side");
const effect = (k: number) => `require("fs").writeFileSync(${JSON.stringify(join(side, `pwned-${k}`))}, "x")`;

/** Values that would run `effect(k)` if pasted into the parameters cell as code. */
function hostile(): string[] {
  const e = (k: number) => effect(k);
  return [
    `"; ${e(0)}; "`,
    `'; ${e(1)}; '`,
    `\`; ${e(2)}; \``,
    `\${${e(3)}}`,
    `*/ ${e(4)} /*`,
    `x\n${e(5)}\n`,
    `x\u2028${e(6)}\u2029`,
    `\\"; ${e(7)}; //`,
    `</script><script>${e(8)}</script>`,
    `${e(9)}`,
    `{"a": "\\"; ${e(10).replaceAll('"', '\\"')}; \\"", "b": [1, "\${${e(11).replaceAll('"', '\\"')}}"]}`,
    `["\`\${${e(12).replaceAll('"', '\\"')}}\`"]`,
  ];
}

test("flamebook run -p: hostile values reach the cell exactly, and nothing in them runs", { timeout: 120_000 }, async () => {
  await ensureBuilt(); // cells import flamebook's CJS build
  const { mkdirSync } = await import("node:fs");
  mkdirSync(side);
  const values = hostile();
  const names = values.map((_, k) => `p${k}`);
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "flamebook", display_name: "flamebook", language: "typescript" } },
    cells: [
      { cell_type: "code", id: "params", metadata: { tags: ["parameters"] }, source: names.map((n) => `let ${n}: unknown = "default";`).join("\n"), outputs: [], execution_count: null },
      { cell_type: "code", id: "show", metadata: {}, source: `console.log(JSON.stringify([${names.join(", ")}]))`, outputs: [], execution_count: null },
    ],
  };
  const file = join(tmp, "params.ipynb");
  writeFileSync(file, JSON.stringify(nb));
  const out = join(tmp, "params.out.ipynb");
  const args = values.flatMap((v, k) => ["-p", `${names[k]}=${v}`]);
  const r = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), bin, "run", file, "--out", out, ...args], { cwd: tmp, encoding: "utf8", timeout: 100_000 });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  assert.deepEqual(readdirSync(side), [], "a payload ran");
  const executed = JSON.parse(readFileSync(out, "utf8")) as { cells: { id: string; outputs: { output_type: string; text?: string[] }[] }[] };
  const shown = executed.cells.find((c) => c.id === "show")!.outputs.find((o) => o.output_type === "stream")!.text!.join("");
  const expected = parseParameterArgs(values.map((v, k) => `${names[k]}=${v}`));
  assert.deepEqual(JSON.parse(shown), names.map((n) => expected[n]), "each cell sees exactly the value given");
  // The plain strings arrive as strings, character for character.
  for (const k of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) assert.equal((JSON.parse(shown) as unknown[])[k], values[k]);
});

test("flamebook run -p: a name that is not an identifier is refused and nothing runs", { timeout: 60_000 }, () => {
  const file = join(tmp, "one.ipynb");
  writeFileSync(
    file,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: "code", id: "p", metadata: { tags: ["parameters"] }, source: "let x = 1;", outputs: [], execution_count: null }, { cell_type: "code", id: "c", metadata: {}, source: "x", outputs: [], execution_count: null }],
    }),
  );
  // (`x=1;code` is not one of these: its name is x and its value the string "1;code".)
  for (const bad of [`x;${effect(100)};x=1`, `x/*=*/1`, `constructor.constructor(${effect(101)})()=1`, `x\u2028${effect(102)}=1`]) {
    const r = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), bin, "run", file, "--out", join(tmp, "one.out.ipynb"), "-p", bad], { cwd: tmp, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /parameter|declare/i, r.stderr);
  }
  assert.equal(existsSync(join(tmp, "one.out.ipynb")), false);
  // `__proto__` would set the prototype of the parameters object instead of a key: it is refused.
  const proto = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), bin, "run", file, "--out", join(tmp, "proto.out.ipynb"), "-p", `__proto__={"toString":"${effect(103).replaceAll('"', '\\"')}"}`], { cwd: tmp, encoding: "utf8", timeout: 60_000 });
  assert.equal(proto.status, 1, proto.stderr);
  assert.match(proto.stderr, /bad parameter name "__proto__"/);
  assert.deepEqual(existsSync(side) ? readdirSync(side) : [], []);
});
