import assert from "node:assert/strict";
import { test } from "node:test";
import { toFolded } from "../../src/fold/to-folded.js";
import { folded } from "../../src/samples/folded.js";
import { parseInput } from "../../src/samples/read-lines.js";

test("folded.read: comments, blank lines, CRLF and a BOM are skipped; stray lines are counted in one warning", async () => {
  const text = "\ufeff# made by hand\r\n// another comment\r\nmain;work 3\r\n\r\nthis is not a stack\r\nmain;idle 1\r\nmain;work 2\r\nalso stray\r\n";
  const p = await parseInput(folded.parser(), text);
  assert.deepEqual(toFolded(p, { pname: false }), ["main;idle 1", "main;work 5"]);
  assert.equal(p.warnings.length, 1);
  assert.match(p.warnings[0]!, /skipped 2 line\(s\).*first at line 5/);
});

test("folded.read: a last line without a newline is read; names keep spaces", async () => {
  const p = await parseInput(folded.parser(), "a b;<T as c::D>::e 7");
  assert.deepEqual(toFolded(p, { pname: false }), ["a b;<T as c::D>::e 7"]);
});

test("folded.sniff: recognises folded stacks", () => {
  assert.equal(folded.sniff("main;work 3\nmain;idle 1\n"), true);
  assert.equal(folded.sniff("wordfreq 2206 1969.165950: 1003009 cpu-clock:\n\t 13cf9 main (/bin/x)\n"), false);
});
