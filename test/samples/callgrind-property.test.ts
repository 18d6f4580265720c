import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { functionTotals, totalWeight } from "../../src/fold/function-totals.js";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { lineFeeder } from "../../src/samples/read-lines.js";
import { fixture } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";
import { COMPRESSED, PLAIN, scan } from "../helpers/callgrind.js";

// ---- property tests: any input gives a valid profile or a FormatError, never a crash or a hang

/** Parses synchronously; returns the profile, or null for a FormatError; anything else throws. */
function parseOrFormatError(input: string | Uint8Array): Profile | null {
  try {
    const feed = lineFeeder(callgrind.parser());
    feed.write(input);
    return feed.end();
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

const outcomes = { profiles: 0, errors: 0 };
const holds = (input: string | Uint8Array) => {
  const p = parseOrFormatError(input);
  if (p !== null) {
    assertValid(p);
    outcomes.profiles++;
  } else outcomes.errors++;
};

const num = fc.oneof(fc.nat({ max: 50 }), fc.nat(), fc.constantFrom(0, 1, 2 ** 53, 2 ** 53 - 1));
const subposition = fc.oneof(
  num.map(String),
  num.map((n) => `+${n}`),
  num.map((n) => `-${n}`),
  num.map((n) => `0x${n.toString(16)}`),
  fc.constantFrom("*", "+", "-", "0x", "x1", "1.5", "99999999999999999999"),
);
const fnName = fc.oneof(fc.constantFrom("main", "f", "g", "(below main)", "a::b<T>", "", " "), fc.string({ maxLength: 6 }));
const posName = fc.oneof(
  fnName,
  fc.tuple(fc.nat({ max: 5 }), fc.option(fnName, { nil: undefined })).map(([id, n]) => (n === undefined ? `(${id})` : `(${id}) ${n}`)),
);
const costLine = fc.tuple(fc.array(subposition, { minLength: 1, maxLength: 3 }), fc.array(num, { maxLength: 4 })).map(([p, c]) => [...p, ...c].join(" "));
const anyLine = fc.oneof(
  { arbitrary: costLine, weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom("ob", "fl", "fi", "fe", "fn", "cob", "cfi", "cfl", "cfn", "jfi", "jfn"), posName).map(([k, v]) => `${k}=${v}`), weight: 4 },
  { arbitrary: fc.tuple(num, fc.array(subposition, { maxLength: 3 })).map(([n, p]) => `calls=${n} ${p.join(" ")}`), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      "events: Ir",
      "events: Ir Dr Dw",
      "events:",
      "positions: line",
      "positions: instr line",
      "positions: instr",
      "# callgrind format",
      "",
      "totals: 5",
      "summary: 3 1",
      "thread: 2",
      "part: 2",
      "version: 1",
      "cmd: ./x a b",
      "pid: 12",
      "desc: I1 cache:",
      "jump=1 +2",
      "jcnd=1 2 3",
      "foo: bar",
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: "binary", maxLength: 20 }), weight: 1 },
);

test("callgrind.read: property — random lines of every kind give a valid profile or a FormatError", () => {
  outcomes.profiles = outcomes.errors = 0;
  fc.assert(
    fc.property(fc.array(anyLine, { maxLength: 25 }), fc.constantFrom("\n", "\r\n"), fc.constantFrom("", "events: Ir Dr\nfn=main\n"), (lines, nl, head) =>
      holds(head + lines.join(nl)),
    ),
    { numRuns: 10_000, seed: 11 },
  );
  assert.ok(outcomes.profiles >= 500, `only ${outcomes.profiles} of ${outcomes.profiles + outcomes.errors} inputs gave a profile`);
});

/** Well-formed call graphs (recursion, cycles, diamonds, shared callees, zero costs): always a valid profile. */
const graphFile = fc
  .record({
    events: fc.constantFrom(["Ir"], ["Ir", "Dr"], ["Ir", "Dr", "Dw", "D1mr"]),
    fns: fc.array(
      fc.record({
        self: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.array(fc.nat({ max: 1000 }), { maxLength: 4 })), { maxLength: 3 }),
        calls: fc.array(fc.record({ to: fc.nat({ max: 11 }), count: fc.nat({ max: 5 }), costs: fc.array(fc.nat({ max: 5000 }), { maxLength: 4 }) }), { maxLength: 4 }),
        ob: fc.constantFrom("(1) /bin/app", "(1)", "(2) /lib/libc.so", "(2)"),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    maxDepth: fc.constantFrom(undefined, 3, 256),
  })
  .map(({ events, fns, maxDepth }) => {
    const out = [`events: ${events.join(" ")}`];
    // ob ids must be defined before they are used
    out.push("ob=(2) /lib/libc.so", "ob=(1) /bin/app");
    fns.forEach((f, i) => {
      out.push(`ob=${f.ob}`, `fn=f${i}`);
      for (const [line, costs] of f.self) out.push([line, ...costs.slice(0, events.length)].join(" "));
      for (const c of f.calls) out.push(`cfn=f${c.to % fns.length}`, `calls=${c.count} 0`, ["*", ...c.costs.slice(0, events.length)].join(" "));
    });
    return { text: out.join("\n") + "\n", maxDepth };
  });

test("callgrind.read: property — well-formed call graphs give valid profiles with exact self costs", () => {
  fc.assert(
    fc.property(graphFile, ({ text, maxDepth }) => {
      const feed = lineFeeder(callgrind.parser({ maxDepth }));
      feed.write(text);
      const p = feed.end();
      assertValid(p);
      for (let e = 0; e < p.events.length; e++) {
        const want = scan(text, e);
        let all = 0;
        for (const v of want.self.values()) all += v;
        assert.equal(totalWeight(p, e), all);
        const got = new Map(functionTotals(p, { event: e }).map((f) => [f.name, f.self]));
        for (const [fn, self] of want.self) assert.equal(got.get(fn) ?? 0, self, fn);
      }
    }),
    { numRuns: 5000, seed: 12 },
  );
});

test("callgrind.read: property — mutated fixtures (cut, bytes inserted, lines swapped or dropped) give a valid profile or a FormatError", () => {
  const sources = [readFileSync(fixture("valgrind", "clone-in-loop.instr.callgrind"), "utf8").split("\n").slice(0, 200), COMPRESSED.split("\n"), PLAIN.split("\n")];
  const mutation = fc.record({
    source: fc.nat({ max: sources.length - 1 }),
    ops: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
        fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 6 }) }),
        fc.record({ op: fc.constant("swap" as const), at: fc.nat(), to: fc.nat() }),
        fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
        fc.record({ op: fc.constant("dup" as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  });
  fc.assert(
    fc.property(mutation, ({ source, ops }) => {
      let lines = [...sources[source]!];
      let text: string | null = null;
      for (const o of ops) {
        const i = lines.length > 0 ? o.at % lines.length : 0;
        if (o.op === "swap" && lines.length > 0) [lines[i], lines[o.to % lines.length]] = [lines[o.to % lines.length]!, lines[i]!];
        else if (o.op === "drop") lines.splice(i, 1);
        else if (o.op === "dup") lines.splice(i, 0, lines[i] ?? "");
        else if (o.op === "insert") {
          const line = lines[i] ?? "";
          const at = o.at % (line.length + 1);
          lines[i] = line.slice(0, at) + o.text + line.slice(at);
        } else if (o.op === "cut") {
          const all = lines.join("\n");
          text = all.slice(0, o.at % (all.length + 1));
          lines = text.split("\n");
        }
      }
      holds(lines.join("\n"));
    }),
    { numRuns: 5000, seed: 13 },
  );
});

test("callgrind.read: property — random strings and bytes give a valid profile or a FormatError", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), (input) => holds(input)),
    { numRuns: 5000, seed: 14 },
  );
});
