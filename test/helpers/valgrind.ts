// Shared by the callgrind.record and cachegrind.record tests: is valgrind here, and /proc scans.
import assert from "node:assert/strict";
import { runningProcesses } from "./processes.js";
import type { TestContext } from "node:test";
import { run } from "../../src/exec/index.js";

let present: Promise<string | null> | undefined;

/** valgrind's version, or null when it is missing. */
export function valgrindVersion(): Promise<string | null> {
  present ??= run("valgrind", ["--version"], { captureStdout: true, timeoutMs: 20_000 }).then(
    (r) => r.stdout.trim(),
    () => null,
  );
  return present;
}

/**
 * Outside CI a test skips (and says why) when valgrind is missing; in CI (`CI=true`) that fails.
 *
 * @example
 * test("…", async (t) => { if (await skipWithoutValgrind(t)) return; … });
 */
export async function skipWithoutValgrind(t: TestContext): Promise<boolean> {
  if ((await valgrindVersion()) !== null) return false;
  assert.ok(!process.env.CI, "valgrind (Debian package valgrind) must be installed in CI");
  t.skip("valgrind is not installed (sudo apt install valgrind)");
  return true;
}

/** Live (non-zombie) processes whose command line contains `needle`, as "pid command line". */
export function processesWith(needle: string): string[] {
  return runningProcesses()
    .filter((p) => p.cmdline.includes(needle) && !p.zombie)
    .map((p) => `${p.pid} ${p.cmdline}`);
}

/** Waits up to a second for processes matching `needle` to disappear; returns those left. */
export async function gone(needle: string): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    if (processesWith(needle).length === 0) return [];
    await new Promise((r) => setTimeout(r, 50));
  }
  return processesWith(needle);
}
