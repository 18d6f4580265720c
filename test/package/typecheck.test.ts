import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
// The project's TypeScript, not the older copy tslab ships (node_modules/.bin/tsc points there).
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

for (const project of ["tsconfig.json", "widgets/tsconfig.json", "tsconfig.test.json"]) {
  test(`tsc -p ${project}: no type errors`, () => {
    const r = spawnSync(process.execPath, [tsc, "-p", project, "--noEmit"], { cwd: root, encoding: "utf8", timeout: 180_000 });
    assert.equal(r.status, 0, `tsc -p ${project}:\n${r.stdout}${r.stderr}`);
  });
}
