// The built package as consumers load it: require("flamebook") from CommonJS (what tslab cells compile
// to), import("flamebook") from ESM, and the top-level "types" that Node10 type resolution reads.
// Each consumer is a temp dir with node_modules/flamebook -> this repo, so the real package.json decides.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { ensureBuilt, makeConsumer, repoRoot, runCommand, type Output } from "./fixtures/consumer.js";

interface CjsProbe {
  resolved: string;
  keys: string[];
  stdout: string;
  code: number | null;
  failed: { isExecError: boolean; name: string; failure: string; code: number | null } | null;
}

let consumer: string;
let cjs: Output;
let cjsProbe: CjsProbe;

/** Runs `node <file>` in the consumer dir and parses the JSON line it prints. */
async function probe(file: string, source: string): Promise<{ out: Output; json: any }> {
  await writeFile(join(consumer, file), source);
  const out = await runCommand(process.execPath, [file], consumer);
  assert.equal(out.code, 0, `node ${file} failed:\n${out.stdout}\n${out.stderr}`);
  return { out, json: JSON.parse(out.stdout.trim().split("\n").at(-1) ?? "") };
}

before(async () => {
  await ensureBuilt();
  consumer = await makeConsumer("flamebook-cjs-");
  const r = await probe(
    "probe.cjs",
    `const fb = require("flamebook");
const internals = require("flamebook/internals");
const out = { resolved: require.resolve("flamebook"), keys: Object.keys(fb).sort() };
(async () => {
  const r = await internals.run(process.execPath, ["-e", "console.log(42)"], { captureStdout: true });
  out.stdout = r.stdout;
  out.code = r.code;
  try {
    await internals.run(process.execPath, ["-e", "process.exit(3)"]);
    out.failed = null;
  } catch (e) {
    out.failed = { isExecError: e instanceof fb.ExecError, name: e.name, failure: e.failure, code: e.result && e.result.code };
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`,
  );
  cjs = r.out;
  cjsProbe = r.json as CjsProbe;
});

after(async () => {
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

test('require("flamebook"): loads the CJS build from a .cjs file', async () => {
  assert.equal(await realpath(cjsProbe.resolved), await realpath(join(repoRoot, "dist/cjs/index.cjs")));
  for (const name of ["open", "perf", "ExecError"]) assert.ok(cjsProbe.keys.includes(name), `missing export ${name}: ${cjsProbe.keys}`);
  assert.ok(!cjsProbe.keys.includes("run"), "run is in flamebook/internals");
  assert.ok(!cjsProbe.keys.includes("default"), "the CJS build must not nest exports under default");
  // Anything on stderr (e.g. an ExperimentalWarning for require(esm)) would show up in every notebook.
  assert.equal(cjs.stderr, "");
});

test('require("flamebook/internals").run: spawns a process from CommonJS and resolves with its stdout', () => {
  assert.equal(cjsProbe.stdout, "42\n");
  assert.equal(cjsProbe.code, 0);
});

test('require("flamebook").ExecError: a failing command of the internals rejects with the public ExecError (one bundle)', () => {
  assert.deepEqual(cjsProbe.failed, { isExecError: true, name: "ExecError", failure: "exit", code: 3 });
});

test('import("flamebook"): the ESM entry exports the same names as the CJS build', async () => {
  const { json } = await probe(
    "probe.mjs",
    `const m = await import("flamebook");
console.log(JSON.stringify({ resolved: import.meta.resolve("flamebook"), keys: Object.keys(m).sort() }));
`,
  );
  assert.equal(await realpath(fileURLToPath(json.resolved)), await realpath(join(repoRoot, "dist/esm/index.js")));
  assert.deepEqual(json.keys, cjsProbe.keys);
});

test('require("arquero") from the package dir: the ESM-only dependency loads through require(esm)', async () => {
  // dist/cjs/index.cjs keeps dependencies external, so any require("arquero") in it resolves like this.
  const { out, json } = await probe(
    "arquero.cjs",
    `const req = require("module").createRequire(require.resolve("flamebook"));
const aq = req("arquero");
console.log(JSON.stringify({ rows: aq.table({ a: [1, 2, 3] }).filter((d) => d.a > 1).numRows() }));
`,
  );
  assert.deepEqual(json, { rows: 2 });
  assert.equal(out.stderr, "");
});

test('package.json "types": the top-level declaration file exists and types every runtime export under Node10 resolution', async () => {
  const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
  assert.ok(existsSync(join(repoRoot, pkg.types)), `missing ${pkg.types}`);
  assert.ok(existsSync(join(repoRoot, pkg.main)), `missing ${pkg.main}`);
  assert.equal(pkg.exports["."].types, pkg.types);
  assert.equal(pkg.exports["."].require, pkg.main);
  assert.ok(existsSync(join(repoRoot, pkg.exports["."].import)), `missing ${pkg.exports["."].import}`);

  // What a tslab cell sees: moduleResolution Node10 from the consumer dir, which ignores "exports".
  const cell = join(consumer, "cell.ts");
  await writeFile(cell, 'import * as fb from "flamebook";\nexport { fb };\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const resolved = ts.resolveModuleName("flamebook", cell, options, ts.sys).resolvedModule;
  assert.ok(resolved, "Node10 resolution did not find flamebook");
  assert.equal(await realpath(resolved.resolvedFileName), await realpath(join(repoRoot, pkg.types)));
  const program = ts.createProgram([cell], options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(cell);
  assert.ok(source);
  const imp = source.statements.find(ts.isImportDeclaration);
  assert.ok(imp);
  const moduleSymbol = checker.getSymbolAtLocation(imp.moduleSpecifier);
  assert.ok(moduleSymbol, "flamebook has no module symbol (types not found)");
  const typed = new Set(checker.getExportsOfModule(moduleSymbol).map((s) => s.name));
  const untyped = cjsProbe.keys.filter((k) => !typed.has(k));
  assert.deepEqual(untyped, [], "runtime exports missing from the declarations");
});

test("dist/cjs/*.cjs: strict mode, and no import.meta left in them", async () => {
  for (const file of ["index.cjs", "internals.cjs", "flamebook.cjs"]) {
    const text = await readFile(join(repoRoot, "dist/cjs", file), "utf8");
    assert.match(text, /^"use strict";/, file);
    assert.doesNotMatch(text, /import\.meta/, file);
  }
});

test('"flamebook/internals" types: found under Node10 resolution (typesVersions) and under Node16 (exports)', async () => {
  const cell = join(consumer, "cell-internals.ts");
  await writeFile(cell, 'import { startBusy } from "flamebook/internals";\nexport { startBusy };\n');
  const want = await realpath(join(repoRoot, "dist/esm/internals.d.ts"));
  for (const moduleResolution of [ts.ModuleResolutionKind.Node10, ts.ModuleResolutionKind.Node16]) {
    const module = moduleResolution === ts.ModuleResolutionKind.Node10 ? ts.ModuleKind.ESNext : ts.ModuleKind.Node16;
    const resolved = ts.resolveModuleName("flamebook/internals", cell, { module, moduleResolution, types: [] }, ts.sys).resolvedModule;
    assert.ok(resolved, `resolution ${moduleResolution} did not find flamebook/internals`);
    assert.equal(await realpath(resolved.resolvedFileName), want);
  }
});

test("bundleCjs: import.meta url/filename/dirname in the CJS bundle point at each file's ESM twin", async () => {
  const { bundleCjs } = (await import(pathToFileURL(join(repoRoot, "scripts/build.mjs")).href)) as {
    bundleCjs(o: { entry: string; srcRoot: string; esmRoot: string; outfile: string; sourcemap?: boolean }): Promise<number>;
  };
  const fixture = join(repoRoot, "test/package/fixtures/meta-url/src");
  const out = await mkdtemp(join(tmpdir(), "flamebook-meta-"));
  try {
    const outfile = join(out, "dist/cjs/index.cjs");
    await bundleCjs({ entry: join(fixture, "index.ts"), srcRoot: fixture, esmRoot: join(out, "dist/esm"), outfile, sourcemap: false });
    const m = createRequire(import.meta.url)(outfile);
    const twin = join(out, "dist/esm/deep/where.js");
    assert.deepEqual(m.where(), {
      url: pathToFileURL(twin).href,
      filename: twin,
      dirname: join(out, "dist/esm/deep"),
      up2: pathToFileURL(join(out, "dist/marker.txt")).href,
    });
    assert.equal(m.topUrl, pathToFileURL(join(out, "dist/esm/index.js")).href);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
