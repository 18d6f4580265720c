import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { functionTotals, stackShare, stackWeights, totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import type { Profile } from "../../src/model/profile.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { describe, fixtures, read, scan, stacksUnder } from "../helpers/callgrind.js";

/**
 * Fixtures of the same run as another (other options, same costs): they must fold exactly like
 * it (asserted below), so they have no ~300 KB folded golden of their own.
 */
const twins: Record<string, string> = {
  "clone-in-loop.nocompress": "clone-in-loop.before",
  "clone-in-loop.instr-nocompress": "clone-in-loop.instr-only",
  "clone-in-loop.jumps": "clone-in-loop.instr-only",
  "clone-in-loop.dump-bbs": "clone-in-loop.instr-only",
  "clone-in-loop.dump-bb": "clone-in-loop.instr-only",
};

for (const name of fixtures) {
  const base = name.replace(/\.callgrind$/, "");
  test(`callgrind.read: ${name} matches its golden folded stacks and summary`, async () => {
    const p = await read(name);
    const twin = twins[base];
    if (twin === undefined) matchesGolden(`callgrind/${base}.folded`, toFolded(p, { event: "Ir", pname: false }).join("\n") + "\n");
    else assert.deepEqual(toFolded(p, { event: "Ir", pname: false }), toFolded(await read(`${twin}.callgrind`), { event: "Ir", pname: false }), `${base} folds like ${twin}`);
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
    // the --toggle-collect=wordfreq::main fixtures have about 60 functions, the others 80-330
    assert.ok(checked > 50 && inconsistent <= 3, `checked ${checked} functions, ${inconsistent} inconsistent in callgrind's data`);
  });
}

// Agreement with callgrind_annotate (self, inclusive and totals, every event, every fixture):
// callgrind-annotate.test.ts.

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

test("callgrind.read: a `bb` position column (--dump-bb=yes), which callgrind_annotate cannot read, gives the same functions as the run without it", async () => {
  // the same program, arguments and --toggle-collect: valgrind is deterministic here
  const bb = await read("clone-in-loop.dump-bb.callgrind");
  const plain = await read("clone-in-loop.instr-only.callgrind");
  assert.deepEqual(bb.warnings, []);
  const self = (p: Profile) => new Map(functionTotals(p).map((f) => [f.name, f.self]));
  assert.deepEqual(self(bb), self(plain));
  assert.deepEqual(toFolded(bb, { pname: false }), toFolded(plain, { pname: false }));
  assert.ok(totalWeight(bb) > 1_000_000 && totalWeight(bb) === totalWeight(plain));
});

test("callgrind.read: relative addresses and lines (+N, -N, *) decode to the uncompressed run's positions", async () => {
  // both --dump-instr=yes --dump-line=yes of the same run; the compressed one also has jump lines
  const a = await read("clone-in-loop.jumps.callgrind");
  const b = await read("clone-in-loop.instr-nocompress.callgrind");
  assert.deepEqual(toFolded(a, { pname: false }), toFolded(b, { pname: false }));
  const files = (p: Profile) => new Map(p.frames.name.map((n, i) => [`${n} ${p.frames.module[i]}`, `${p.frames.file[i]}:${p.frames.line[i]}`]));
  assert.deepEqual(files(a), files(b));
  assert.ok([...files(a).values()].filter((l) => !l.endsWith(":null")).length > 20);
});
