import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { judgeGovernors, judgeParanoid, perfPreflight, readGovernors } from "../../src/record/preflight.js";
import { parsePerfRecordStderr } from "../../src/record/perf-output.js";

test("judgeParanoid: root always records; level 3 refuses with the sysctl command; level 2 samples user space only", () => {
  assert.deepEqual(judgeParanoid(3, true), { userOnly: false });
  assert.deepEqual(judgeParanoid(1, false), { userOnly: false });
  const three = judgeParanoid(3, false);
  assert.match(three.error!, /^flamebook: kernel\.perf_event_paranoid is 3: .*`sudo sysctl -w kernel\.perf_event_paranoid=1`/);
  const two = judgeParanoid(2, false);
  assert.equal(two.userOnly, true);
  assert.match(two.warning!, /user space only, kernel frames are hidden.*sysctl -w kernel\.perf_event_paranoid=1/);
});

test("readGovernors + judgeGovernors: a powersave CPU gives a warning with the fix; no cpufreq gives none", async () => {
  const root = mkdtempSync(join(tmpdir(), "flamebook-sysfs-"));
  try {
    for (const [cpu, gov] of [["cpu0", "performance"], ["cpu1", "powersave"]]) {
      mkdirSync(join(root, cpu, "cpufreq"), { recursive: true });
      writeFileSync(join(root, cpu, "cpufreq", "scaling_governor"), `${gov}\n`);
    }
    mkdirSync(join(root, "cpu2")); // no cpufreq
    mkdirSync(join(root, "cpuidle"));
    const govs = await readGovernors(root);
    assert.deepEqual(govs, ["performance", "powersave"]);
    assert.match(judgeGovernors(govs)!, /governor is 'powersave', not 'performance'.*cpupower frequency-set -g performance/);
    assert.equal(judgeGovernors(["performance"]), undefined);
    assert.deepEqual(await readGovernors(join(root, "missing")), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("perfPreflight: perf missing from PATH gives an error naming the Debian package", async () => {
  const saved = process.env.PATH;
  process.env.PATH = mkdtempSync(join(tmpdir(), "flamebook-empty-path-"));
  try {
    await assert.rejects(perfPreflight(), /'perf' was not found on PATH.*apt-get install linux-perf/);
  } finally {
    process.env.PATH = saved;
  }
});

test("parsePerfRecordStderr: sample count, size and lost chunks", () => {
  assert.deepEqual(parsePerfRecordStderr("[ perf record: Woken up 83 times to write data ]\n[ perf record: Captured and wrote 20.596 MB /tmp/b.data (2558 samples) ]\n"), {
    samples: 2558,
    megabytes: 20.596,
    lost: 0,
  });
  const lost = parsePerfRecordStderr("Warning:\nProcessed 51234 events and lost 7 chunks!\n\nCheck IO/CPU overload!\n[ perf record: Captured and wrote 1.0 MB x (10 samples) ]");
  assert.equal(lost.lost, 7);
  assert.equal(parsePerfRecordStderr("Failed to collect 'cpu-clock'").samples, null);
});

test("parsePerfRecordStderr: no count printed (the program ended before the first sample) is 0 samples, not a failure", () => {
  // what perf 6.1 printed for `wordfreq 1000 1` when no sample fell inside the run
  assert.deepEqual(parsePerfRecordStderr("[ perf record: Woken up 1 times to write data ]\n[ perf record: Captured and wrote 0.005 MB /tmp/x.perf.data.partial ]\n"), { samples: 0, megabytes: 0.005, lost: 0 });
});
