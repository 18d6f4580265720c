import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { FormatError } from "../../src/model/errors.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { cachegrind } from "../../src/samples/callgrind/cachegrind.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { fixture } from "../helpers/golden.js";
import { PLAIN, fixtures, formatError } from "../helpers/callgrind.js";

// ---- malformed input


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
    ["events: Ir\nfn=f\ncfn=g\ncalls=1 0 x\n0 1\n", 4, /a position \(a number, 0x…, \+N, -N or \*\) after the count/],
    ["events: Ir\nfn=f\n0 1\njcnd=1/x +2\n", 4, /'jcnd=<taken>\/<executed> <target position>'/],
    ["events: Ir\nfn=f\n0 1\njump=x +2\n", 4, /'jump=<count> <target position>'/],
    ["version: 2\nevents: Ir\n", 1, /version: 1/],
    ["positions: bbb\nevents: Ir\n", 1, /positions: line/],
    ["positions: line instr\nevents: Ir\n", 1, /instr, bb and line in that order/],
    ["positions: line line\nevents: Ir\n", 1, /instr, bb and line in that order/],
    ["version: 1x\nevents: Ir\n", 1, /version: 1/],
    ["events: Ir Ir\n", 1, /distinct event names/],
    ["events: Ir\nfn=f\n0 1\nevents: Dr\n", 4, /the same events in every part/],
    ["events: Ir\nfn=f\n0 1\ntotals: 2\n", 5, /add up to the 'totals:' line 4 \(Ir 2\)/],
    ["events: Ir\nsummary: 5\nfn=f\n0 1\n", 5, /add up to the 'summary:' line 2 \(Ir 5\)/],
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
