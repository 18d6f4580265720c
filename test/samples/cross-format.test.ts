import assert from "node:assert/strict";
import { test } from "node:test";
import { functionTotals } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { toPprof } from "../../src/samples/pprof/pprof.js";
import { openProfile } from "../../src/samples/registry.js";
import { toSpeedscope } from "../../src/samples/speedscope/speedscope.js";
import { fixture } from "../helpers/golden.js";

test("openProfile: the same function totals from perf script and from our folded, speedscope and pprof exports", async () => {
  const perf = await openProfile(fixture("perf-script", "clone-in-loop.before.perf.txt"));
  const want = functionTotals(perf);
  const exports: Record<string, Uint8Array> = {
    folded: Buffer.from(toFolded(perf, { pname: false }).join("\n") + "\n"),
    speedscope: Buffer.from(toSpeedscope(perf)),
    pprof: toPprof(perf),
  };
  for (const [format, bytes] of Object.entries(exports)) {
    const back = await openProfile(bytes);
    assert.equal(back.format, format, "sniffed from the content");
    assert.deepEqual(functionTotals(back), want, format);
  }
  assert.ok(want.find((f) => /to_string/.test(f.name))!.total > 0);
});
