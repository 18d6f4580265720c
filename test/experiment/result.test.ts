// Experiment.verdict on a hand-made record: which times it judges and how its text names them.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExperimentRecord } from "../../src/experiment/record.js";
import { Experiment } from "../../src/experiment/result.js";

/** Just what verdict() reads: the variants, noise and seed of the spec, and the measured timed runs. */
function record(): ExperimentRecord {
  const runs = [];
  for (let i = 0; i < 12; i++) {
    const after = i % 2 === 1;
    runs.push({ index: i, variant: after ? "after" : "before", phase: "measured", kind: "timed", startedAt: "2026-12-05T00:00:00.000Z", wallMs: (after ? 60 : 100) + i, userMs: (after ? 40 : 80) + i, sysMs: 5, exitCode: 0, command: ["wordfreq"] });
  }
  return { id: "t", status: "complete", spec: { variants: { before: {}, after: { features: ["reuse-buffer"] } }, noise: 0.02, seed: 1 }, runs, warnings: [] } as unknown as ExperimentRecord;
}
const data = { perf: new Map(), callgrind: new Map() };

test("Experiment.verdict({ metric: 'cpu' }): judges user + sys time and says 'CPU time' in its text", () => {
  const exp = new Experiment(record(), data, { path: "/tmp/t.json" });
  const wall = exp.verdict();
  const cpu = exp.verdict({ metric: "cpu" });
  assert.equal(wall.metric, "wall time");
  assert.equal(cpu.metric, "CPU time");
  assert.match(cpu.text, /^after is [\d.]+% faster than before/);
  assert.doesNotMatch(cpu.text, /\bcpu is\b/);
  assert.equal(cpu.baseSummary.median, 90, "median of user + sys over before's runs (80+5 … 90+5)");
  assert.notEqual(cpu.ratio, wall.ratio);
});
