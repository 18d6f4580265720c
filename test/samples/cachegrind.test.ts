import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { functionTotals, totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { cachegrind } from "../../src/samples/callgrind/cachegrind.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { lineFeeder, parseInput } from "../../src/samples/read-lines.js";
import { fixture, matchesGolden } from "../helpers/golden.js";

const NAME = "clone-in-loop.before.cachegrind";
const read = () => parseInput(cachegrind.parser(), { path: fixture("valgrind", NAME) });
const fromText = (text: string, opts = {}) => parseInput(cachegrind.parser(opts), text);
const EVENTS = ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"];

/** The `summary:` line of a cachegrind file, by event. */
function summary(text: string): number[] {
  return /^summary:\s*(.*)$/m.exec(text)![1]!.trim().split(/\s+/).map(Number);
}

/** Per function name, the figures `cg_annotate` prints for one event (null when it is not installed). */
function cgAnnotate(path: string, event: string): Map<string, number> | null {
  const r = spawnSync("cg_annotate", [`--show=${event}`, `--sort=${event}`, "--threshold=0", "--show-percs=no", "--auto=no", path], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  const out = new Map<string, number>();
  for (const line of r.stdout.split("\n")) {
    const m = /^\s*([\d,]+)\s+(\S.*)$/.exec(line);
    if (!m || m[2] === "PROGRAM TOTALS") continue;
    const fn = m[2]!.slice(m[2]!.indexOf(":") + 1);
    out.set(fn, (out.get(fn) ?? 0) + Number(m[1]!.replace(/,/g, "")));
  }
  return out;
}

test(`cachegrind.read: ${NAME} matches its golden folded stacks and summary`, async () => {
  const p = await read();
  matchesGolden("cachegrind/clone-in-loop.before.folded", toFolded(p, { event: "Ir", pname: false }).join("\n") + "\n");
  const totals = p.events.map((e, i) => `${e}=${totalWeight(p, i)}`);
  const describe = [
    `events: ${p.events.join(" ")}`,
    `unit: ${p.unit}`,
    `totals: ${totals.join(" ")}`,
    `threads: ${p.threads.map((t) => `${JSON.stringify(t.comm)} pid=${t.pid} tid=${t.tid}`).join("; ")}`,
    `frames: ${p.frames.name.length} (with file ${p.frames.file.filter((f) => f !== null).length})`,
    `stacks: ${p.stacks.frame.length}`,
    `sample rows: ${p.samples.stack.length}`,
    `warnings: ${JSON.stringify(p.warnings)}`,
    "",
  ].join("\n");
  matchesGolden("cachegrind/clone-in-loop.before.summary.txt", describe);
});

test("cachegrind.read: the table answer — per-function cache misses, totals equal to summary:, the hottest function is ours or libc's", async () => {
  const p = await read();
  const text = readFileSync(fixture("valgrind", NAME), "utf8");
  assert.deepEqual(p.events, EVENTS);
  assert.equal(p.unit, "events");
  const want = summary(text);
  for (let e = 0; e < p.events.length; e++) assert.equal(totalWeight(p, e), want[e], `${p.events[e]} total`);
  // every function is a one-frame stack
  assert.ok([...p.stacks.parent].every((s) => s === -1));
  // D1mr per function exists, and the worst is a real function
  const d1mr = functionTotals(p, { event: p.events.indexOf("D1mr") });
  assert.ok(d1mr.length > 20 && d1mr[0]!.self > 0);
  assert.ok(d1mr.some((f) => f.name === "wordfreq::process::process" && f.self > 0));
  // the hottest function by Ir comes from our binary (Rust std or our crate) or from glibc
  const top = functionTotals(p, { event: 0 })[0]!;
  const file = p.frames.file[p.frames.name.indexOf(top.name)]!;
  assert.match(file, /^\/rustc\/|clone-in-loop\/src\/|^\.\/(malloc|string|stdlib|elf)\//, `${top.name} in ${file}`);
  assert.equal(p.threads[0]!.comm, "wordfreq-before");
});

test("cachegrind.read: every function's cost agrees with cg_annotate, for every event", async (t) => {
  const p = await read();
  for (const event of EVENTS) {
    const want = cgAnnotate(fixture("valgrind", NAME), event);
    if (want === null) {
      assert.ok(!process.env.CI, "cg_annotate (Debian package valgrind) must be installed in CI");
      return t.skip("cg_annotate is not installed (Debian package valgrind)");
    }
    const got: Map<string, number> = new Map(functionTotals(p, { event: p.events.indexOf(event) }).map((f) => [f.name, f.self] as const));
    for (const [fn, n] of want) assert.equal(got.get(fn) ?? 0, n, `${event} of ${fn}`);
  }
});

test("cachegrind.read: functions split over several files (inlined code) are one frame; missing trailing costs are 0", async () => {
  const text = ["desc: I1 cache: x", "cmd: /bin/app 1", "events: Ir Dr", "fl=a.rs", "fn=main", "3 5 1", "4 2", "fl=inline.rs", "fn=main", "9 1 1", "fn=helper", "10 7", "summary: 15 2"].join("\n");
  const p = await fromText(text);
  assert.deepEqual(toFolded(p, { pname: false }), ["helper 7", "main 8"]);
  assert.deepEqual(toFolded(p, { event: "Dr", pname: false }), ["main 2"]);
  const frames = p.frames.name.map((n, i) => `${n} ${p.frames.file[i]}:${p.frames.line[i]}`);
  assert.deepEqual(frames, ["main a.rs:3", "helper inline.rs:10"]);
  assert.deepEqual(p.threads, [{ comm: "app", pid: -1, tid: -1 }]);
  const ir = await fromText("cmd: x\nevents: Ir\nfl=a.c\nfn=f::h0123456789abcdef\n1 4\nsummary: 4\n", { cleanNames: true });
  assert.equal(ir.unit, "instructions");
  assert.deepEqual(ir.frames.name, ["f"]);
  const none = await fromText("cmd: x\nevents: Ir\nsummary: 0\n");
  assert.equal(none.samples.stack.length, 0);
  assert.match(none.warnings.join(), /no cost lines/);
});

async function formatError(text: string): Promise<FormatError> {
  try {
    await fromText(text);
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected a FormatError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a FormatError, got a profile");
}

test("cachegrind.read: empty, truncated and malformed files give a FormatError naming the line", async () => {
  const lines = readFileSync(fixture("valgrind", NAME), "utf8").split("\n");
  const cases: [string, number, RegExp][] = [
    ["", 1, /expected a cachegrind profile/],
    ["\n\n", 1, /expected a cachegrind profile/],
    ["hello world\n", 1, /expected a cachegrind line/],
    ["\x7fELF\x02\x01\n", 1, /\\x7fELF/],
    [lines.slice(0, 500).join("\n") + "\n", 501, /expected a final 'summary:' line.*looks incomplete/s],
    [lines.slice(0, 500).join("\n"), 500, /expected a final 'summary:' line/],
    ["cmd: x\nevents: Ir\nfl=a\nfn=f\n1 2\nsummary: 3\n", 6, /expected a 'summary:' equal to the sum of the cost lines \(Ir 2\), got 'Ir 3'/],
    ["cmd: x\nevents: Ir\nfl=a\nfn=f\n1 x\nsummary: 3\n", 5, /whole-number costs/],
    ["cmd: x\nevents: Ir\nfl=a\nfn=f\n1 2 3\n", 5, /at most 1 cost/],
    ["cmd: x\nevents: Ir\nfl=a\n1 2\n", 4, /an 'fn=' line before cost lines/],
    ["cmd: x\nfl=a\nfn=f\n", 3, /an 'events:' line/],
    ["cmd: x\nevents: Ir\nfl=a\nfn=f\n+1 2\n", 5, /expected a cachegrind line/],
    ["cmd: x\nevents: Ir\nsummary: 0\nfn=g\n", 4, /nothing after the final 'summary:' line \(line 3\)/],
    ["cmd: x\nevents: Ir\nsummary: 1 2\n", 3, /at most 1 cost/],
    ["cmd: x\nevents: Ir Ir\n", 2, /distinct event names/],
    ["cmd: x\nevents: Ir\nfl=a\nfn=\n", 4, /a function name/],
    [readFileSync(fixture("valgrind", "clone-in-loop.before.callgrind"), "utf8"), 2, /expected a cachegrind line/],
  ];
  for (const [text, line, match] of cases) {
    const e = await formatError(text);
    assert.equal(e.line, line, `${JSON.stringify(text.slice(0, 60))}: ${e.message}`);
    assert.match(e.message, match, e.message);
    assert.match(e.message, /^flamebook: cachegrind line \d+: expected /);
  }
});

test("cachegrind.sniff: recognises cachegrind output and not callgrind's", () => {
  const head = (name: string) => readFileSync(fixture("valgrind", name), "utf8").slice(0, 4096);
  assert.equal(cachegrind.sniff(head(NAME)), true);
  assert.equal(callgrind.sniff(head(NAME)), false);
  assert.equal(cachegrind.sniff(head("clone-in-loop.nocompress.callgrind")), false);
  assert.equal(cachegrind.sniff("main;work 3\n"), false);
});

// ---- property tests: any input gives a valid profile or a FormatError, never a crash or a hang

const outcomes = { profiles: 0, errors: 0 };
function holds(input: string | Uint8Array): void {
  let p: Profile;
  try {
    const feed = lineFeeder(cachegrind.parser());
    feed.write(input);
    p = feed.end();
  } catch (e) {
    if (e instanceof FormatError) {
      outcomes.errors++;
      return;
    }
    throw e;
  }
  outcomes.profiles++;
  const nStacks = p.stacks.frame.length;
  for (let s = 0; s < nStacks; s++) assert.ok(p.stacks.parent[s]! < s && p.stacks.frame[s]! < p.frames.name.length);
  for (let i = 0; i < p.samples.stack.length; i++) {
    const w = p.samples.weight[i]!;
    assert.ok(Number.isFinite(w) && w >= 0, `weight ${w}`);
    assert.ok(p.samples.stack[i]! >= 0 && p.samples.stack[i]! < nStacks && p.samples.event[i]! < p.events.length);
  }
}

const num = fc.oneof(fc.nat({ max: 50 }), fc.nat(), fc.constantFrom(0, 2 ** 53, 2 ** 53 - 1));
const field = fc.oneof(num.map(String), fc.constantFrom("x", "-1", "+1", "1.5", "0x10", "99999999999999999999"));
const line = fc.oneof(
  { arbitrary: fc.array(num, { minLength: 1, maxLength: 5 }).map((c) => c.join(" ")), weight: 4 },
  { arbitrary: fc.array(field, { minLength: 1, maxLength: 4 }).map((c) => c.join(" ")), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom("fl=", "fn="), fc.oneof(fc.constantFrom("main", "a.c", "???", ""), fc.string({ maxLength: 6 }))).map(([k, v]) => k + v), weight: 3 },
  { arbitrary: fc.array(num, { maxLength: 4 }).map((c) => `summary: ${c.join(" ")}`), weight: 1 },
  { arbitrary: fc.constantFrom("events: Ir", "events: Ir D1mr", "events:", "cmd: ./x 1", "desc: D1 cache: 1", "", "# c", "summary:"), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 20 }), weight: 1 },
);

test("cachegrind.read: property — random lines of every kind give a valid profile or a FormatError", () => {
  outcomes.profiles = outcomes.errors = 0;
  fc.assert(
    fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom("", "cmd: x\nevents: Ir Dr\nfl=a.c\nfn=main\n"), (lines, head) => holds(head + lines.join("\n"))),
    { numRuns: 6000, seed: 21 },
  );
  // a profile needs a summary: equal to the sum of the cost lines, which random lines rarely have;
  // the well-formed property below covers the success path
  assert.ok(outcomes.profiles >= 5, `only ${outcomes.profiles} of ${outcomes.profiles + outcomes.errors} inputs gave a profile`);
});

test("cachegrind.read: property — well-formed files give the summary as totals", () => {
  const file = fc.array(fc.tuple(fc.constantFrom("a.c", "b.rs", "???"), fc.constantFrom("f", "g", "main"), fc.array(fc.array(fc.nat({ max: 100 }), { maxLength: 3 }), { maxLength: 3 })), {
    maxLength: 6,
  });
  fc.assert(
    fc.property(file, (blocks) => {
      const sums = [0, 0, 0];
      const out = ["cmd: ./app", "events: Ir D1mr DLmr"];
      for (const [fl, fn, costs] of blocks) {
        out.push(`fl=${fl}`, `fn=${fn}`);
        costs.forEach((c, i) => {
          out.push([i + 1, ...c].join(" "));
          c.forEach((v, e) => (sums[e]! += v));
        });
      }
      out.push(`summary: ${sums.join(" ")}`);
      const feed = lineFeeder(cachegrind.parser());
      feed.write(out.join("\n") + "\n");
      const p = feed.end();
      for (let e = 0; e < 3; e++) assert.equal(totalWeight(p, e), sums[e]);
    }),
    { numRuns: 2000, seed: 22 },
  );
});

test("cachegrind.read: property — mutated fixture lines and random bytes give a valid profile or a FormatError", () => {
  const source = readFileSync(fixture("valgrind", NAME), "utf8").split("\n").slice(0, 200);
  const op = fc.oneof(
    fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
    fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 6 }) }),
    fc.record({ op: fc.constant("swap" as const), at: fc.nat(), to: fc.nat() }),
    fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 4 }), (ops) => {
      let lines = [...source];
      for (const o of ops) {
        const i = lines.length > 0 ? o.at % lines.length : 0;
        if (o.op === "swap" && lines.length > 0) [lines[i], lines[o.to % lines.length]] = [lines[o.to % lines.length]!, lines[i]!];
        else if (o.op === "drop") lines.splice(i, 1);
        else if (o.op === "insert") lines[i] = (lines[i] ?? "").slice(0, o.at % 8) + o.text + (lines[i] ?? "").slice(o.at % 8);
        else if (o.op === "cut") {
          const all = lines.join("\n");
          lines = all.slice(0, o.at % (all.length + 1)).split("\n");
        }
      }
      holds(lines.join("\n"));
    }),
    { numRuns: 3000, seed: 23 },
  );
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), (input) => holds(input)),
    { numRuns: 3000, seed: 24 },
  );
});
