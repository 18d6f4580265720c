import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeCacheDir, requireWithCodeCache } from "../../kernel/code-cache.js";

const dir = mkdtempSync(join(tmpdir(), "fb-code-cache-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const require = createRequire(import.meta.url);

/** A CommonJS module with some functions to compile. */
function writeModule(name: string, body = ""): string {
  const file = join(dir, name);
  writeFileSync(file, `${body}\nexports.add = (a, b) => a + b;\nexports.file = __filename;\nexports.self = () => module.exports;\n`);
  return file;
}

test("requireWithCodeCache: a miss, then a hit from the saved cache; require() gets the same instance", () => {
  const file = writeModule("a.cjs");
  const cacheDir = join(dir, "cache");
  const first = requireWithCodeCache(file, cacheDir);
  assert.equal(first.status, "miss");
  const mod = require(file) as { add(a: number, b: number): number; file: string; self(): unknown };
  assert.equal(mod.add(2, 3), 5);
  assert.equal(mod.file, file, "__filename as Node gives it");
  assert.equal(mod.self(), mod, "module.exports is what require() returned");
  assert.equal(first.save(), true);
  assert.equal(first.save(), false, "saved once");
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith(".v8cache")).length, 1);
  assert.equal(requireWithCodeCache(file, cacheDir).status, "loaded", "already in require.cache: nothing to do");

  delete require.cache[file]; // as in a new process
  const second = requireWithCodeCache(file, cacheDir);
  assert.equal(second.status, "hit");
  assert.equal((require(file) as { add(a: number, b: number): number }).add(1, 1), 2);
  assert.equal(second.save(), false, "a hit is not written again");
});

test("requireWithCodeCache: a changed file is compiled afresh (new key) and the old cache is removed", () => {
  const cacheDir = join(dir, "cache2");
  const file = writeModule("b.cjs");
  requireWithCodeCache(file, cacheDir).save();
  delete require.cache[file];
  writeModule("b.cjs", "// a new version of the file, longer than the old one");
  const again = requireWithCodeCache(file, cacheDir);
  assert.equal(again.status, "miss");
  assert.equal(again.save(), true);
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith(".v8cache")).length, 1, "one cache per file");
});

test("requireWithCodeCache: a module that throws while loading fails as with require(), and is not cached", () => {
  const file = writeModule("c.cjs", 'throw new Error("boom at load");');
  assert.throws(() => requireWithCodeCache(file, join(dir, "cache3")), /boom at load/);
  assert.equal(require.cache[file], undefined);
});

test("requireWithCodeCache: an unwritable cache directory only means no cache", () => {
  const file = writeModule("d.cjs");
  const blocker = join(dir, "not-a-dir");
  writeFileSync(blocker, "");
  const r = requireWithCodeCache(file, join(blocker, "cache"));
  assert.equal(r.status, "miss");
  assert.equal(r.save(), false);
});

test("codeCacheDir: XDG_CACHE_HOME, else ~/.cache", () => {
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: "/x" }), "/x/flamebook");
  assert.match(codeCacheDir({}), /[\\/]\.cache[\\/]flamebook$/);
});
