import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ExperimentRecordError,
  experimentRecordSchema,
  listRecords,
  parseRecord,
  readRecord,
  recordPath,
  writeRecord,
  type ExperimentRecord,
  type Provenance,
} from "../../src/experiment/record.js";
import { ArtifactStore } from "../../src/experiment/store.js";

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "flamebook-record-"));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const provenance: Provenance = {
  date: "2026-11-25T10:00:00.000Z",
  flamebookVersion: "0.1.0",
  node: "v20.20.2",
  hostname: "box",
  kernel: "6.1.0-28-amd64",
  os: "Linux x64, Debian GNU/Linux 12 (bookworm)",
  cpuModel: "AMD EPYC",
  nproc: 2,
  governors: [],
  perfEventParanoid: 2,
  loadavg: [0.1, 0.2, 0.3],
  memTotalMb: 7940,
  rustc: "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc",
  cargo: "cargo 1.95.0",
  perf: "perf version 6.1.187",
  valgrind: null,
};

async function sampleRecord(status: ExperimentRecord["status"] = "complete"): Promise<ExperimentRecord> {
  const store = new ArtifactStore(join(tmp, "store"));
  const script = await store.put("main;work 10\n", { kind: "perf-script" });
  const info = await store.put('{"profile":"profiling"}', { kind: "build-info" });
  const runs: ExperimentRecord["runs"] = [];
  for (let i = 0; i < 6; i++) {
    runs.push({
      index: i,
      variant: i % 2 === 0 ? "before" : "after",
      phase: i < 2 ? "warmup" : "measured",
      kind: i === 5 ? "perf" : "timed",
      startedAt: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(),
      wallMs: 100 + i,
      userMs: 90,
      sysMs: 5,
      exitCode: 0,
      command: ["/c/target/profiling/wordfreq", "in.txt"],
      ...(i === 5 ? { samples: 4000, lost: 0, counters: { cycles: 1.2e9, instructions: null }, artifacts: { "perf-script": script } } : {}),
    });
  }
  return {
    schema: "flamebook.experiment",
    version: 1,
    id: "2026-11-25-wordfreq-3f2a",
    status,
    createdAt: "2026-11-25T10:00:00.000Z",
    ...(status === "running" ? {} : { finishedAt: "2026-11-25T10:01:00.000Z" }),
    flamebookVersion: "0.1.0",
    spec: {
      crate: "notebooks/crates/clone-in-loop",
      bin: "wordfreq",
      args: ["in.txt"],
      env: {},
      variants: { before: { git: "HEAD~1" }, after: { features: ["reuse-buffer"], label: "reuse" } },
      runs: 2,
      warmup: 1,
      order: "abba",
      measure: ["wall", "perf"],
      profiledRuns: 1,
      frequency: 999,
      seed: 42,
      noise: 0.02,
    },
    variants: {
      before: {
        spec: { git: "HEAD~1" },
        git: { sha: "a".repeat(40), dirty: false, ref: "main", worktree: "/tmp/wt" },
        build: { profile: "profiling", features: [], exe: "/x/wordfreq", exeSha256: "b".repeat(64), command: ["cargo", "build"], warnings: [], info },
        command: { exe: "/x/wordfreq", args: ["in.txt"], env: {} },
      },
      after: { spec: { features: ["reuse-buffer"] }, command: { exe: "/y/wordfreq", args: ["in.txt"], env: { RUST_LOG: "off" } } },
    },
    provenance: { ...provenance, loadEnd: [0.5, 0.3, 0.3] },
    runs,
    warnings: ["CPU frequency governor is 'powersave'"],
    result: { verdict: "faster", ratio: 0.71, nested: [1, { a: null }] },
  };
}

/** The ExperimentRecordError of a rejected read. */
async function readError(path: string, opts?: { allowIncomplete?: boolean }): Promise<ExperimentRecordError> {
  const e = await readRecord(path, opts).then(
    () => assert.fail(`reading ${path} did not fail`),
    (err: unknown) => err,
  );
  assert.ok(e instanceof ExperimentRecordError, `not an ExperimentRecordError: ${String(e)}`);
  assert.ok(e.message.includes(path), `the message names the file: ${e.message}`);
  assert.ok(!/ZodError|at .*node_modules/.test(e.message), `no zod dump: ${e.message}`);
  return e;
}

test("round trip: writeRecord then readRecord gives the same record, pretty JSON, no temp file", async () => {
  const rec = await sampleRecord();
  const path = recordPath(join(tmp, "store"), rec.id);
  assert.equal(path, join(tmp, "store", "experiments", `${rec.id}.json`));
  await writeRecord(path, rec);
  const text = await readFile(path, "utf8");
  assert.ok(text.startsWith('{\n  "schema": "flamebook.experiment",\n  "version": 1,'), text.slice(0, 80));
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(await readRecord(path), rec);
  assert.deepEqual(await readdir(join(tmp, "store", "experiments")), [`${rec.id}.json`]);
  // Overwriting (status updates while running) replaces it whole.
  await writeRecord(path, { ...rec, warnings: [] });
  assert.deepEqual((await readRecord(path)).warnings, []);
});

test("writeRecord refuses an invalid record and names the fields", async () => {
  const rec = await sampleRecord();
  const bad = { ...rec, runs: [{ ...rec.runs[0], wallMs: "fast" }] } as unknown as ExperimentRecord;
  const path = join(tmp, "bad-write.json");
  await assert.rejects(writeRecord(path, bad), (e: unknown) => e instanceof ExperimentRecordError && /runs\[0\]\.wallMs: expected number, got string/.test(e.message));
  await assert.rejects(readFile(path), /ENOENT/, "nothing was written");
});

test("bad JSON: the error names the file, the line and the column, and the fix", async () => {
  const path = join(tmp, "bad.json");
  await writeFile(path, '{\n  "schema": "flamebook.experiment",\n  "version": 1,\n  "id": tru\n}\n');
  const e = await readError(path);
  assert.equal(e.failure, "json");
  assert.match(e.message, /is not valid JSON at line 4, column 12/);
  assert.match(e.message, /restore it from a copy, or delete it and re-run the experiment/);

  await writeFile(path, '{\n  "a": 1,\n  "b": [1, 2,]\n}');
  assert.match((await readError(path)).message, /line 3, column 14/);
  await writeFile(path, "");
  assert.match((await readError(path)).message, /line 1, column 1: the file ends in the middle/);
});

test("a truncated record (cut in half) gives the file-naming JSON error", async () => {
  const rec = await sampleRecord();
  const path = join(tmp, "truncated.json");
  await writeRecord(path, rec);
  const text = await readFile(path, "utf8");
  await writeFile(path, text.slice(0, Math.floor(text.length / 2)));
  const e = await readError(path);
  assert.equal(e.failure, "json");
  const lines = text.slice(0, Math.floor(text.length / 2)).split("\n").length;
  assert.match(e.message, new RegExp(`at line (${lines}|${lines - 1}), column \\d+: the file ends in the middle of the JSON \\(it was cut off\\)`));
});

test("a record cut at every point of a number is cut off, not a bad character (1. 1.5 1e -)", () => {
  for (const cut of ['{"runs": [{"userMs": 1.', '{"runs": [{"userMs": 1.5', '{"runs": [{"userMs": -', '{"runs": [{"userMs": 2e', '{"runs": [{"userMs": 2e+', '{"runs": [{"userMs": 12']) {
    assert.throws(() => parseRecord(cut, "cut.json"), (e: Error) => /the file ends in the middle of the JSON \(it was cut off\)/.test(e.message), cut);
  }
  // and a number broken inside the text still points at the character
  assert.throws(() => parseRecord('{"runs": [{"userMs": 1.}]}', "bad.json"), /column 24: unexpected "}"/);
});

test("schema errors name the failing fields as JSON paths", async () => {
  const rec = await sampleRecord();
  const raw = JSON.parse(JSON.stringify(rec)) as Record<string, unknown> & { runs: Record<string, unknown>[]; spec: Record<string, unknown> };
  raw.runs[3].wallMs = "12.5";
  raw.runs[4].phase = "cooldown";
  delete raw.spec.order;
  (raw.variants as Record<string, Record<string, unknown>>).before.git = { sha: 1, dirty: false };
  const path = join(tmp, "schema.json");
  await writeFile(path, JSON.stringify(raw, null, 2));
  const e = await readError(path);
  assert.equal(e.failure, "schema");
  assert.ok(e.issues.includes("runs[3].wallMs: expected number, got string"), e.issues.join("\n"));
  assert.ok(e.issues.includes('runs[4].phase: expected one of "warmup", "measured", got "cooldown"'), e.issues.join("\n"));
  assert.ok(e.issues.includes("spec.order: required enum, missing") || e.issues.some((i) => i.startsWith("spec.order:")), e.issues.join("\n"));
  assert.ok(e.issues.includes("variants.before.git.sha: expected string, got number"), e.issues.join("\n"));
  for (const i of e.issues) assert.ok(e.message.includes(i));
  assert.match(e.message, /Fix these fields .* or delete the record and re-run the experiment/);

  // Many failures: the first five, then a count.
  raw.runs.forEach((r) => (r.exitCode = "0"));
  await writeFile(path, JSON.stringify(raw));
  const many = await readError(path);
  assert.match(many.message, /… and \d+ more/);
  assert.ok(many.message.split("\n").filter((l) => l.startsWith("  ")).length <= 6);

  // Not a record at all.
  await writeFile(path, '{"traceEvents": []}');
  assert.match((await readError(path)).message, /is not a flamebook experiment record \(its "schema" field is missing/);
});

test('a "running" record is refused unless allowIncomplete', async () => {
  const rec = await sampleRecord("running");
  const path = join(tmp, "running.json");
  await writeRecord(path, rec);
  const e = await readError(path);
  assert.equal(e.failure, "incomplete");
  assert.match(e.message, /was not finished \(the experiment was killed or is still running\); re-run it or load it with \{ allowIncomplete: true \}/);
  assert.equal((await readRecord(path, { allowIncomplete: true })).status, "running");
  for (const status of ["interrupted", "failed"] as const) {
    await writeRecord(path, { ...rec, status });
    assert.equal((await readRecord(path)).status, status, `${status} records are finished`);
  }
});

test("a record of a newer flamebook (version 2) asks to upgrade", async () => {
  const rec = { ...(await sampleRecord()), version: 2, newField: { x: 1 } };
  const path = join(tmp, "v2.json");
  await writeFile(path, JSON.stringify(rec));
  const e = await readError(path, { allowIncomplete: true });
  assert.equal(e.failure, "version");
  assert.match(e.message, /version 2: it was written by a newer flamebook .* Upgrade flamebook/);
});

test("a missing record file names the path", async () => {
  const e = await readError(join(tmp, "nope.json"));
  assert.equal(e.failure, "io");
  assert.match(e.message, /does not exist/);
});

test("listRecords lists records newest first and reports unreadable ones", async () => {
  const root = join(tmp, "list");
  const rec = await sampleRecord();
  await writeRecord(recordPath(root, "old"), { ...rec, id: "old", createdAt: "2026-01-01T00:00:00.000Z" });
  await writeRecord(recordPath(root, "new"), { ...rec, id: "new", createdAt: "2026-06-01T00:00:00.000Z" });
  await writeRecord(recordPath(root, "live"), { ...(await sampleRecord("running")), id: "live", createdAt: "2026-03-01T00:00:00.000Z" });
  await writeFile(recordPath(root, "broken"), "{");
  const list = await listRecords(root);
  assert.deepEqual(
    list.map((r) => [r.id, r.status ?? "error"]),
    [["new", "complete"], ["live", "running"], ["old", "complete"], ["broken", "error"]],
  );
  assert.match(list[3].error ?? "", /broken\.json is not valid JSON/);
  assert.deepEqual(list[0].variants, ["before", "after"]);
  assert.deepEqual(await listRecords(join(tmp, "empty")), []);
});

test("recordPath rejects ids that would leave the experiments directory", () => {
  assert.throws(() => recordPath("/s", "../x"), /not a valid experiment id/);
  assert.throws(() => recordPath("/s", "a/b"), /not a valid experiment id/);
  assert.equal(recordPath("/s", "exp-1.2"), "/s/experiments/exp-1.2.json");
});

test("parseRecord works on text from elsewhere; the schema accepts an unknown result", async () => {
  const rec = await sampleRecord();
  assert.deepEqual(parseRecord(JSON.stringify(rec), "mem.json"), rec);
  const { result: _r, ...noResult } = rec;
  assert.ok(experimentRecordSchema.safeParse(noResult).success, "result is optional");
});

test("writeRecord into an unwritable place names the file and leaves no temp file", async () => {
  const blocked = join(tmp, "blocked");
  await writeFile(blocked, "a file, not a directory");
  const path = join(blocked, "experiments", "x.json");
  await assert.rejects(writeRecord(path, await sampleRecord()), (e: unknown) => e instanceof ExperimentRecordError && e.failure === "io" && e.message.includes(path));
});
