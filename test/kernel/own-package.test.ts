// Cells import "flamebook" from any notebook directory: the kernel provides its own copy (run time
// and types) when the project has none, and leaves a project's own copy alone.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCellExecutor } from "../../kernel/executor.js";
import { provideOwnPackage } from "../../kernel/own-package.js";
import { ensureBuilt, repoRoot } from "../package/fixtures/consumer.js";

const dir = mkdtempSync(join(tmpdir(), "flamebook-nb-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("provideOwnPackage: a project with its own node_modules/flamebook keeps its copy", () => {
  const project = join(dir, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  symlinkSync(repoRoot, join(project, "node_modules", "flamebook"), "dir");
  mkdirSync(join(project, "notebooks"));
  assert.equal(provideOwnPackage(join(project, "notebooks")), undefined);
  assert.equal(provideOwnPackage(join(dir, "elsewhere")), repoRoot.replace(/\/$/, ""));
});

test("a notebook directory without node_modules: cells import flamebook, typed", { timeout: 300_000 }, async () => {
  await ensureBuilt(); // cells load the CJS build
  const home = process.cwd();
  process.chdir(dir); // tslab's converter takes the notebook directory from the process
  const ex = createCellExecutor(dir);
  process.chdir(home);
  try {
    const profile = join(repoRoot, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
    const r = await ex.execute(`import { open } from "flamebook";\nimport { WIDGET_PROTOCOL_VERSION } from "flamebook/internals";\nconst p = await open(${JSON.stringify(profile)});\n[typeof open, WIDGET_PROTOCOL_VERSION, p.functions().numRows() > 10]`);
    assert.deepEqual(r, { status: "ok", hasValue: true, value: ["function", "2.1.0", true] });
    // The types came too: a wrong type is a compile error, not "any".
    const bad = await ex.execute("const n: number = WIDGET_PROTOCOL_VERSION;");
    assert.equal(bad.status, "error");
    assert.match(bad.status === "error" ? bad.evalue : "", /Type 'string' is not assignable to type 'number'/);
    const cols = await ex.execute("p.functions().columnNames().includes('self')");
    assert.deepEqual(cols, { status: "ok", hasValue: true, value: true });
  } finally {
    ex.close();
  }
});

test("a notebook directory without node_modules: cells import arquero too (flamebook's copy), typed, and it is the copy flamebook's tables use", { timeout: 300_000 }, async () => {
  await ensureBuilt();
  const nbDir = mkdtempSync(join(dir, "aq-"));
  const home = process.cwd();
  process.chdir(nbDir);
  const ex = createCellExecutor(nbDir);
  process.chdir(home);
  try {
    const profile = join(repoRoot, "test/fixtures/perf-script/clone-in-loop.before.perf.txt");
    const r = await ex.execute(
      `import * as aq from "arquero";\nimport { open, aq as fromFlamebook } from "flamebook";\nconst p = await open(${JSON.stringify(profile)});\n` +
        `const top = p.functions().orderby(aq.desc("self")).objects({ limit: 1 })[0] as { name: string };\n[typeof top.name, aq.table({ x: [1, 2] }).numRows(), typeof fromFlamebook.op.sum]`,
    );
    assert.deepEqual(r, { status: "ok", hasValue: true, value: ["string", 2, "function"] });
    const bad = await ex.execute("const t: number = aq.table({ x: [1] });");
    assert.equal(bad.status, "error");
    assert.match(bad.status === "error" ? bad.evalue : "", /is not assignable to type 'number'/, "arquero's types came too");
  } finally {
    ex.close();
  }
});
