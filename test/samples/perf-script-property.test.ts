import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { fixture } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";

const lines = readFileSync(fixture("perf-script", "fields-pid-tid-cpu.perf.txt"), "utf8").split("\n").slice(0, 300);

/** Line kinds perf script prints, with random values. */
const header = fc
  .record({
    comm: fc.string({ minLength: 1, maxLength: 20 }),
    pid: fc.integer({ min: -1, max: 1 << 22 }),
    tid: fc.option(fc.nat(1 << 22)),
    cpu: fc.option(fc.nat(512)),
    time: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true })),
    period: fc.option(fc.oneof(fc.nat(), fc.constant(2 ** 60), fc.constant("9".repeat(400)))),
    event: fc.option(fc.constantFrom("cpu-clock:", "cpu-clock:u:", "task-clock:", "sched:sched_switch:", "cycles:")),
  })
  .map((h) =>
    [h.comm, h.tid === null ? h.pid : `${h.pid}/${h.tid}`, h.cpu === null ? "" : `[${h.cpu}]`, h.time === null ? "" : `${h.time.toFixed(6)}:`, h.period ?? "", h.event ?? ""].join(" "),
  );
const frame = fc
  .record({ addr: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), sym: fc.string({ maxLength: 40 }), off: fc.nat(), dso: fc.constantFrom("(/bin/x)", "(inlined)", "([kernel.kallsyms])", "([unknown])", "(/a (deleted))", "", "(") })
  .map((f) => `\t${f.addr.toString(16).padStart(16)} ${f.sym}+0x${f.off.toString(16)} ${f.dso}`);
const srcline = fc.tuple(fc.string({ maxLength: 20 }), fc.nat()).map(([f, n]) => `  ${f}:${n}`);
const generated = fc.array(fc.oneof(header, frame, frame, frame, srcline, fc.constant(""), fc.string({ maxLength: 30 })), { maxLength: 40 }).map((ls) => ls.join("\n"));
const mutated = fc
  .record({ from: fc.nat(lines.length - 1), n: fc.integer({ min: 1, max: 60 }), at: fc.nat(), insert: fc.string({ maxLength: 8 }), cut: fc.nat() })
  .map(({ from, n, at, insert, cut }) => {
    const text = lines.slice(from, from + n).join("\n") + "\n";
    const i = at % (text.length + 1);
    return (text.slice(0, i) + insert + text.slice(i)).slice(0, text.length - (cut % 4 === 0 ? cut % text.length : 0));
  });
const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));


test("perfScript.read: 12k generated, mutated and random inputs give a valid profile or a FormatError naming a line", async () => {
  let valid = 0;
  let errors = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof(generated, mutated, bytes), async (input) => {
      try {
        assertValid(await parseInput(perfScript.parser(), input), { emptyStacks: true });
        valid++;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        assert.ok(e.line >= 1 && /^flamebook: perf-script line \d+: expected /.test(e.message), e.message);
        errors++;
      }
    }),
    { numRuns: 12_000, seed: 20261125 },
  );
  assert.ok(valid > 1000 && errors > 1000, `both outcomes happen: ${valid} valid, ${errors} errors`);
});
