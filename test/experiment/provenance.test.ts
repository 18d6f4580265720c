import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  collectProvenance,
  currentLoad,
  flamebookPackageVersion,
  gitProvenance,
  provenanceWarnings,
  type Provenance,
} from "../../src/experiment/provenance.js";
import { provenanceSchema } from "../../src/experiment/record.js";
import { run } from "../../src/exec/index.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

test("collectProvenance: every field present and sane on this machine, in well under a second", async () => {
  const t0 = performance.now();
  const p = await collectProvenance({ cwd: REPO });
  const ms = performance.now() - t0;
  console.log(`# collectProvenance: ${ms.toFixed(0)} ms`);
  assert.ok(provenanceSchema.safeParse(p).success, JSON.stringify(provenanceSchema.safeParse(p).error?.issues));
  assert.ok(Math.abs(Date.parse(p.date) - Date.now()) < 60_000);
  assert.equal(p.flamebookVersion, flamebookPackageVersion());
  assert.match(p.flamebookVersion, /^\d+\.\d+\.\d+/);
  assert.equal(p.node, process.version);
  assert.equal(p.hostname, os.hostname());
  assert.equal(p.kernel, os.release());
  assert.ok(p.os.startsWith(`${os.type()} `), p.os);
  assert.ok(p.cpuModel.length > 0 && p.cpuModel !== "unknown", p.cpuModel);
  assert.ok(p.nproc >= 1);
  assert.ok(Array.isArray(p.governors));
  assert.ok(p.perfEventParanoid === null || Number.isInteger(p.perfEventParanoid));
  assert.equal(p.loadavg.length, 3);
  assert.ok(p.loadavg.every((n) => n >= 0));
  assert.ok(p.memTotalMb > 100);
  assert.ok(p.rustc?.startsWith("rustc "), String(p.rustc));
  assert.match(p.rustc ?? "", /\nhost: /, "the full rustc -vV output");
  assert.ok(p.cargo?.startsWith("cargo "), String(p.cargo));
  assert.match(p.perf ?? "", /^perf version /);
  assert.equal(p.loadEnd, undefined, "filled in later by the orchestrator");
  if (process.platform === "linux") {
    const { stdout } = await run("uname", ["-r"], { captureStdout: true });
    assert.equal(p.kernel, stdout.trim());
  }
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test("a missing tool gives null, not an error", async () => {
  const saved = process.env.RUSTC;
  process.env.RUSTC = "/nonexistent/rustc-for-flamebook-test";
  try {
    const p = await collectProvenance();
    assert.equal(p.rustc, null);
    assert.ok(p.cargo === null || p.cargo.startsWith("cargo "));
  } finally {
    if (saved === undefined) delete process.env.RUSTC;
    else process.env.RUSTC = saved;
  }
});

test("an aborted signal rejects", async () => {
  await assert.rejects(collectProvenance({ signal: AbortSignal.abort() }), /abort/i);
});

test("currentLoad is three rounded numbers", () => {
  const l = currentLoad();
  assert.equal(l.length, 3);
  for (const n of l) assert.equal(Math.round(n * 100) / 100, n);
});

const base: Provenance = {
  date: "2026-11-25T10:00:00.000Z",
  flamebookVersion: "0.1.0",
  node: "v20.20.2",
  hostname: "box",
  kernel: "6.1.0",
  os: "Linux x64",
  cpuModel: "AMD EPYC",
  nproc: 2,
  governors: [],
  perfEventParanoid: 2,
  loadavg: [0.2, 0.1, 0.1],
  memTotalMb: 8000,
  rustc: "rustc 1.95.0",
  cargo: "cargo 1.95.0",
  perf: "perf version 6.1.187",
  valgrind: "valgrind-3.19.0",
};

test("provenanceWarnings: a quiet, well-set-up machine gives none", () => {
  assert.deepEqual(provenanceWarnings(base, { isRoot: false }), []);
  assert.deepEqual(provenanceWarnings({ ...base, governors: ["performance"] }, { isRoot: true }), []);
});

test("provenanceWarnings: powersave governor", () => {
  const w = provenanceWarnings({ ...base, governors: ["performance", "powersave"] }, { isRoot: true });
  assert.equal(w.length, 1);
  assert.match(w[0], /governor is 'powersave', not 'performance'.*cpupower frequency-set -g performance/);
});

test("provenanceWarnings: a busy machine, at the start or by the end", () => {
  assert.deepEqual(provenanceWarnings({ ...base, loadavg: [1.0, 1, 1] }, { isRoot: true }), [], "exactly half is fine");
  const w = provenanceWarnings({ ...base, loadavg: [1.9, 1.2, 1] }, { isRoot: true });
  assert.equal(w.length, 1);
  assert.match(w[0], /^the machine was busy: load 1\.9 on 2 CPUs; timings are noisier/);
  const one = provenanceWarnings({ ...base, nproc: 1, loadavg: [0.8, 0, 0] }, { isRoot: true });
  assert.match(one[0], /load 0\.8 on 1 CPU;/);
  const end = provenanceWarnings({ ...base, loadEnd: [3.5, 1, 1] }, { isRoot: true });
  assert.match(end[0], /^the machine was busy by the end of the experiment: load 3\.5 on 2 CPUs/);
});

test("provenanceWarnings: paranoid above 2 matters only for non-root users", () => {
  const p = { ...base, perfEventParanoid: 3 };
  assert.deepEqual(provenanceWarnings(p, { isRoot: true }), []);
  const w = provenanceWarnings(p, { isRoot: false });
  assert.equal(w.length, 1);
  assert.match(w[0], /perf_event_paranoid is 3: this user may not use perf.*sysctl -w kernel.perf_event_paranoid=1/);
  assert.deepEqual(provenanceWarnings({ ...base, perfEventParanoid: null }, { isRoot: false }), []);
});

test("provenanceWarnings: perf missing names the package; several warnings together", () => {
  const w = provenanceWarnings({ ...base, perf: null, governors: ["powersave"], loadavg: [4, 4, 4] }, { isRoot: true });
  assert.equal(w.length, 3);
  assert.ok(w.some((s) => /perf is not installed.*apt-get install linux-perf/.test(s)), w.join("\n"));
});

test("gitProvenance: sha, dirty and branch in a repository; null outside one", async () => {
  const g = await gitProvenance(REPO);
  assert.ok(g, "the project is a git repository");
  assert.match(g.sha, /^[0-9a-f]{40}$/);
  assert.equal(typeof g.dirty, "boolean");
  const branch = await run("git", ["branch", "--show-current"], { cwd: REPO, captureStdout: true });
  const name = branch.stdout.trim();
  if (name) assert.equal(g.ref, name);
  else assert.equal(g.ref, undefined);

  const outside = await mkdtemp(join(tmpdir(), "flamebook-nogit-"));
  try {
    assert.equal(await gitProvenance(outside), null);
  } finally {
    await rm(outside, { recursive: true });
  }
});
