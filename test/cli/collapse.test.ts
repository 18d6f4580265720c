import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fixture } from "../helpers/golden.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cli = (args: string[], input?: Buffer) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], { cwd: repo, input, encoding: "utf8", maxBuffer: 64 << 20 });
const golden = (name: string) => readFileSync(fileURLToPath(new URL(`../golden/perf-script/${name}`, import.meta.url)), "utf8");

test("flamebook collapse FILE: prints folded stacks like the golden file", () => {
  const r = cli(["collapse", fixture("perf-script", "clone-in-loop.before.perf.txt"), "--annotate"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, golden("clone-in-loop.before.folded"));
});

test("flamebook collapse -: reads perf script from stdin", () => {
  const r = cli(["collapse", "-", "--annotate"], readFileSync(fixture("perf-script", "threads.perf.txt")));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, golden("threads.folded"));
});

test("flamebook collapse --tid: the thread ids join the process name", () => {
  const r = cli(["collapse", fixture("perf-script", "fields-pid-tid-cpu.perf.txt"), "--tid"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.split("\n").filter(Boolean).every((l) => /^wordfreq-before-\d+\/\d+;/.test(l)));
});

test("flamebook collapse: bad input exits 1 with the file and line, and no stack trace", () => {
  const r = cli(["collapse", fixture("perf-script", "malformed", "frame-without-address.txt")]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flamebook: .*frame-without-address\.txt: perf-script line 3: expected a frame line/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.stdout, "", "no partial output on stdout");
});

test("flamebook collapse: a missing file exits 1 naming it", () => {
  const r = cli(["collapse", "/nonexistent/perf.txt"]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), "flamebook: no such file: /nonexistent/perf.txt");
});

test("flamebook collapse: warnings go to stderr, folded stacks to stdout", () => {
  const r = cli(["collapse", fixture("perf-script", "malformed", "truncated-mid-line.txt")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^flamebook: warning: perf-script line \d+: the file ends in the middle of a line/);
  assert.ok(r.stdout.length > 0);
});
