import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { asSampleCounts, frameChanges } from "../../src/cli/diff.js";
import type { FlameTree } from "../../src/model/flame-tree.js";
import { openProfile } from "../../src/samples/registry.js";
import { base64Bytes, unpackFlameTree } from "../../widgets/wire/unpack.js";
import { fixture } from "../helpers/golden.js";
import { recordThreads } from "../helpers/perf-data.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cli = (args: string[], cwd: string) =>
  spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });

const dir = mkdtempSync(join(tmpdir(), "fb-diff-"));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => ensureBuilt(), { timeout: 300_000 });

// before: to_string is 60 of 100 samples; after: it is gone, parse grew, write_into is new.
const BEFORE = "main;process;to_string 60\nmain;process;parse 30\nmain;setup 10\n";
const AFTER = "main;process;parse 60\nmain;process;write_into 15\nmain;setup 25\n";

/** The flame tree embedded in a page. */
async function pageTree(html: string): Promise<FlameTree> {
  const data = /<script type="application\/vnd.flamebook.flametree\+json">([^<]*)<\/script>/.exec(html);
  assert.ok(data, "the page has its data block");
  const block = JSON.parse(data[1]!) as { header: Parameters<typeof unpackFlameTree>[0]; data: string };
  return unpackFlameTree(block.header, base64Bytes(block.data));
}

/** The node on this call path ("main;process;to_string"), as [after total, before total]. */
function nodeWeights(tree: FlameTree, path: string): [number, number] | undefined {
  const name = (i: number) => tree.strings[tree.frames.name[tree.nodes.frame[i]!]!]!;
  const pathOf = (i: number): string => {
    const p = tree.nodes.parent[i]!;
    return p <= 0 ? name(i) : `${pathOf(p)};${name(i)}`;
  };
  for (let i = 1; i < tree.nodes.frame.length; i++) if (pathOf(i) === path) return [tree.nodes.total[i]!, tree.diff!.total[i]!];
  return undefined;
}

/** The rows of one printed list ("grew" or "shrank"), as [function, Δ pp]. */
function listed(stdout: string, which: "grew" | "shrank"): [string, number][] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${which}`));
  const rows: [string, number][] = [];
  for (const l of lines.slice(start + 2)) {
    const m = /^\s+[\d.,]+%?\s+[\d.,]+%?\s+([+-][\d.,]+)\s+(.+)$/.exec(l);
    if (!m) break;
    rows.push([m[2]!, Number(m[1])]);
  }
  return rows;
}

test("flamebook diff: folded before/after, the vanished frame is in the page with its before width, growth and shrinkage are listed", async () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  writeFileSync(join(cwd, "before.folded"), BEFORE);
  writeFileSync(join(cwd, "after.folded"), AFTER);
  const r = cli(["diff", "before.folded", "after.folded", "--title", "to_string <gone>"], cwd);
  assert.equal(r.status, 0, r.stderr);
  const page = join(cwd, "diff.html");
  assert.equal(r.stdout.trimEnd().split("\n").at(-1), page, "the page's path is the last line; default diff.html here");
  assert.deepEqual(listed(r.stdout, "grew"), [
    ["parse", 30],
    ["setup", 15],
    ["write_into (new)", 15], // ties in name order
  ]);
  assert.deepEqual(listed(r.stdout, "shrank"), [
    ["to_string (vanished)", -60],
    ["process", -15], // 90% → 75%: inclusive shares
  ]);

  const html = readFileSync(page, "utf8");
  assert.match(html, /<title>to_string &lt;gone&gt;<\/title>/);
  const tree = await pageTree(html);
  assert.equal(tree.diff?.baseLabel, "before.folded");
  assert.equal(tree.diff?.label, "after.folded");
  assert.deepEqual(nodeWeights(tree, "main;process;to_string"), [0, 60], "vanished: no weight after, its before width kept");
  assert.deepEqual(nodeWeights(tree, "main;process;write_into"), [15, 0], "new: no weight before");
  assert.deepEqual(nodeWeights(tree, "main;process;parse"), [60, 30]);
  assert.deepEqual(readdirSync(cwd).sort(), ["after.folded", "before.folded", "diff.html"], "no temporary file left");
});

test("flamebook diff: top 5 only, sorted by change, and --absolute / -o are honoured", async () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  // 120 samples on both sides; f0..f5 lose 6..1 samples, f6..f11 gain 1..6 (1/120 = 0.83 pp)
  const b = Array.from({ length: 12 }, (_, i) => `main;f${i} 10`).join("\n");
  const a = Array.from({ length: 12 }, (_, i) => `main;f${i} ${i < 6 ? 4 + i : 5 + i}`).join("\n");
  writeFileSync(join(cwd, "b.folded"), `${b}\n`);
  writeFileSync(join(cwd, "a.folded"), `${a}\n`);
  // the terminal table says what the flag asks for: weights as recorded (samples here), not shares
  const r = cli(["diff", "b.folded", "a.folded", "-o", "out/abs.html", "--absolute"], cwd);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^grew \(inclusive samples, as recorded; Δ in samples\):\n +before +after +Δ samples  function$/m);
  assert.doesNotMatch(r.stdout, /percentage points|%/);
  assert.deepEqual(listed(r.stdout, "grew"), [
    ["f11", 6],
    ["f10", 5],
    ["f9", 4],
    ["f8", 3],
    ["f7", 2],
  ]);
  assert.deepEqual(listed(r.stdout, "shrank"), [
    ["f0", -6],
    ["f1", -5],
    ["f2", -4],
    ["f3", -3],
    ["f4", -2],
  ]);
  const shares = cli(["diff", "b.folded", "a.folded", "-o", "out/shares.html"], cwd);
  assert.match(shares.stdout, /^grew \(inclusive share of samples; Δ in percentage points\):\n +before +after +Δ pp  function$/m);
  assert.deepEqual(listed(shares.stdout, "grew")[0], ["f11", 5]);
  const tree = await pageTree(readFileSync(join(cwd, "out/abs.html"), "utf8"));
  assert.ok(tree.diff);
  assert.match(readFileSync(join(cwd, "out/abs.html"), "utf8"), /&quot;diffMode&quot;:&quot;absolute&quot;|"diffMode":"absolute"/);
  assert.equal(cli(["diff", "b.folded", "a.folded", "--absolute", "--normalize"], cwd).status, 1);
});

test("flamebook diff: folded against a perf script fixture (different formats and units) works", async () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  writeFileSync(join(cwd, "before.folded"), "wordfreq;main;wordfreq::process::process;<T as alloc::string::ToString>::to_string 40\nwordfreq;main;wordfreq::process::process 60\n");
  const perfTxt = fixture("perf-script", "clone-in-loop.after.perf.txt");
  const r = cli(["diff", "before.folded", perfTxt, "-o", "mixed.html"], cwd);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /weighs its samples in nanoseconds, before\.folded does not: its weights were turned into sample counts/);
  assert.match(r.stdout, /<T as alloc::string::ToString>::to_string \(vanished\)/);
  assert.ok(existsSync(join(cwd, "mixed.html")));
  assert.ok((await pageTree(readFileSync(join(cwd, "mixed.html"), "utf8"))).diff);
});

test("flamebook diff: two perf script recordings of the demo crate, to_string vanished after the fix", () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["diff", fixture("perf-script", "clone-in-loop.before.perf.txt"), fixture("perf-script", "clone-in-loop.after.perf.txt")], cwd);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(listed(r.stdout, "shrank").some(([n, d]) => n === "<T as alloc::string::ToString>::to_string (vanished)" && d < -20), r.stdout);
  assert.doesNotMatch(r.stdout, /note:/, "same unit: nothing converted");
});

test("flamebook diff a.perf.data b.perf.data: both recordings are read through perf script", { timeout: 300_000 }, async () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  await recordThreads(join(cwd, "a.perf.data"), { ms: 150 });
  await recordThreads(join(cwd, "b.perf.data"), { ms: 300 });
  const r = cli(["diff", "a.perf.data", "b.perf.data", "-o", "perf.html"], cwd);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^── flamebook diff: a\.perf\.data → b\.perf\.data\ngrew \(inclusive share of samples; Δ in percentage points\):/);
  assert.doesNotMatch(r.stdout, /note:/, "same unit: nothing converted");
  assert.equal(r.stdout.trimEnd().split("\n").at(-1), join(cwd, "perf.html"));
  const tree = await pageTree(readFileSync(join(cwd, "perf.html"), "utf8"));
  assert.equal(tree.diff?.baseLabel, "a.perf.data");
  const spin = tree.strings.indexOf("threads::spin");
  assert.ok(spin >= 0, "Rust names from the binary");
  const nodes = [...tree.nodes.frame.keys()].filter((i) => tree.frames.name[tree.nodes.frame[i]!] === spin);
  assert.ok(nodes.some((i) => tree.nodes.total[i]! > 0 && tree.diff!.total[i]! > 0), "threads::spin has weight on both sides");
  // a perf.data against folded text: different units, compared as sample counts
  writeFileSync(join(cwd, "x.folded"), "threads;threads::spin 10\n");
  const mixed = cli(["diff", "x.folded", "b.perf.data", "-o", "mixed.html"], cwd);
  assert.equal(mixed.status, 0, mixed.stderr);
  assert.match(mixed.stdout, /note: b\.perf\.data weighs its samples in nanoseconds/);
});

test("flamebook diff: a bad file is a one-line error naming it, and no page is written", () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  writeFileSync(join(cwd, "good.folded"), BEFORE);
  writeFileSync(join(cwd, "garbage.prof"), "this is not a profile\n\u0000\u0001");
  const r = cli(["diff", "good.folded", "garbage.prof"], cwd);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /garbage\.prof/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  const missing = cli(["diff", "nope.folded", "good.folded"], cwd);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.folded/);
  const units = cli(["diff", "good.folded", fixture("valgrind", "clone-in-loop.before.callgrind")], cwd);
  assert.equal(units.status, 1);
  assert.match(units.stderr, /counts samples .* counts instructions: exact counts and samples do not compare/);
  assert.deepEqual(readdirSync(cwd).sort(), ["garbage.prof", "good.folded"]);
});

test("frameChanges: inclusive shares per function name, recursion counted once", async () => {
  const b = await openProfile(new TextEncoder().encode("main;a;a 50\nmain;b 50\n"), { format: "folded" });
  const a = await openProfile(new TextEncoder().encode("main;b 100\n"), { format: "folded" });
  const byName = new Map(frameChanges(b, a).map((c) => [c.name, c]));
  assert.deepEqual(byName.get("a"), { name: "a", before: 0.5, after: 0, delta: -0.5 });
  assert.deepEqual(byName.get("b"), { name: "b", before: 0.5, after: 1, delta: 0.5 });
  assert.deepEqual(byName.get("main"), { name: "main", before: 1, after: 1, delta: 0 });
});

test("asSampleCounts: perf periods become sample counts", async () => {
  const p = await openProfile(fixture("perf-script", "clone-in-loop.before.perf.txt"));
  const s = asSampleCounts(p);
  assert.equal(s.unit, "samples");
  const sum = s.samples.weight.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(sum - p.samples.stack.length) < 1e-6, `${sum} vs ${p.samples.stack.length}`);
  assert.equal(p.unit, "nanoseconds", "the input is not changed");
});
