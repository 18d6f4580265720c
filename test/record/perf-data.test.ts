import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { functionTotals } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { open } from "../../src/record/open.js";
import { PERF_SCRIPT_FIELDS, missingBinariesWarning, perfScriptProfile, readPerfData } from "../../src/record/perf-data.js";
import { openProfile } from "../../src/samples/registry.js";
import { recordThreads } from "../helpers/perf-data.js";

const dir = mkdtempSync(join(tmpdir(), "flamebook-perf-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let data = "";
before(async () => {
  data = await recordThreads(join(dir, "threads.perf.data"), { ms: 200 });
}, { timeout: 300_000 });

const spinShare = (p: Parameters<typeof functionTotals>[0]) => {
  const all = p.samples.weight.reduce((a, b) => a + b, 0);
  return (functionTotals(p).find((r) => r.name === "threads::spin")?.total ?? 0) / all;
};

test("readPerfData: a real perf.data becomes the profile perf script gives, with Rust names", async () => {
  const p = await readPerfData(data);
  assert.equal(p.format, "perf-script");
  assert.equal(p.source, data);
  assert.ok(p.samples.stack.length > 50, `samples: ${p.samples.stack.length}`);
  assert.ok(spinShare(p) > 0.5, `threads::spin share ${spinShare(p)}`);
  assert.ok(p.threads.some((t) => t.comm === "worker one"));
  assert.deepEqual(p.warnings, []);
});

test("perfScriptProfile: the command names the file and the fields; the chunks are perf script's text", async () => {
  const chunks: Buffer[] = [];
  const { profile, command } = await perfScriptProfile(data, { onChunk: (c) => chunks.push(c) });
  assert.deepEqual(command, ["perf", "script", "-i", data, "-F", PERF_SCRIPT_FIELDS.join(",")]);
  const again = await openProfile(Buffer.concat(chunks));
  assert.deepEqual(toFolded(again), toFolded(profile));
});

test("openProfile / open: perf.data by its magic, from a path, from bytes, gzipped, and with format 'perf.data'", async () => {
  const want = toFolded(await readPerfData(data));
  assert.deepEqual(toFolded(await openProfile(data, { readPerfData })), want);
  const bytes = readFileSync(data);
  assert.deepEqual(toFolded(await openProfile(bytes, { readPerfData })), want);
  const gz = join(dir, "threads.perf.data.gz");
  writeFileSync(gz, gzipSync(bytes));
  assert.deepEqual(toFolded(await openProfile(gz, { readPerfData })), want);
  const renamed = join(dir, "profile.txt");
  writeFileSync(renamed, bytes);
  assert.deepEqual(toFolded(await openProfile(renamed, { readPerfData, format: "perf.data" })), want);
  const p = await open(data); // the package's open passes readPerfData
  assert.deepEqual(toFolded(p.profile), want);
  assert.ok(p.functions().numRows() > 3);
});

test("openProfile: a perf.data without readPerfData is an error that says how to open it", async () => {
  await assert.rejects(openProfile(data), (e: Error) => {
    assert.match(e.message, /^flamebook: .*threads\.perf\.data: it is a perf\.data file \(the binary output of `perf record`\), which flamebook reads by running `perf script`/);
    assert.match(e.message, /open\(".*threads\.perf\.data"\) from flamebook/);
    assert.match(e.message, /perf script -i .*threads\.perf\.data > .*threads\.perf\.data\.txt/);
    assert.doesNotMatch(e.message, /\u0000/);
    return true;
  });
});

test("readPerfData: a recording without timestamps is read without the time field", async () => {
  const nt = await recordThreads(join(dir, "no-time.perf.data"), { perfArgs: ["--no-timestamp"] });
  const p = await readPerfData(nt);
  assert.ok(p.samples.stack.length > 20);
  assert.ok(p.samples.time.every((t) => Number.isNaN(t)), "no times");
});

test("readPerfData: recorded elsewhere (the binary is gone, no build-id cache) warns about nameless frames and says how to bring the binaries", async () => {
  const home = join(dir, "home");
  mkdirSync(home);
  const exe = join(dir, "threads-copy");
  const gone = await recordThreads(join(dir, "gone.perf.data"), { perfArgs: ["--no-buildid-cache"], exeCopy: exe, env: { HOME: home } });
  rmSync(exe);
  const saved = process.env.HOME;
  process.env.HOME = home; // perf looks in $HOME/.debug; ours has the binary from other recordings
  try {
    const p = await readPerfData(gone);
    assert.equal(spinShare(p), 0, "no names");
    const w = p.warnings.find((x) => x.includes("not on this machine"));
    assert.ok(w, JSON.stringify(p.warnings));
    assert.match(w, /gone\.perf\.data: \d+% of the samples end in frames without a function name/);
    assert.ok(w.includes(exe), w);
    assert.match(w, /perf archive .*gone\.perf\.data/);
  } finally {
    process.env.HOME = saved;
  }
});

test("missingBinariesWarning: none when the binaries are here", async () => {
  assert.equal(missingBinariesWarning(await readPerfData(data), data), undefined);
});

test("readPerfData: perf missing from PATH names the Debian package; a foreign or truncated file is an error naming it", async () => {
  const saved = process.env.PATH;
  process.env.PATH = mkdtempSync(join(dir, "empty-path-"));
  try {
    await assert.rejects(readPerfData(data), /'perf' was not found on PATH.*apt-get install linux-perf/);
  } finally {
    process.env.PATH = saved;
  }
  const bad = join(dir, "bad.perf.data");
  writeFileSync(bad, Buffer.concat([Buffer.from("PERFILE2"), Buffer.alloc(200, 0x41)]));
  const cut = join(dir, "cut.perf.data");
  writeFileSync(cut, readFileSync(data).subarray(0, 5000));
  for (const file of [bad, cut]) {
    await assert.rejects(readPerfData(file), (e: Error) => {
      assert.ok(e.message.startsWith(`flamebook: ${file}: perf script `), e.message);
      assert.match(e.message, /perf script (failed \(exit code \d+\)|was killed by SIG\w+)/);
      assert.ok(e.message.includes(`perf script -i ${file}`), e.message);
      return true;
    });
  }
});
