// Shared by the callgrind test files: fixture readers, a golden summary, and an independent
// scan of callgrind files (self, inclusive and totals per function) to check the importer against.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { totalWeight } from "../../src/fold/function-totals.js";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { fixture } from "./golden.js";

export const read = (name: string) => parseInput(callgrind.parser(), { path: fixture("valgrind", name) });
export const fromText = (text: string, opts = {}) => parseInput(callgrind.parser(opts), text);
export const fixtures = readdirSync(fixture("valgrind")).filter((f) => f.endsWith(".callgrind")).sort();

/** A stable text summary of a profile, for golden files. */
export function describe(p: Profile): string {
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
 * several objects (which may nest). `totals` adds up the `totals:` lines of all parts; `calls`
 * maps each caller name to the names it calls.
 */
export function scan(
  text: string,
  event: number,
): {
  self: Map<string, number>;
  inclusive: Map<string, number>;
  content: Map<string, number>;
  totals: number[];
  recursive: Set<string>;
  calls: Map<string, Set<string>>;
} {
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
  const calls = new Map<string, Set<string>>();
  const objects = new Map<string, Set<string>>();
  let ob = "";
  let positions = 1;
  const totals: number[] = [];
  let fn = "";
  let cfn = "";
  let inCall = false;
  for (const line of text.replace(/\r/g, "").split("\n")) {
    if (/^[0-9+*-]/.test(line)) {
      const cost = Number(line.trim().split(/\s+/)[positions + event] ?? 0);
      content.set(fn, (content.get(fn) ?? 0) + cost);
      if (inCall) {
        inclusive.set(cfn, (inclusive.get(cfn) ?? 0) + cost);
        calls.set(fn, (calls.get(fn) ?? new Set()).add(cfn));
        if (cfn === fn) recursive.add(fn);
      } else self.set(fn, (self.get(fn) ?? 0) + cost);
      inCall = false;
      continue;
    }
    const [, key, value] = /^(\w+)[=:]\s*(.*)$/.exec(line) ?? [];
    if (key === "positions") positions = value!.split(/\s+/).filter(Boolean).length || 1;
    else if (key === "totals") value!.split(/\s+/).forEach((v, i) => (totals[i] = (totals[i] ?? 0) + Number(v)));
    else if (key === "fn") {
      fn = name("fn", value!);
      objects.set(fn, (objects.get(fn) ?? new Set()).add(ob));
      if (objects.get(fn)!.size > 1) recursive.add(fn); // one name, several functions: may nest
    }
    else if (key === "cfn") cfn = name("fn", value!);
    else if (key === "jfn") name("fn", value!);
    else if (key === "calls") inCall = true;
    else if (key === "ob") ob = name("ob", value!);
    else if (key === "cob") name("ob", value!);
    else if (key === "fl" || key === "fi" || key === "fe" || key === "cfi" || key === "cfl" || key === "jfi") name("fl", value!);
  }
  return { self, inclusive, content, totals, recursive, calls };
}

/** Number of distinct stacks with a frame named `name` on them (rounding error bound: < 1 each). */
export function stacksUnder(p: Profile, name: string): number {
  const { parent, frame } = p.stacks;
  const under = new Uint8Array(parent.length);
  let n = 0;
  for (let s = 0; s < parent.length; s++) {
    under[s] = p.frames.name[frame[s]!] === name || (parent[s]! >= 0 && under[parent[s]!] === 1) ? 1 : 0;
    n += under[s]!;
  }
  return n;
}

/** A hand-made callgrind file (see callgrind-handmade.test.ts). */
export const COMPRESSED = `# callgrind format
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

/** A hand-made callgrind file (see callgrind-handmade.test.ts). */
export const PLAIN = `# callgrind format
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

/** The FormatError that reading `text` throws (fails when it does not throw one). */
export async function formatError(text: string): Promise<FormatError> {
  try {
    await fromText(text);
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected a FormatError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a FormatError, got a profile");
}
