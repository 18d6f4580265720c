import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fixture } from "../helpers/golden.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cli = (args: string[], cwd = repo) =>
  spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("flamebook open FILE -o OUT: writes a standalone page and prints its path", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const out = join(dir, "flame.html");
  const r = cli(["open", fixture("perf-script", "clone-in-loop.before.perf.txt"), "-o", out, "--title", "wordfreq <before>"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${out}\n`);
  const page = readFileSync(out, "utf8");
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<title>wordfreq &lt;before&gt;<\/title>/);
  assert.match(page, /application\/vnd\.flamebook\.flametree\+json/);
  assert.doesNotMatch(page, /<script src=/, "no external script");
  assert.deepEqual(readdirSync(dir), ["flame.html"], "no temporary file left behind");
});

test("flamebook open: folded input, default output name in the current directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const r = cli(["open", fixture("folded", "cargo-flamegraph.folded")], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), join(dir, "cargo-flamegraph.folded.html"));
  assert.ok(existsSync(join(dir, "cargo-flamegraph.folded.html")));
});

test("flamebook open: an unreadable profile is a one-line error and writes nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const bad = join(dir, "bad.txt");
  writeFileSync(bad, "this is not a profile\n\u0000\u0001");
  const r = cli(["open", bad, "-o", join(dir, "out.html")]);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.match(r.stderr, /bad\.txt/);
  assert.ok(!existsSync(join(dir, "out.html")));
});
