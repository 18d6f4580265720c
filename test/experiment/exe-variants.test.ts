// experiment() with prebuilt executables and per-variant args (no cargo): the verdict, the progress
// shown in the cell through one updated display, and the run order.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { experiment, MIMEBUNDLE, runSchedule, setDisplayHost } from "../../src/internals.js";

const dir = mkdtempSync(join(tmpdir(), "flamebook-exe-"));
after(() => {
  setDisplayHost(undefined);
  rmSync(dir, { recursive: true, force: true });
});

test("runSchedule: ABBA blocks, balanced random order, sequential", () => {
  assert.deepEqual(runSchedule(["a", "b"], 3, "abba"), ["a", "b", "b", "a", "a", "b"]);
  assert.deepEqual(runSchedule(["a", "b", "c"], 2, "abba"), ["a", "b", "c", "c", "b", "a"]);
  assert.deepEqual(runSchedule(["a", "b"], 2, "sequential"), ["a", "a", "b", "b"]);
  let x = 0.123;
  const r = runSchedule(["a", "b"], 50, "random", () => (x = (x * 9301 + 49297) % 233280 / 233280));
  assert.equal(r.filter((v) => v === "a").length, 50);
  assert.notDeepEqual(r, runSchedule(["a", "b"], 50, "sequential"));
  assert.throws(() => runSchedule(["a"], 2, "zigzag" as "abba"), /unknown run order "zigzag"/);
});

test("exe variants with their own args: 0.2 s vs 0.1 s of sleep is improved; progress updates one display in place", { timeout: 120_000 }, async () => {
  const shown: { id?: string; update: boolean; text: string }[] = [];
  setDisplayHost({
    display: (bundle, { displayId, update }) => void shown.push({ ...(displayId ? { id: displayId } : {}), update, text: String(bundle["text/plain"]) }),
    clearOutput: () => {},
  });
  const exp = await experiment({
    exe: "/bin/sleep",
    variants: { slow: { args: ["0.2"] }, fast: { args: ["0.1"] } },
    runs: 5,
    warmup: 0,
    measure: ["wall"],
    store: join(dir, "store"),
  });
  setDisplayHost(undefined);
  const v = exp.verdict();
  assert.equal(v.kind, "improved", v.text);
  assert.ok(v.ratio > 0.4 && v.ratio < 0.65, v.text);
  assert.deepEqual(exp.times("fast").length, 5);
  assert.equal(exp.record.variants["slow"]!.command.args[0], "0.2");
  assert.equal(exp.record.variants["fast"]!.build, undefined, "prebuilt: nothing was built");
  // Progress: one display, then updates of it, ending with "complete".
  assert.ok(shown.length >= 10);
  assert.equal(shown[0]!.update, false);
  assert.ok(shown.slice(1).every((s) => s.update && s.id === shown[0]!.id));
  assert.match(shown.find((s) => s.text.includes("run 4 of 10"))!.text, /run 4 of 10 · slow · timed · about .* left/);
  assert.match(shown.at(-1)!.text, /complete/);
  // The verdict displays itself.
  const bundle = (v as unknown as Record<symbol, () => Record<string, string>>)[MIMEBUNDLE]!();
  assert.match(bundle["text/html"]!, /<b style="color: #1a7f37">improved<\/b>/);
});

test("experiment: bad specs give clear errors", async () => {
  await assert.rejects(experiment({ exe: "/bin/true", variants: { only: {} } }), /at least two variants/);
  await assert.rejects(experiment({ exe: "/bin/true", variants: { a: {}, b: {} }, measure: ["wall", "gpu" as "wall"] }), /unknown measure "gpu"/);
  await assert.rejects(experiment({ exe: "/bin/true", variants: { a: {}, b: {} }, runs: 1 }), /runs must be a whole number ≥ 2/);
  await assert.rejects(experiment({ variants: { a: { exe: "/nonexistent/x" }, b: {} }, store: join(dir, "s2"), measure: ["wall"] }), /the executable \/nonexistent\/x does not exist/);
});
