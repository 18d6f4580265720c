// The public API is small on purpose: its runtime names are checked in (test/package/exports.txt),
// so that adding one is a decision, not an accident of `export *`. Checked three ways: the source
// barrel, the built ESM entry and the CommonJS entry tslab cells load; and "flamebook/internals"
// (ESM and CJS) shares the public names' objects, because both CommonJS entries are one bundle.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ensureBuilt, makeConsumer, runCommand } from "./fixtures/consumer.js";

const listed = readFileSync(new URL("exports.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"));

let consumer: string;

before(async () => {
  await ensureBuilt();
  consumer = await makeConsumer("flamebook-exports-");
});

after(async () => {
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

/** Runs `node <file>` in the consumer directory and parses the JSON it prints. */
async function probe(file: string, source: string): Promise<Record<string, unknown>> {
  await writeFile(join(consumer, file), source);
  const out = await runCommand(process.execPath, [file], consumer);
  assert.equal(out.code, 0, `node ${file}:\n${out.stdout}\n${out.stderr}`);
  assert.equal(out.stderr, "");
  return JSON.parse(out.stdout.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
}

test("exports.txt: sorted, no duplicates, at most 50 names", () => {
  assert.deepEqual(listed, [...new Set(listed)].sort());
  assert.ok(listed.length <= 50, `${listed.length} public names; move some to flamebook/internals`);
});

test('import("flamebook") from source: exactly the names in exports.txt', async () => {
  const m = await import("../../src/index.js");
  assert.deepEqual(Object.keys(m).sort(), listed);
});

test('import("flamebook") and require("flamebook"), built: exactly the names in exports.txt', async () => {
  const esm = await probe("keys.mjs", 'const m = await import("flamebook");\nconsole.log(JSON.stringify({ keys: Object.keys(m).sort() }));\n');
  assert.deepEqual(esm["keys"], listed);
  const cjs = await probe("keys.cjs", 'console.log(JSON.stringify({ keys: Object.keys(require("flamebook")).sort() }));\n');
  assert.deepEqual(cjs["keys"], listed);
});

test('"flamebook/internals": the public names and the rest, the same objects as "flamebook" in ESM and in CJS', async () => {
  const source = (load: string) => `${load}
const names = ${JSON.stringify(listed)};
console.log(JSON.stringify({
  count: Object.keys(i).length,
  same: names.filter((n) => i[n] === m[n]).length,
  has: ["startBusy", "liveGroups", "judgeParanoid", "collectProvenance", "frameStats", "flameTree", "openProfile", "run"].filter((n) => typeof i[n] === "function"),
  internalInPublic: Object.keys(i).filter((n) => !names.includes(n) && n in m),
}));
`;
  const expect = { same: listed.length, has: ["startBusy", "liveGroups", "judgeParanoid", "collectProvenance", "frameStats", "flameTree", "openProfile", "run"], internalInPublic: [] };
  const esm = await probe("internals.mjs", source('const m = await import("flamebook");\nconst i = await import("flamebook/internals");'));
  assert.deepEqual({ ...esm, count: undefined }, { ...expect, count: undefined });
  assert.ok((esm["count"] as number) > 150, `internals has ${String(esm["count"])} names`);
  const cjs = await probe("internals.cjs", source('const m = require("flamebook");\nconst i = require("flamebook/internals");'));
  assert.deepEqual(cjs, esm, "the CommonJS internals are the ESM ones, and share the public objects");
});
