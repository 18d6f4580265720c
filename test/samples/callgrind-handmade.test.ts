import assert from "node:assert/strict";
import { test } from "node:test";
import { totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { COMPRESSED, PLAIN, formatError, fromText } from "../helpers/callgrind.js";
import { fixture } from "../helpers/golden.js";

// ---- hand-made files: name and subposition compression



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

// ---- forms callgrind writes or callgrind_annotate reads (callgrind-annotate.test.ts checks the figures)

test("callgrind.read: two functions of one name in one object but two files are two functions (callgrind keys them by object, file and name)", async () => {
  const p = await parseInput(callgrind.parser(), { path: fixture("valgrind", "handmade", "same-name.callgrind") });
  // dl-lookup.c's check_match passes 500 of strcmp's cost, dl-lookup-direct.c's 200: each keeps its own
  assert.deepEqual(toFolded(p, { pname: false }), [
    "main 10",
    "main;do_lookup 100",
    "main;do_lookup;check_match 300",
    "main;do_lookup;check_match;strcmp 500",
    "main;init 300",
    "main;lookup_direct 50",
    "main;lookup_direct;check_match 50",
    "main;lookup_direct;check_match;strcmp 200",
  ]);
});

test("callgrind.read: jcnd= in callgrind's <taken>/<executed> form and the manual's two-number form, jump= lines and the position lines after them", async () => {
  const p = await fromText("positions: instr line\nevents: Ir\nfn=f\n0x10 5 1\njcnd=5/5 +19 +2 \n* *\njump=3 -4 *\n+1 +1\njcnd=1 4 0x20 7\n* * 2\n");
  assert.equal(totalWeight(p), 3);
  assert.deepEqual(p.warnings, []);
});

test("callgrind.read: calls= without a target, or with more subpositions than positions: (callgrind_annotate ignores the target)", async () => {
  const p = await fromText("events: Ir\nfn=main\n1 1\ncfn=f\ncalls=2\n* 5\ncfn=g\ncalls=1 3 4 +5\n* 6\nfn=f\n1 5\nfn=g\n1 6\n");
  assert.deepEqual(toFolded(p, { pname: false }), ["main 1", "main;f 5", "main;g 6"]);
});

test("callgrind.read: a cost line of positions only may give fewer positions than positions: names", async () => {
  const p = await fromText("positions: instr line\nevents: Ir Dr\nfn=f\n0x10 5 1 1\n0x11\n+1 * 2\n");
  assert.deepEqual(toFolded(p, { event: "Ir", pname: false }), ["f 3"]);
  assert.equal(p.frames.line[0], 5, "the line column kept its value");
});

test("callgrind.read: positions: accepts the manual's columns instr (or addr), bb and line in order, and an empty value means line", async () => {
  for (const [positions, line] of [["instr bb line", "0x10 0x10 7 4"], ["addr line", "0x10 7 4"], ["bb line", "0x10 7 4"], ["", "7 4"], ["instr", "0x10 4"]]) {
    const p = await fromText(`positions: ${positions}\nevents: Ir\nfn=f\n${line}\n`);
    assert.equal(totalWeight(p), 4, positions);
    assert.equal(p.frames.line[0], positions.includes("line") || positions === "" ? 7 : null, positions);
  }
});

test("callgrind.read: version: 0 and 1 are read (the manual's major versions), with a minor part too", async () => {
  for (const v of ["0", "1", "1.0"]) assert.equal(totalWeight(await fromText(`version: ${v}\nevents: Ir\nfn=f\n0 3\n`)), 3, v);
});

test("callgrind.read: lines with an unknown key are skipped with a warning, like callgrind_annotate; --dump-bbs's bb= and ln= lines silently", async () => {
  const p = await fromText("events: Ir\nfn=f\nbb=0x10 3 7\nln=12\n12 3\nrec=2\nfrfn=(spontaneous)\nxyz=1\ncolour=blue\n13 1\n");
  assert.equal(totalWeight(p), 4);
  assert.deepEqual(p.warnings, ['callgrind: skipped 2 line(s) with an unknown key (the first at line 8: "xyz=1"), as callgrind_annotate does.']);
});

test("callgrind.read: a function after ob= without any fl= has its object as module and no file", async () => {
  const p = await fromText("events: Ir\nob=/lib/x.so\nfn=f\n0 3\n");
  assert.deepEqual([p.frames.name[0], p.frames.module[0], p.frames.file[0], p.frames.line[0]], ["f", "/lib/x.so", null, null]);
});
