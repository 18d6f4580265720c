import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { functionTotals, stackShare, stackWeights, totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { callgrind } from "../../src/samples/callgrind.js";
import { cachegrind } from "../../src/samples/cachegrind.js";
import { lineFeeder, parseInput } from "../../src/samples/read-lines.js";
import { fixture, matchesGolden } from "../helpers/golden.js";

const read = (name: string) => parseInput(callgrind.parser(), { path: fixture("valgrind", name) });
const fromText = (text: string, opts = {}) => parseInput(callgrind.parser(opts), text);
const fixtures = readdirSync(fixture("valgrind")).filter((f) => f.endsWith(".callgrind")).sort();

/** A stable text summary of a profile, for golden files. */
function describe(p: Profile): string {
  const totals = p.events.map((e, i) => `${e}=${totalWeight(p, i)}`);
  const threads = p.threads.map((t) => `${JSON.stringify(t.comm)} pid=${t.pid} tid=${t.tid}`);
  const withFile = p.frames.file.filter((f) => f !== null).length;
  const kinds = new Map<string, number>();
  p.frames.kind.forEach((k) => kinds.set(k, (kinds.get(k) ?? 0) + 1));
  return [
    `events: ${p.events.join(" ")}`,
    `unit: ${p.unit}`,
    `totals: ${totals.join(" ")}`,
    `threads: ${threads.join("; ")}`,
    `frames: ${p.frames.name.length} (with file ${withFile}, modules ${new Set(p.frames.module).size})`,
    `kinds: ${[...kinds].sort().map(([k, n]) => `${k}=${n}`).join(" ")}`,
    `stacks: ${p.stacks.frame.length}`,
    `sample rows: ${p.samples.stack.length}`,
    `warnings: ${JSON.stringify(p.warnings)}`,
    "",
  ].join("\n");
}

/**
 * An independent, deliberately simple reading of a callgrind file: per function name, the sum
 * of its non-call cost lines (self) and of the calls into it (callgrind's inclusive cost), for
 * one event column, and its self plus calls (content). Positions are skipped by count; names
 * are uncompressed by id. `recursive` holds names that call themselves or name functions in
 * several objects (which may nest).
 */
function scan(
  text: string,
  event: number,
): { self: Map<string, number>; inclusive: Map<string, number>; content: Map<string, number>; totals: number[]; recursive: Set<string> } {
  const ids = new Map<string, string>();
  const name = (ns: string, v: string) => {
    const m = /^\((\d+)\)\s*(.*)$/.exec(v);
    if (!m) return v;
    if (m[2]) ids.set(`${ns}${m[1]}`, m[2]);
    return ids.get(`${ns}${m[1]}`)!;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const content = new Map<string, number>();
  const recursive = new Set<string>();
  const objects = new Map<string, Set<string>>();
  let ob = "";
  let positions = 1;
  let totals: number[] = [];
  let fn = "";
  let cfn = "";
  let inCall = false;
  for (const line of text.split("\n")) {
    if (/^[0-9+*-]/.test(line)) {
      const cost = Number(line.trim().split(/\s+/)[positions + event] ?? 0);
      content.set(fn, (content.get(fn) ?? 0) + cost);
      if (inCall) {
        inclusive.set(cfn, (inclusive.get(cfn) ?? 0) + cost);
        if (cfn === fn) recursive.add(fn);
      } else self.set(fn, (self.get(fn) ?? 0) + cost);
      inCall = false;
      continue;
    }
    const [, key, value] = /^(\w+)[=:]\s*(.*)$/.exec(line) ?? [];
    if (key === "positions") positions = value!.split(/\s+/).length;
    else if (key === "totals") totals = value!.split(/\s+/).map(Number);
    else if (key === "fn") {
      fn = name("fn", value!);
      objects.set(fn, (objects.get(fn) ?? new Set()).add(ob));
      if (objects.get(fn)!.size > 1) recursive.add(fn); // one name, several functions: may nest
    }
    else if (key === "cfn") cfn = name("fn", value!);
    else if (key === "calls") inCall = true;
    else if (key === "ob") ob = name("ob", value!);
    else if (key === "cob") name("ob", value!);
    else if (key === "fl" || key === "fi" || key === "fe" || key === "cfi" || key === "cfl") name("fl", value!);
  }
  return { self, inclusive, content, totals, recursive };
}

/** Per function name, the summed figures of `callgrind_annotate` (null when it is not installed). */
function annotate(path: string, inclusive: boolean, event: string): Map<string, number> | null {
  const r = spawnSync("callgrind_annotate", [`--inclusive=${inclusive ? "yes" : "no"}`, "--threshold=100", "--auto=no", `--show=${event}`, path], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  const out = new Map<string, number>();
  for (const line of r.stdout.split("\n")) {
    const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!m || m[2] === "PROGRAM TOTALS") continue;
    const key = m[2]!.replace(/ \[[^\]]*\]$/, "");
    const fn = key.slice(key.indexOf(":") + 1);
    const n = Number(m[1]!.replace(/,/g, ""));
    // self: a function's cost is split over the files of its inlined code (fi=/fe=), so add the
    // parts up; inclusive: callers' calls are filed under the callee's key, which is the largest
    out.set(fn, inclusive ? Math.max(out.get(fn) ?? 0, n) : (out.get(fn) ?? 0) + n);
  }
  return out;
}

/** Number of distinct stacks with a frame named `name` on them (rounding error bound: < 1 each). */
function stacksUnder(p: Profile, name: string): number {
  const { parent, frame } = p.stacks;
  const under = new Uint8Array(parent.length);
  let n = 0;
  for (let s = 0; s < parent.length; s++) {
    under[s] = p.frames.name[frame[s]!] === name || (parent[s]! >= 0 && under[parent[s]!] === 1) ? 1 : 0;
    n += under[s]!;
  }
  return n;
}

for (const name of fixtures) {
  test(`callgrind.read: ${name} matches its golden folded stacks and summary`, async () => {
    const p = await read(name);
    const base = name.replace(/\.callgrind$/, "");
    // the nocompress run folds exactly like `before` (asserted below): no second 300 KB golden
    if (base !== "clone-in-loop.nocompress") matchesGolden(`callgrind/${base}.folded`, toFolded(p, { event: "Ir", pname: false }).join("\n") + "\n");
    matchesGolden(`callgrind/${base}.summary.txt`, describe(p));
  });

  test(`callgrind.read: ${name}: every event adds up to 'totals:' and every function's self cost is exact`, async () => {
    const p = await read(name);
    const text = readFileSync(fixture("valgrind", name), "utf8");
    for (let e = 0; e < p.events.length; e++) {
      const want = scan(text, e);
      assert.equal(totalWeight(p, e), want.totals[e], `${p.events[e]} total`);
      const got = new Map(functionTotals(p, { event: e }).map((f) => [f.name, f.self]));
      for (const [fn, self] of want.self) assert.equal(got.get(fn) ?? 0, self, `${p.events[e]} self of ${fn}`);
    }
  });

  test(`callgrind.read: ${name}: inclusive Ir of functions that are not recursive equals the calls into them, up to rounding`, async () => {
    const p = await read(name);
    const want = scan(readFileSync(fixture("valgrind", name), "utf8"), 0);
    assert.deepEqual(p.warnings, [], "no recursion or cut in our fixtures");
    let checked = 0;
    let inconsistent = 0;
    for (const f of functionTotals(p, { event: 0 })) {
      const inc = want.inclusive.get(f.name);
      if (inc === undefined || want.recursive.has(f.name)) continue;
      // callgrind's own figures disagree for a few functions (e.g. `_Exit`, which never returns:
      // the calls into it cost more than it and its callees); stacks cannot match both
      if (want.content.get(f.name) !== inc) {
        inconsistent++;
        continue;
      }
      const bound = stacksUnder(p, f.name);
      assert.ok(Math.abs(f.total - inc) < Math.max(1, bound), `${f.name}: ${f.total} vs callgrind ${inc} (bound ${bound})`);
      checked++;
    }
    assert.ok(checked > 100 && inconsistent <= 3, `checked ${checked} functions, ${inconsistent} inconsistent in callgrind's data`);
  });
}

test("callgrind.read: self and inclusive Ir agree with callgrind_annotate", async (t) => {
  const path = fixture("valgrind", "clone-in-loop.before.callgrind");
  const self = annotate(path, false, "Ir");
  const inclusive = annotate(path, true, "Ir");
  if (self === null || inclusive === null) {
      assert.ok(!process.env.CI, "callgrind_annotate (Debian package valgrind) must be installed in CI");
      return t.skip("callgrind_annotate is not installed (Debian package valgrind)");
    }
  const p = await read("clone-in-loop.before.callgrind");
  const ours = new Map(functionTotals(p, { event: 0 }).map((f) => [f.name, f]));
  // self: exact for every function callgrind_annotate lists
  for (const [fn, ir] of self) assert.equal(ours.get(fn)?.self ?? 0, ir, `self Ir of ${fn}`);
  // inclusive: single call sites, not recursive -> exact up to rounding; shared callees within 0.01%
  for (const fn of ["wordfreq::main", "wordfreq::process::process", "std::rt::lang_start_internal", "<u64>::_fmt", "malloc", "free", "alloc::fmt::format::format_inner"]) {
    const want = inclusive.get(fn)!;
    const got = ours.get(fn)!.total;
    assert.ok(Math.abs(got - want) <= Math.max(1, stacksUnder(p, fn)), `${fn}: ${got} vs callgrind_annotate ${want}`);
    assert.ok(Math.abs(got - want) / want < 1e-4, `${fn}: ${got} vs callgrind_annotate ${want}`);
  }
});

test("callgrind.read: the multi-event fixture agrees with callgrind_annotate for the cache-miss events too", async (t) => {
  const path = fixture("valgrind", "clone-in-loop.instr.callgrind");
  const p = await read("clone-in-loop.instr.callgrind");
  assert.deepEqual(p.events, ["Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"]);
  assert.equal(p.unit, "events");
  for (const event of ["Ir", "D1mr", "DLmw"]) {
    const self = annotate(path, false, event);
    if (self === null) {
      assert.ok(!process.env.CI, "callgrind_annotate (Debian package valgrind) must be installed in CI");
      return t.skip("callgrind_annotate is not installed (Debian package valgrind)");
    }
    const ours: Map<string, number> = new Map(functionTotals(p, { event: p.events.indexOf(event) }).map((f) => [f.name, f.self] as const));
    for (const [fn, n] of self) assert.equal(ours.get(fn) ?? 0, n, `${event} self of ${fn}`);
  }
});

test("callgrind.read: the seed's question — the hot loop allocates per record before the fix and not after", async () => {
  const before = await read("clone-in-loop.before.callgrind");
  const after = await read("clone-in-loop.after.callgrind");
  // to_string is inlined into process: callgrind (unlike perf's inlined frames) has no frame for it,
  // only its inlined file (alloc/src/string.rs, via fi=) inside wordfreq::process::process
  assert.equal(stackShare(before, /to_string/, { event: 0 }), 0);
  // what it costs: allocator calls made directly by the loop in process
  const allocInLoop = (p: Profile) => {
    const w = stackWeights(p, 0);
    const { parent, frame } = p.stacks;
    const hit = new Uint8Array(parent.length);
    let sum = 0;
    for (let s = 0; s < parent.length; s++) {
      const up = parent[s]!;
      const direct = up >= 0 && p.frames.name[frame[up]!] === "wordfreq::process::process" && /^__rustc::__rust_(alloc|dealloc)$/.test(p.frames.name[frame[s]!]!);
      hit[s] = direct || (up >= 0 && hit[up] === 1) ? 1 : 0;
      if (hit[s]) sum += w[s]!;
    }
    return sum / totalWeight(p, 0);
  };
  assert.ok(allocInLoop(before) >= 0.1, `before: ${allocInLoop(before)}`);
  assert.ok(allocInLoop(after) <= 0.01, `after: ${allocInLoop(after)}`);
  assert.ok(stackShare(before, /^wordfreq::process::process$/, { event: 0 }) >= 0.5);
});

test("callgrind.read: compressed and uncompressed files of the same run fold the same", async () => {
  const a = await read("clone-in-loop.before.callgrind");
  const b = await read("clone-in-loop.nocompress.callgrind");
  assert.deepEqual(toFolded(b, { pname: false }), toFolded(a, { pname: false }));
  const files = (p: Profile) => new Map(p.frames.name.map((n, i) => [`${n} ${p.frames.module[i]}`, `${p.frames.file[i]}:${p.frames.line[i]}`]));
  assert.deepEqual(files(b), files(a));
});

// ---- hand-made files: name and subposition compression

const COMPRESSED = `# callgrind format
version: 1
creator: hand
pid: 7
cmd: /bin/app --flag
positions: instr line
events: Ir Dr
summary: 143 18

ob=(1) /bin/app
fl=(1) main.c
fn=(1) main
0x10 30 2 1
+2 * 4
cob=(2) /lib/libc.so
cfi=(2) malloc.c
cfn=(2) malloc
calls=2 0x500 10
* +1 30 6
+4 -1 1
fi=(3) inline.h
+1 -10 5 1
fe=(1)
+1 +12 1
cfn=(3) work
calls=1 0x40 40
-3 * 100 10

fl=(1)
fn=(3)
0x40 40 60 8
+1 +1 10
cob=(2)
cfi=(2)
cfn=(2)
calls=1 -0x10 10
* * 30 2

ob=(2)
fl=(2)
fn=(2)
0x500 10 40 8
+1 +1 20

totals: 143 18
`;

const PLAIN = `# callgrind format
version: 1
creator: hand
pid: 7
cmd: /bin/app --flag
positions: instr line
events: Ir Dr
summary: 143 18

ob=/bin/app
fl=main.c
fn=main
0x10 30 2 1
0x12 30 4
cob=/lib/libc.so
cfi=malloc.c
cfn=malloc
calls=2 0x500 10
0x12 31 30 6
0x16 30 1
fi=inline.h
0x17 20 5 1
fe=main.c
0x18 32 1
cfn=work
calls=1 0x40 40
0x15 32 100 10
fn=work
0x40 40 60 8
0x41 41 10
cob=/lib/libc.so
cfi=malloc.c
cfn=malloc
calls=1 0x500 10
0x41 41 30 2
ob=/lib/libc.so
fl=malloc.c
fn=malloc
0x500 10 40 8
0x501 11 20
totals: 143 18
`;

test("callgrind.read: name compression and subposition compression give the same profile as plain names and positions", async () => {
  const c = await fromText(COMPRESSED);
  const p = await fromText(PLAIN);
  const ir = ["main 13", "main;malloc 30", "main;work 70", "main;work;malloc 30"];
  const dr = ["main 2", "main;malloc 6", "main;work 8", "main;work;malloc 2"];
  for (const prof of [c, p]) {
    assert.deepEqual(toFolded(prof, { event: "Ir", pname: false }), ir);
    assert.deepEqual(toFolded(prof, { event: "Dr", pname: false }), dr);
    // module, file and the smallest line of each function in its own file: the `calls=` target
    // (0x500 10) does not move the current position, and line 20 of inline.h (fi=) is not main.c's
    const frames = prof.frames.name.map((n, i) => `${n} ${prof.frames.module[i]} ${prof.frames.file[i]}:${prof.frames.line[i]}`).sort();
    assert.deepEqual(frames, ["main /bin/app main.c:30", "malloc /lib/libc.so malloc.c:10", "work /bin/app main.c:40"]);
    assert.deepEqual(prof.threads, [{ comm: "app", pid: 7, tid: -1 }]);
    assert.deepEqual(prof.events, ["Ir", "Dr"]);
    assert.equal(prof.unit, "events");
    assert.deepEqual(prof.warnings, []);
  }
  assert.deepEqual(toFolded(c), toFolded(p));
});

test("callgrind.read: cost lines may have fewer costs than events (the rest are 0), and positions may be hex", async () => {
  const p = await fromText("events: Ir Dr Dw\nfn=f\n0x1f 5\n0x20 1 2 3\n");
  assert.deepEqual(toFolded(p, { event: "Ir", pname: false }), ["f 6"]);
  assert.deepEqual(toFolded(p, { event: "Dr", pname: false }), ["f 2"]);
  assert.deepEqual(toFolded(p, { event: "Dw", pname: false }), ["f 3"]);
});

test("callgrind.read: a name in parentheses is a name, not a compressed id", async () => {
  const p = await fromText("events: Ir\nfn=(below main)\n0 1\ncfn=main\ncalls=1 0\n0 2\nfn=main\n0 2\n");
  assert.deepEqual(toFolded(p, { pname: false }), ["(below main) 1", "(below main);main 2"]);
  assert.equal(p.unit, "instructions");
});

test("callgrind.read: a function called from two sites is split by each site's inclusive cost", async () => {
  const text = [
    "events: Ir",
    "fn=main",
    "0 1",
    "cfn=a",
    "calls=1 0",
    "0 40",
    "cfn=b",
    "calls=1 0",
    "0 20",
    "fn=a",
    "0 10",
    "cfn=leaf",
    "calls=3 0",
    "0 30",
    "fn=b",
    "0 10",
    "cfn=leaf",
    "calls=1 0",
    "0 10",
    "fn=leaf",
    "0 40",
  ].join("\n");
  const p = await fromText(text);
  assert.deepEqual(toFolded(p, { pname: false }), ["main 1", "main;a 10", "main;a;leaf 30", "main;b 10", "main;b;leaf 10"]);
});

test("callgrind.read: recursion is folded into the outer call, with exact self costs and a warning", async () => {
  const text = [
    "events: Ir",
    "fn=main",
    "0 1",
    "cfn=even",
    "calls=1 0",
    "0 30",
    "fn=even",
    "0 10",
    "cfn=odd",
    "calls=2 0",
    "0 20",
    "fn=odd",
    "0 10",
    "cfn=even",
    "calls=1 0",
    "0 10",
    "cfn=odd",
    "calls=1 0",
    "0 3",
    "totals: 21",
  ].join("\n");
  const p = await fromText(text);
  assert.deepEqual(toFolded(p, { pname: false }), ["main 1", "main;even 10", "main;even;odd 10"]);
  assert.equal(totalWeight(p), 21);
  assert.equal(p.warnings.length, 1);
  assert.match(p.warnings[0]!, /recursion .*self costs are exact/);
});

test("callgrind.read: a cycle nobody calls becomes a root, and limits cut the tree with a warning", async () => {
  const cycle = await fromText("events: Ir\nfn=a\n0 5\ncfn=b\ncalls=1 0\n0 7\nfn=b\n0 7\ncfn=a\ncalls=1 0\n0 12\n");
  assert.equal(totalWeight(cycle), 12);
  // b is the heavier entry (its call into a carries the whole cycle): it becomes the root
  assert.deepEqual(toFolded(cycle, { pname: false }), ["b 7", "b;a 5"]);
  assert.ok(cycle.warnings.some((w) => /call cycles that no root of the call graph reaches/.test(w)), JSON.stringify(cycle.warnings));
  const deep = ["events: Ir", ...Array.from({ length: 10 }, (_, i) => `fn=f${i}\n0 1\ncfn=f${i + 1}\ncalls=1 0\n0 ${10 - i - 1}`), "fn=f10\n0 0"].join("\n");
  const cut = await fromText(deep, { maxDepth: 4 });
  assert.equal(totalWeight(cut), 10);
  assert.ok(cut.warnings.some((w) => /cut \(\d+ at depth 4\)/.test(w)), JSON.stringify(cut.warnings));
  assert.ok(toFolded(cut, { pname: false }).every((l) => l.split(";").length <= 4));
  const small = await fromText(deep, { maxNodes: 3 });
  assert.equal(totalWeight(small), 10);
  assert.ok(small.warnings.some((w) => /after 3 stacks/.test(w)), JSON.stringify(small.warnings));
});

test("callgrind.read: thread: and cmd: headers name the thread; cleanNames strips Rust hashes", async () => {
  const p = await fromText("cmd: ./target/profiling/app 1 2\npid: 99\nthread: 3\nevents: Ir\nfn=app::main::h0123456789abcdef\n0 4\n", { cleanNames: true });
  assert.deepEqual(p.threads, [{ comm: "app", pid: 99, tid: 3 }]);
  assert.deepEqual(p.frames.name, ["app::main"]);
});

test("callgrind.read: parts with thread: headers become threads; every part adds up to its totals:", async () => {
  const p = await fromText("events: Ir\npid: 5\nthread: 1\nfn=main\n0 5\ntotals: 5\npart: 2\nthread: 2\nfn=work\n0 3\ntotals: 3\n");
  assert.deepEqual(p.threads, [
    { comm: "", pid: 5, tid: 1 },
    { comm: "", pid: 5, tid: 2 },
  ]);
  assert.deepEqual(toFolded(p, { pname: false }), ["main 5", "work 3"]);
  const e = await formatError("events: Ir\nfn=main\n0 5\ntotals: 4\npart: 2\nfn=main\n0 1\n");
  assert.equal(e.line, 5, "the first part is checked where the second starts");
});

test("callgrind.read: jump lines and a header with events only are read", async () => {
  const p = await fromText("events: Ir\nfn=f\n0 1\njump=3 +2\n0\njcnd=2 5 -1\n0 1\njfi=(1) x.c\njfn=(1) g\n");
  assert.equal(totalWeight(p), 2);
  const empty = await fromText("# callgrind format\nevents: Ir\n");
  assert.equal(empty.samples.stack.length, 0);
  assert.match(empty.warnings.join(), /no cost lines/);
});

// ---- malformed input

async function formatError(text: string): Promise<FormatError> {
  try {
    await fromText(text);
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected a FormatError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a FormatError, got a profile");
}

test("callgrind.read: an empty file is not a profile: FormatError at line 1", async () => {
  for (const text of ["", "\n\n", "# callgrind format\n"]) {
    const e = await formatError(text);
    assert.equal(e.line, 1);
    assert.match(e.message, /expected a callgrind profile, with a header line 'events: Ir …'/);
  }
});

test("callgrind.read: a truncated file fails where it ends, saying it is incomplete", async () => {
  const lines = readFileSync(fixture("valgrind", "clone-in-loop.before.callgrind"), "utf8").split("\n");
  for (const keep of [40, 2000, lines.length - 4]) {
    const e = await formatError(lines.slice(0, keep).join("\n") + "\n");
    assert.equal(e.line, keep + 1);
    assert.match(e.message, /looks incomplete/);
  }
  // cut in the middle of a cost line: its last number is short
  const whole = lines.slice(0, 2000).join("\n");
  const cut = whole.slice(0, whole.lastIndexOf("\n") + 3);
  const e = await formatError(cut);
  assert.equal(e.line, 2000);
});

test("callgrind.read: malformed lines give a FormatError naming the line and what was expected", async () => {
  const cases: [string, number, RegExp][] = [
    ["hello world\n", 1, /expected a callgrind line/],
    ["\x7fELF\x02\x01\x01\n", 1, /expected a callgrind line.*\\x7fELF/],
    ["events: Ir\nfn=f\ncfn=g\ncalls=1 0\nfn=g\n0 1\n", 5, /expected the cost line of the 'calls=' on line 4/],
    ["events: Ir\nfn=f\ncfn=g\ncalls=1 0\n", 5, /expected the cost line of the 'calls=' on line 4.*got 'end of file'/],
    ["events: Ir\nfn=(3)\n0 1\n", 2, /no function has id 3 before this line/],
    ["events: Ir\nfl=(1)\n", 2, /no file has id 1/],
    ["events: Ir\ncob=(2)\n", 2, /no object has id 2/],
    ["events: Ir\nfn=f\n3 abc\n", 3, /whole-number costs/],
    ["events: Ir\nfn=f\n3 1.5\n", 3, /whole-number costs/],
    ["events: Ir\nfn=f\n3 1 2\n", 3, /at most 1 cost/],
    ["events: Ir\nfn=f\nx3 1\n", 3, /expected a callgrind line/],
    ["events: Ir\nfn=f\n+x 1\n", 3, /a position/],
    ["events: Ir\n0 1\n", 2, /an 'fn=' line before cost lines/],
    ["fn=f\n0 1\n", 1, /an 'events:' header line/],
    ["events: Ir\nfn=f\ncalls=1 0\n0 1\n", 3, /a 'cfn=' line before 'calls='/],
    ["events: Ir\nfn=f\ncfn=g\ncalls=x 0\n0 1\n", 4, /whole-number count/],
    ["events: Ir\nfn=f\ncfn=g\ncalls=1 0 0\n0 1\n", 4, /at most a position/],
    ["version: 2\nevents: Ir\n", 1, /version: 1/],
    ["positions: bb\nevents: Ir\n", 1, /positions: line/],
    ["events: Ir Ir\n", 1, /distinct event names/],
    ["events: Ir\nfn=f\n0 1\nevents: Dr\n", 4, /the same events in every part/],
    ["events: Ir\nfn=f\n0 1\ntotals: 2\n", 5, /add up to the 'totals:' line 4 \(Ir 2\)/],
    ["events: Ir\nsummary: 5\nfn=f\n0 1\n", 5, /add up to the 'summary:' line 2 \(Ir 5\)/],
    ["events: Ir\nfn=f\nxyz=1\n", 3, /expected a callgrind line: ob=/],
    ["events: Ir\nfn=f\n0 99999999999999999999\n", 3, /whole-number costs/],
    ["events: Ir\nfn=\n", 2, /a function name after 'fn='/],
    ["pid: abc\n", 1, /a whole number/],
  ];
  for (const [text, line, match] of cases) {
    const e = await formatError(text);
    assert.equal(e.line, line, `${JSON.stringify(text)}: ${e.message}`);
    assert.match(e.message, match, JSON.stringify(text));
    assert.match(e.message, /^flamebook: callgrind line \d+: expected /);
  }
});

test("callgrind.read: a file path names the file in the error", async () => {
  const e = await parseInput(callgrind.parser(), { path: fixture("valgrind", "README.md") }).catch((x: unknown) => x);
  assert.ok(e instanceof FormatError);
  assert.ok(e.message.includes("README.md: callgrind line 3: expected a callgrind line"), e.message);
});

test("callgrind.sniff: recognises callgrind output, not cachegrind or perf script", () => {
  const head = (name: string) => readFileSync(fixture("valgrind", name), "utf8").slice(0, 4096);
  for (const name of fixtures) assert.equal(callgrind.sniff(head(name)), true, name);
  assert.equal(callgrind.sniff(head("clone-in-loop.before.cachegrind")), false);
  assert.equal(cachegrind.sniff(head("clone-in-loop.before.callgrind")), false);
  assert.equal(callgrind.sniff(PLAIN.replace("# callgrind format\n", "")), true);
  assert.equal(callgrind.sniff("main;work 3\n"), false);
  assert.equal(callgrind.sniff("wordfreq 2206 1969.165950: 1003009 cpu-clock:\n\t 55d0 main+0x1f (/bin/x)\n"), false);
});

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

/** The invariants of every Profile. */
function assertValid(p: Profile): void {
  const nFrames = p.frames.name.length;
  const nStacks = p.stacks.frame.length;
  for (const col of [p.frames.module, p.frames.file, p.frames.line, p.frames.inlined, p.frames.kind]) assert.equal(col.length, nFrames);
  for (let s = 0; s < nStacks; s++) {
    assert.ok(p.stacks.parent[s]! < s && p.stacks.parent[s]! >= -1, "parents come before children");
    assert.ok(p.stacks.frame[s]! >= 0 && p.stacks.frame[s]! < nFrames);
  }
  for (let i = 0; i < p.samples.stack.length; i++) {
    const w = p.samples.weight[i]!;
    assert.ok(Number.isFinite(w) && w >= 0, `weight ${w}`);
    assert.ok(p.samples.stack[i]! >= 0 && p.samples.stack[i]! < nStacks);
    assert.ok(p.samples.event[i]! >= 0 && p.samples.event[i]! < p.events.length);
    assert.ok(p.samples.thread[i]! >= 0 && p.samples.thread[i]! < p.threads.length);
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
