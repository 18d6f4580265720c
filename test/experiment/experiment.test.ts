// experiment(): the acceptance cases on the demo crate with real cargo, perf and valgrind — the
// clone-in-loop fix is "improved" with to_string a significant vanished frame, A/A is "no change",
// callgrind gives an exact Ir delta, replay works without perf, bad records and artifacts name
// their file, an interrupt keeps the completed runs, identical experiments come from the store,
// and a git revision is built in a worktree without touching the checkout.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEMO_CRATE } from "../../src/cli/demo.js";
import { experiment, MIMEBUNDLE, readRecord, type Experiment } from "../../src/internals.js";
import { repoRoot } from "../package/fixtures/consumer.js";

const dir = mkdtempSync(join(tmpdir(), "flamebook-exp-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "store");
const ARGS = ["20000", "100"];
const cloneInLoop = { crate: DEMO_CRATE, bin: "wordfreq", args: ARGS, store } as const;

let fix: Experiment | undefined;

test("clone-in-loop, 10 ABBA runs with perf: improved, and to_string is a significant vanished frame", { timeout: 600_000 }, async () => {
  const events: string[] = [];
  fix = await experiment({ ...cloneInLoop, variants: { before: {}, after: { features: ["reuse-buffer"] } }, runs: 10, order: "abba", fresh: true, onProgress: (e) => events.push(e.type) });
  // CPU time (user + sys from perf stat) is what a shared 2-core CI machine disturbs least: the
  // 35% fix must come out "improved" there.
  const cpu = fix.verdict({ metric: "cpu" });
  console.log(`# CPU time: ${cpu.text}`);
  assert.equal(cpu.kind, "improved", cpu.text);
  assert.ok(cpu.ci[1] < 1);
  // Wall time: on a quiet machine also "improved" (35% faster here), but 10 runs under heavy
  // concurrent load cannot always resolve it (CI once saw a CI of the ratio 0.63–1.07). Then the
  // verdict must not claim a regression, must lean the right way, and must say how many runs
  // would settle it.
  const v = fix.verdict();
  console.log(`# wall time: ${v.text}`);
  if (v.kind === "improved") assert.ok(v.ci[1] < 1);
  else {
    assert.equal(v.kind, "no change", v.text);
    assert.ok(v.ratio < 1, v.text);
    assert.ok(v.warnings.some((w) => /CI of the ratio .* is wider than .* about \d+ runs per side would detect/.test(w)), v.warnings.join("\n"));
    console.log(`# wall time unresolved under load; its warnings: ${v.warnings.join(" | ")}`);
  }
  // ABBA: the measured timed runs alternate in blocks.
  const order = fix.record.runs.filter((r) => r.kind === "timed" && r.phase === "measured").map((r) => (r.variant === "before" ? "A" : "B")).join("");
  assert.equal(order, "ABBA".repeat(5));
  assert.equal(fix.record.runs.filter((r) => r.phase === "warmup").length, 2);
  assert.equal(fix.record.runs.filter((r) => r.kind === "perf").length, 10, "5 profiled runs per variant, separate from the timed ones");

  const frames = fix.frames().objects() as { name: string; status: string; base: number; other: number; delta: number; significant: boolean }[];
  const toString = frames.find((f) => /ToString>::to_string$/.test(f.name));
  assert.ok(toString, `no to_string frame among ${frames.slice(0, 10).map((f) => f.name).join(", ")}`);
  console.log(`# ${toString.name}: ${(100 * toString.base).toFixed(1)}% → ${(100 * toString.other).toFixed(1)}%, ${toString.status}, significant ${toString.significant}`);
  assert.equal(toString.significant, true);
  assert.ok(toString.base > 0.1 && toString.other < 0.01, `to_string ${toString.base} → ${toString.other}`);
  assert.equal(toString.status, "vanished");

  // The diff flamegraph: to_string drawn with its before width, and marked significant.
  const tree = fix.diff().tree;
  const nameOf = (node: number) => tree.strings[tree.frames.name[tree.nodes.frame[node]!]!]!;
  const nodes = [...tree.nodes.frame.keys()].filter((i) => /ToString>::to_string$/.test(nameOf(i)));
  assert.ok(nodes.length > 0);
  assert.ok(nodes.some((i) => tree.diff!.total[i]! > 0 && tree.nodes.total[i] === 0 && tree.diff!.sig[i] === 1), "vanished to_string: base width > 0, after 0, significant");

  // Progress was reported, and the record on disk is complete with its provenance and artifacts.
  assert.ok(events.includes("run") && events.includes("done"));
  const rec = await readRecord(fix.path);
  assert.equal(rec.status, "complete");
  assert.ok(rec.provenance.rustc?.startsWith("rustc "));
  assert.match(rec.provenance.perf ?? "", /^perf version/);
  assert.ok(rec.variants["after"]!.build!.command.includes("reuse-buffer"));
  assert.match(rec.runs.find((r) => r.kind === "perf")!.command.join(" "), /^perf record -e cpu-clock -F 997 .* --call-graph dwarf -- /);
  for (const r of rec.runs.filter((x) => x.kind === "perf" && x.phase === "measured")) {
    for (const ref of Object.values(r.artifacts ?? {})) assert.ok(existsSync(join(store, ref.file)), ref.file);
  }
  assert.deepEqual((rec.result as { kind: string; text: string }).text, v.text, "the record stores the wall-time verdict");
  // The notebook display: the verdict and the provenance.
  const bundle = fix[MIMEBUNDLE]();
  assert.match(String(bundle["text/html"]), new RegExp(v.kind));
  assert.match(String(bundle["text/plain"]), /perf record/);
});

test("replay: a copied record and its artifacts give identical tables and verdict with perf absent from PATH", { timeout: 300_000 }, async (t) => {
  if (!fix) return t.skip("needs the first test");
  const copy = join(dir, "copied");
  cpSync(store, join(copy, ".flamebook"), { recursive: true });
  const emptyPath = join(dir, "empty-bin");
  mkdirSync(emptyPath, { recursive: true });
  const script = join(dir, "replay.mts");
  writeFileSync(
    script,
    `import { experiment } from ${JSON.stringify(join(repoRoot, "src/index.ts"))};
const exp = await experiment.load(${JSON.stringify(fix.id)});
console.log(JSON.stringify({ verdict: exp.verdict().toJSON(), frames: exp.frames().objects({ limit: 40 }), runs: exp.runs().numRows(), diff: exp.diff().text() }));`,
  );
  const tsx = join(repoRoot, "node_modules/tsx/dist/loader.mjs");
  const r = spawnSync(process.execPath, ["--import", tsx, script], { cwd: copy, env: { PATH: emptyPath, HOME: dir }, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(spawnSync("sh", ["-c", "command -v perf"], { env: { PATH: emptyPath } }).status !== 0, true, "perf is not reachable in that PATH");
  const replayed = JSON.parse(r.stdout) as { verdict: unknown; frames: unknown; runs: number; diff: string };
  assert.deepEqual(replayed.verdict, JSON.parse(JSON.stringify(fix.verdict().toJSON())));
  assert.deepEqual(replayed.frames, JSON.parse(JSON.stringify(fix.frames().objects({ limit: 40 }))));
  assert.equal(replayed.runs, fix.runs().numRows());
  assert.equal(replayed.diff, fix.diff().text());
});

test("an identical experiment comes from the store; fresh: true runs it again", { timeout: 300_000 }, async (t) => {
  if (!fix) return t.skip("needs the first test");
  const started = Date.now();
  const again = await experiment({ ...cloneInLoop, variants: { before: {}, after: { features: ["reuse-buffer"] } }, runs: 10, order: "abba" });
  assert.equal(again.cached, true);
  assert.equal(again.id, fix.id);
  assert.equal(again.verdict().text, fix.verdict().text);
  assert.ok(Date.now() - started < 30_000);
  // Any change of spec is another experiment.
  const other = await experiment({ ...cloneInLoop, variants: { before: {}, after: { features: ["reuse-buffer"] } }, runs: 2, measure: ["wall"], warmup: 0 });
  assert.equal(other.cached, false);
  assert.notEqual(other.id, fix.id);
});

test("A/A: the same binary as both variants is \"no change\" (a second try allowed: the verdict calls 1 in 20 A/A by design)", { timeout: 300_000 }, async () => {
  // One A/A experiment may call a change: up to 5% of the time by design (p < 0.05), 1–4% in
  // bench/RESULTS.md's simulations from noise measured here; CI once saw "b is 4.2% slower, CI
  // 1.01–1.06, p = 0.015". A single try would make a flaky test. Two false calls in a row happen
  // at most 0.25% of the time when nothing differs; a runner that favours one variant (order,
  // warm-up, caching) calls it every time.
  const calls: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const aa = await experiment({ ...cloneInLoop, variants: { a: {}, b: {} }, runs: 10, measure: ["wall"], fresh: true });
    console.log(`# A/A, attempt ${attempt + 1}: ${aa.verdict().text}`);
    assert.ok(aa.warnings.some((w) => /A\/A experiment/.test(w)));
    if (aa.verdict().kind === "no change") return;
    calls.push(aa.verdict().text);
  }
  assert.fail(`two A/A experiments in a row called a change:\n${calls.join("\n")}`);
});

test("callgrind: an exact Ir delta from a single run per variant, identical when repeated", { timeout: 300_000 }, async () => {
  const spec = { ...cloneInLoop, args: ["20000", "5"], variants: { before: {}, after: { features: ["reuse-buffer"] } }, measure: ["callgrind" as const], warmup: 0 };
  const a = await experiment({ ...spec, fresh: true });
  const ir = a.instructions();
  console.log(`# ${ir.text}`);
  assert.ok(ir.delta < 0 && Number.isInteger(ir.delta));
  assert.equal(a.record.runs.length, 2);
  const b = await experiment({ ...spec, fresh: true });
  assert.equal(b.instructions().baseIr, ir.baseIr, "callgrind counts are exact: the same binary and input give the same Ir");
  assert.equal(b.instructions().otherIr, ir.otherIr);
  // The diff of exact counts: every change is significant.
  assert.ok(a.diff().tree.diff!.sig.some((s) => s === 1));
});

test("bad records and artifacts: errors name the file", { timeout: 120_000 }, async (t) => {
  if (!fix) return t.skip("needs the first test");
  const copy = join(dir, "broken", ".flamebook");
  cpSync(store, copy, { recursive: true });
  const recFile = join(copy, "experiments", `${fix.id}.json`);
  const text = readFileSync(recFile, "utf8");
  writeFileSync(recFile, text.slice(0, text.length / 2));
  await assert.rejects(experiment.load(fix.id, { store: copy }), (e: Error) => e.message.includes(recFile) && /cut off|not valid JSON/.test(e.message));
  writeFileSync(recFile, text);
  // Flip a byte of one perf-script artifact.
  const ref = fix.record.runs.find((r) => r.kind === "perf" && r.phase === "measured")!.artifacts!["perf-script"]!;
  const artifact = join(copy, ref.file);
  const bytes = readFileSync(artifact);
  bytes[bytes.length - 5] ^= 0xff;
  writeFileSync(artifact, bytes);
  await assert.rejects(experiment.load(fix.id, { store: copy }), (e: Error) => e.message.includes(artifact));
  rmSync(artifact);
  await assert.rejects(experiment.load(fix.id, { store: copy }), (e: Error) => e.message.includes(artifact));
});

test("interrupt: the experiment stops, keeps the completed runs as an interrupted record, and leaves no process", { timeout: 300_000 }, async () => {
  const ac = new AbortController();
  let ran = 0;
  const args = ["20000", "400"];
  await assert.rejects(
    experiment({
      ...cloneInLoop,
      args,
      variants: { before: {}, after: { features: ["reuse-buffer"] } },
      runs: 10,
      fresh: true,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.type === "ran" && ++ran === 3) setTimeout(() => ac.abort(new Error("interrupted by the test")), 50);
      },
    }),
    /experiment interrupted after \d+ runs/,
  );
  const records = readdirSync(join(store, "experiments")).map((f) => join(store, "experiments", f));
  const interrupted = (await Promise.all(records.map((f) => readRecord(f, { allowIncomplete: true })))).filter((r) => r.status === "interrupted");
  assert.equal(interrupted.length, 1);
  assert.ok(interrupted[0]!.runs.length >= 3, `kept ${interrupted[0]!.runs.length} runs`);
  const loaded = await experiment.load(interrupted[0]!.id, { store });
  assert.equal(loaded.record.status, "interrupted");
  assert.match(String(loaded[MIMEBUNDLE]()["text/plain"]), /^\[interrupted\] experiment/);
  // No wordfreq (or perf) of this experiment is left running.
  const left = readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        return "";
      }
    })
    .filter((c) => c.includes("wordfreq") && c.includes(args.join(" ")));
  assert.deepEqual(left, []);
});

test("git variant: a revision is built in a worktree under the store; the checkout is untouched", { timeout: 600_000 }, async () => {
  const repo = join(dir, "repo");
  cpSync(DEMO_CRATE, repo, { recursive: true, filter: (src) => !src.includes("/target") });
  const git = (...args: string[]) => {
    const r = spawnSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "before");
  const beforeSha = git("rev-parse", "HEAD");
  // The fix, as a commit: the feature on by default.
  const manifest = join(repo, "Cargo.toml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("reuse-buffer = []", 'default = ["reuse-buffer"]\nreuse-buffer = []'));
  git("commit", "-qam", "after");
  const head = git("rev-parse", "HEAD");
  const exp = await experiment({ crate: repo, bin: "wordfreq", args: ["20000", "5"], store: join(dir, "git-store"), variants: { before: { git: beforeSha }, after: {} }, measure: ["callgrind"], warmup: 0, fresh: true });
  const v = exp.record.variants;
  assert.equal(v["before"]!.git!.sha, beforeSha);
  assert.ok(v["before"]!.git!.worktree!.startsWith(join(dir, "git-store", "worktrees")));
  assert.equal(v["after"]!.git!.sha, head);
  assert.ok(exp.instructions().delta < 0, exp.instructions().text);
  assert.equal(git("rev-parse", "HEAD"), head, "HEAD unchanged");
  assert.equal(git("status", "--porcelain", "--untracked-files=no"), "", "the checkout is clean");
});
