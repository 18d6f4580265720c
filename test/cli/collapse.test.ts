import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fixture, matchesGolden } from "../helpers/golden.js";

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
  const r = cli(["collapse", fixture("perf-script", "malformed", "wrong-field-order.txt")]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flamebook: .*wrong-field-order\.txt: perf-script line 1: expected a sample header/);
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

const variant = (name: string) => fixture("perf-script", "variants", name);

// The --compat goldens were checked byte for byte against FlameGraph's stackcollapse-perf.pl
// (commit 41fee1f, run on this machine) when they were written; see bench/conformance.ts.
for (const [name, flags] of [
  ["system-wide.perf.txt", ["--all", "--tid"]],
  ["java-inline-chain.perf.txt", ["--all", "--pid"]],
  ["node-jit.perf.txt", ["--jit", "--addrs"]],
] as const) {
  for (const compat of ["perl", "inferno"]) {
    test(`flamebook collapse --compat ${compat} ${flags.join(" ")}: ${name} as the ${compat} collapser prints it`, () => {
      const r = cli(["collapse", variant(name), "--compat", compat, ...flags]);
      assert.equal(r.status, 0, r.stderr);
      matchesGolden(`perf-script/compat/${name.replace(/\.perf\.txt$/, "")}.${compat}.folded`, r.stdout);
    });
  }
}

test("flamebook collapse: several events: the first is folded, a warning names the rest; --event all folds each under its own root", () => {
  const r = cli(["collapse", fixture("perf-script", "two-events.perf.txt")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: folded the first event, cpu-clock, only; also in the input: task-clock \(\d+ stacks?\)\. Choose one with --event NAME, or fold each under its own root with --event all\./);
  const all = cli(["collapse", fixture("perf-script", "two-events.perf.txt"), "--event", "all"]);
  assert.equal(all.status, 0, all.stderr);
  assert.equal(all.stderr, "");
  const roots = new Set(all.stdout.trim().split("\n").map((l) => l.split(";", 1)[0]));
  assert.deepEqual([...roots].sort(), ["cpu-clock", "task-clock"]);
});

test("flamebook collapse --kernel: every [kernel.kallsyms] frame and only those get _[k]", () => {
  const r = cli(["collapse", variant("system-wide.perf.txt"), "--kernel"]);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(variant("system-wide.perf.txt"), "utf8");
  const kernel = new Set([...text.matchAll(/^\s+[0-9a-f]+ (\S+?)(?:\+0x[0-9a-f]+)? \(\[kernel\.kallsyms\]\)$/gm)].map((m) => m[1]));
  const annotated = new Set([...r.stdout.matchAll(/([^;\n]+)_\[k\]/g)].map((m) => m[1]));
  assert.deepEqual([...annotated].sort(), [...kernel].sort());
});

test("flamebook collapse: a gzipped perf script reads like the plain one", () => {
  const gz = join(mkdtempSync(join(tmpdir(), "flamebook-collapse-")), "perf.txt.gz");
  writeFileSync(gz, gzipSync(readFileSync(variant("header.perf.txt"))));
  const a = cli(["collapse", gz]);
  const b = cli(["collapse", variant("header.perf.txt")]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
});

test("flamebook collapse --compat: flamebook's own options are refused with the reason", () => {
  const r = cli(["collapse", variant("header.perf.txt"), "--compat", "perl", "--clean-names"]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), "flamebook collapse: --clean-names has no counterpart in stackcollapse-perf.pl; leave it out with --compat perl.");
  const bad = cli(["collapse", variant("header.perf.txt"), "--compat", "python"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /Allowed choices are perl, inferno/);
});
