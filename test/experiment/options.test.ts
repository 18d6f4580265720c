// parseExperimentOptions / planRuns: every default in one schema, wrong options in flamebook's
// words (the option, the value, what is allowed), and the order runs are made in.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { experiment } from "../../src/index.js";
import { parseExperimentOptions, type ExperimentOptions } from "../../src/experiment/options.js";
import { planRuns } from "../../src/experiment/plan.js";
import { experimentSpecSchema } from "../../src/experiment/record-schema.js";

const dir = mkdtempSync(join(tmpdir(), "fb-options-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const two = { a: {}, b: { env: { FB_B: "1" } } };

test("parseExperimentOptions: every default filled in, in the cache key's order, and the record's spec schema accepts it", () => {
  const p = parseExperimentOptions({ exe: "bin/app", variants: two });
  assert.deepEqual(p.spec, {
    exe: resolve("bin/app"),
    args: [],
    env: {},
    variants: two,
    runs: 10,
    warmup: 1,
    order: "abba",
    measure: ["wall", "perf"],
    profiledRuns: 5,
    frequency: 997,
    seed: 1,
    noise: 0.02,
  });
  assert.deepEqual(Object.keys(p.spec), ["exe", "args", "env", "variants", "runs", "warmup", "order", "measure", "profiledRuns", "frequency", "seed", "noise"]);
  assert.ok(experimentSpecSchema.safeParse(p.spec).success);
  assert.equal(p.store, resolve(".flamebook"));
  assert.equal(p.fresh, false);
});

test("parseExperimentOptions: exact counts only need no warm-up; measures are counted once; paths are absolute", () => {
  const p = parseExperimentOptions({ crate: "crates/x", variants: two, measure: ["callgrind", "dhat", "callgrind"], runs: 0, store: "s" });
  assert.equal(p.spec.warmup, 0);
  assert.deepEqual(p.spec.measure, ["callgrind", "dhat"]);
  assert.equal(p.spec.crate, resolve("crates/x"));
  assert.equal(p.store, resolve("s"));
  assert.equal(parseExperimentOptions({ exe: "/bin/true", variants: two, measure: ["callgrind"], warmup: 2 }).spec.warmup, 2);
});

test("parseExperimentOptions: a wrong option names the option, the value and what is allowed", () => {
  const wrong = (opts: unknown, message: string) => assert.throws(() => parseExperimentOptions(opts as ExperimentOptions), (e: Error) => e.message === message, message);
  const base = { exe: "/bin/true", variants: two };
  wrong({ exe: "/bin/true", variants: { only: {} } }, 'flamebook: an experiment compares at least two variants, e.g. { before: {}, after: { features: ["fast"] } }; got 1.');
  wrong({ ...base, measure: ["wall", "gpu"] }, 'flamebook: unknown measure "gpu"; experiment option measure takes "wall", "perf", "callgrind" or "dhat".');
  wrong({ ...base, order: "zigzag" }, 'flamebook: unknown order "zigzag"; experiment option order takes "abba", "random" or "sequential".');
  wrong({ ...base, runs: 1 }, 'flamebook: experiment option runs must be a whole number ≥ 2 when "wall" is measured, got 1.');
  wrong({ ...base, runs: "10" }, 'flamebook: experiment option runs must be a whole number, got "10".');
  wrong({ ...base, measure: ["perf"], profiledRuns: 0 }, 'flamebook: experiment option profiledRuns must be a whole number ≥ 1 when "perf" is measured, got 0.');
  wrong({ ...base, warmup: -1 }, "flamebook: experiment option warmup must be a whole number ≥ 0, got -1.");
  wrong({ ...base, frequency: 0 }, "flamebook: experiment option frequency must be a whole number > 0, got 0.");
  wrong({ ...base, seed: 1.5 }, "flamebook: experiment option seed must be a whole number, got 1.5.");
  wrong({ ...base, noise: 5 }, "flamebook: experiment option noise must be a number < 1, got 5.");
  wrong({ ...base, noise: -0.1 }, "flamebook: experiment option noise must be a number ≥ 0, got -0.1.");
  wrong({ ...base, variants: { a: { features: "fast" }, b: {} } }, 'flamebook: experiment option variants.a.features must be a list, got "fast".');
  wrong({ ...base, signal: 3 }, "flamebook: experiment option signal must be an AbortSignal, got 3.");
  wrong(undefined, 'flamebook: experiment() takes an options object, e.g. { exe, variants: { before: {}, after: { env: { FAST: "1" } } } }; got nothing.');
  // several at once: one line each
  assert.throws(() => parseExperimentOptions({ ...base, noise: 5, seed: 1.5 }), (e: Error) => e.message.split("\n").length === 2);
});

test("experiment: the noise threshold is checked before anything runs or is written", async () => {
  const store = join(dir, "store");
  await assert.rejects(experiment({ exe: "/bin/true", variants: two, noise: 1, store }), /experiment option noise must be a number < 1, got 1\./);
  assert.ok(!existsSync(store), "no store, no record");
});

test("planRuns: warm-ups, then timed runs interleaved, then profiled, callgrind and DHAT runs", () => {
  const spec = parseExperimentOptions({ exe: "/bin/true", variants: two, runs: 2, profiledRuns: 1, measure: ["wall", "perf", "callgrind", "dhat"] }).spec;
  assert.deepEqual(
    planRuns(spec).map((r) => `${r.variant}:${r.phase === "warmup" ? "warm-" : ""}${r.kind}`),
    ["a:warm-timed", "b:warm-timed", "a:timed", "b:timed", "b:timed", "a:timed", "a:perf", "b:perf", "a:callgrind", "b:callgrind", "a:dhat", "b:dhat"],
  );
});
