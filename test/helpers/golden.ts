import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const GOLDEN = fileURLToPath(new URL("../golden/", import.meta.url));

/**
 * Compares `actual` with test/golden/<name>. With UPDATE_GOLDEN=1 it (re)writes the golden file;
 * on a mismatch it writes <name>-changed next to it (like Observable Plot) and fails.
 */
export function matchesGolden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  const changed = `${path}-changed`;
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, actual);
    renameSync(`${path}.tmp`, path);
    rmSync(changed, { force: true });
    return;
  }
  assert.ok(existsSync(path), `no golden file ${path}; run the tests with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(path, "utf8");
  if (expected !== actual) {
    writeFileSync(changed, actual);
    assert.fail(`output differs from golden ${name}; see ${changed} (UPDATE_GOLDEN=1 accepts it)`);
  }
  rmSync(changed, { force: true });
}

/** Absolute path of a file under test/fixtures/. */
export function fixture(...parts: string[]): string {
  return fileURLToPath(new URL(`../fixtures/${parts.join("/")}`, import.meta.url));
}

/** The text of a file under test/fixtures/. */
export function fixtureText(...parts: string[]): string {
  return readFileSync(fixture(...parts), "utf8");
}
