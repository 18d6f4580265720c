import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { functionTotals, stackShare, stackWeights, totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import type { Profile } from "../../src/model/profile.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { fixture, matchesGolden } from "../helpers/golden.js";
import { annotate, describe, fixtures, read, scan, stacksUnder } from "../helpers/callgrind.js";

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
