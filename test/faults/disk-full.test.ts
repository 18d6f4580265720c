// Fault: the disk fills up while flamebook writes. A 1 MiB tmpfs (we are root in CI; outside, a
// failed mount skips with the reason) is filled to a few KB of free space, then each writer is
// run into it: the experiment (its store and record), the experiment record writer, perf.record's
// perf.data, a flamegraph page (Flamegraph.save), `flamebook report`. Each fails with an error
// that names the file and says the disk is full; nothing is left that reads as complete; and
// experiment.load on what an experiment left gives an error naming the file.
// (ArtifactStore.put/putFile on a full tmpfs is test/experiment/store.test.ts.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test, type TestContext } from "node:test";
import { experiment, MIMEBUNDLE, ProfileBuilder, flamegraph } from "../../src/internals.js";
import { readRecord, writeRecord, type ExperimentRecord } from "../../src/experiment/record.js";
import { perf } from "../../src/record/perf.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { perfUnavailable, skipUnless } from "./env.js";

const tmp = mkdtempSync(join(tmpdir(), "fbfault-disk-"));
const mnt = join(tmp, "tiny");
let mountError: string | undefined;

let notRoot: string | undefined;
before(() => {
  mkdirSync(mnt);
  if (process.getuid?.() !== 0) {
    notRoot = "mounting a 1 MiB tmpfs needs root (CI runs as root)";
    return;
  }
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], { encoding: "utf8" });
  if (r.error || r.status !== 0) mountError = `cannot mount a 1 MiB tmpfs here (${(r.stderr || r.error?.message || "").trim()})`;
});
after(() => {
  if (!mountError && !notRoot) spawnSync("umount", [mnt]);
  rmSync(tmp, { recursive: true, force: true });
});

/** An empty directory on the tmpfs, with the file system filled to `free` bytes or fewer. */
function fullDir(t: TestContext, name: string, free = 8 * 1024): string | undefined {
  if (notRoot) {
    // Not a missing tool: without root there is no small file system to fill, in CI or not.
    console.log(`# skipped ${t.name}: ${notRoot}`);
    t.skip(notRoot);
    return undefined;
  }
  if (skipUnless(t, mountError)) return undefined;
  for (const f of readdirSync(mnt)) rmSync(join(mnt, f), { recursive: true, force: true });
  const dir = join(mnt, name);
  mkdirSync(dir);
  const s = statfsSync(mnt);
  const avail = s.bavail * s.bsize;
  if (avail > free) writeFileSync(join(mnt, ".filler"), Buffer.alloc(avail - free));
  return dir;
}

const diskFull = /ENOSPC|no space left/i;

test("writeRecord: a full disk names the record file, leaves no temporary file and no record", async (t) => {
  const dir = fullDir(t, "records", 1024);
  if (!dir) return;
  const path = join(dir, "exp.json");
  const record = structuredClone(await sampleRecord());
  record.warnings.push("x".repeat(64 * 1024)); // bigger than what is left
  await assert.rejects(writeRecord(path, record), (e: Error) => e.message.includes(path) && diskFull.test(e.message));
  assert.deepEqual(readdirSync(dir), []);
});

test("experiment: the store filling up fails the experiment with a clear error; what is left never loads as complete", { timeout: 120_000 }, async (t) => {
  if (skipUnless(t, perfUnavailable())) return;
  const dir = fullDir(t, "store", 24 * 1024);
  if (!dir) return;
  const loop = "end=$(($(date +%s)+1)); while [ $(date +%s) -lt $end ]; do :; done";
  const err = await experiment({ exe: "/bin/sh", args: ["-c", loop], variants: { a: {}, b: { env: { FB_B: "1" } } }, runs: 1, warmup: 0, measure: ["perf"], store: dir }).then(
    () => assert.fail("the experiment should fail: its perf.data cannot be stored"),
    (e: Error) => e,
  );
  if (process.env["FB_SHOW_ERRORS"]) console.log(err.message);
  assert.match(err.message, /experiment failed/);
  assert.match(err.message, diskFull, err.message);
  assert.match(err.message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "names the store");
  // No temporary artifact is left in the store, and the record (if one was written) is not complete.
  const files = spawnSync("find", [dir, "-type", "f"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
  assert.ok(!files.some((f) => /\.tmp$|\.partial/.test(f)), `temporary files left: ${files.join(", ")}`);
  const records = files.filter((f) => f.includes("/experiments/") && f.endsWith(".json"));
  assert.ok(records.length <= 1, records.join(", "));
  if (records.length === 1) {
    const rec = await readRecord(records[0]!, { allowIncomplete: true });
    assert.notEqual(rec.status, "complete");
    if (rec.status === "running") {
      await assert.rejects(experiment.load(records[0]!), (e: Error) => e.message.includes(records[0]!) && /was not finished/.test(e.message));
    } else {
      const loaded = await experiment.load(records[0]!);
      assert.match(String(loaded[MIMEBUNDLE]()["text/plain"]), new RegExp(`^\\[${rec.status}\\]`));
    }
  }
});

test("experiment.load: a record cut short (truncated JSON, as a non-atomic writer would leave on a full disk) names the file", async () => {
  const path = join(tmp, "cut.json");
  const text = JSON.stringify(await sampleRecord(), null, 2);
  writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
  await assert.rejects(experiment.load(path), (e: Error) => e.message.includes(path) && /cut off/.test(e.message));
  unlinkSync(path);
});

test("perf.record: perf.data on a full disk rejects clearly and leaves no recording", { timeout: 60_000 }, async (t) => {
  if (skipUnless(t, perfUnavailable())) return;
  const dir = fullDir(t, "perf", 16 * 1024);
  if (!dir) return;
  const loop = "end=$(($(date +%s)+1)); while [ $(date +%s) -lt $end ]; do :; done";
  await assert.rejects(perf.record({ command: "sh", args: ["-c", loop] }, { outDir: dir, frequency: 1999 }), (e: Error) => {
    if (process.env["FB_SHOW_ERRORS"]) console.log(e.message);
    return /perf record failed/.test(e.message) && /No space left on device/.test(e.message);
  });
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes("perf.data")), [], "no recording, complete or partial");
});

test("Flamegraph.save: a full disk names the page, leaves no partial page", async (t) => {
  const dir = fullDir(t, "page");
  if (!dir) return;
  const page = join(dir, "flame.html");
  await assert.rejects(flamegraph(smallProfile()).save(page), (e: Error) => {
    if (process.env["FB_SHOW_ERRORS"]) console.log(e.message);
    return e.message.includes(page) && diskFull.test(e.message);
  });
  assert.deepEqual(readdirSync(dir), []);
});

test("flamebook report: a full disk is a one-line error naming the output, and no report is left", { timeout: 120_000 }, async (t) => {
  const dir = fullDir(t, "report");
  if (!dir) return;
  await ensureBuilt();
  const nb = join(tmp, "nb.ipynb");
  writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", id: "a", metadata: {}, source: ["# Title\n", "x".repeat(40_000)] }] }));
  const out = join(dir, "report.html");
  const bin = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));
  const r = spawnSync(process.execPath, ["--import", "tsx", bin, "report", nb, "-o", out], { encoding: "utf8", timeout: 60_000 });
  if (process.env["FB_SHOW_ERRORS"]) console.log(r.stderr);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes(out) && diskFull.test(r.stderr), `the error names the output and the full disk: ${r.stderr}`);
  assert.ok(!existsSync(out));
  assert.deepEqual(readdirSync(dir), []);
});

function smallProfile() {
  const b = new ProfileBuilder({ format: "test" });
  const th = b.thread("main", 1, 1);
  const ev = b.event("samples");
  let s = -1;
  for (let i = 0; i < 200; i++) {
    s = b.stack(i % 20 === 0 ? -1 : s, b.frame(`frame_${i}`, "m"));
    b.sample(s, th, ev, i * 0.001, 1);
  }
  return b.finish();
}

let sample: Promise<ExperimentRecord> | undefined;
/** A real, complete record: a tiny wall-time experiment of /bin/true in a store on the real disk. */
function sampleRecord(): Promise<ExperimentRecord> {
  sample ??= experiment({ exe: "/bin/true", variants: { a: {}, b: { env: { FB_B: "1" } } }, runs: 2, warmup: 0, measure: ["wall"], store: join(tmp, "sample-store") }).then((e) => e.record);
  return sample;
}
