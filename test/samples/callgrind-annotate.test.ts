// callgrind.read agrees with valgrind's own reader, callgrind_annotate, on every callgrind fixture:
// the real ones made by valgrind (test/fixtures/make-valgrind-fixtures.sh) and the hand-made ones
// in test/fixtures/valgrind/handmade/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test, type TestContext } from "node:test";
import { functionStats } from "../../src/fold/function-stats.js";
import { totalWeight } from "../../src/fold/function-totals.js";
import type { Profile } from "../../src/model/profile.js";
import { callgrind } from "../../src/samples/callgrind/callgrind.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { byName, runAnnotate, type AnnotateTable } from "../helpers/callgrind-annotate.js";
import { scan, stacksUnder } from "../helpers/callgrind.js";
import { fixture } from "../helpers/golden.js";

const real = readdirSync(fixture("valgrind"))
  .filter((f) => f.endsWith(".callgrind"))
  // `positions: bb line` (--dump-bb=yes): callgrind_annotate knows no `bb` column, reads the line
  // column as a cost and stops with "too many event counts"; callgrind.test.ts checks this file
  .filter((f) => f !== "clone-in-loop.dump-bb.callgrind")
  .map((f) => ({ name: f, path: fixture("valgrind", f) }));
const handmade = readdirSync(fixture("valgrind", "handmade"))
  .filter((f) => f.endsWith(".callgrind"))
  .map((f) => ({ name: `handmade/${f}`, path: fixture("valgrind", "handmade", f) }));

/** callgrind_annotate's tables (self and inclusive) for a file, or null when it is not installed (a skip; a failure in CI). */
function annotate(t: TestContext, path: string, p: Profile): { self: AnnotateTable; inclusive: AnnotateTable } | null {
  const objects = new Set([...p.frames.module, "???"]);
  const self = runAnnotate(path, false, objects);
  const inclusive = runAnnotate(path, true, objects);
  if ("missing" in self || "missing" in inclusive) {
    assert.ok(!process.env.CI, "callgrind_annotate (Debian package valgrind) must be installed in CI");
    t.skip("callgrind_annotate is not installed (Debian package valgrind)");
    return null;
  }
  if ("error" in self) assert.fail(self.error);
  if ("error" in inclusive) assert.fail(inclusive.error);
  return { self: self.table, inclusive: inclusive.table };
}

/** The values of the last `key:` line (`summary`, `totals`), or null. */
function lastValues(text: string, key: string): number[] | null {
  const all = [...text.matchAll(new RegExp(`^${key}:[ \\t]*(.*?)\\r?$`, "gm"))];
  return all.length === 0 ? null : all.at(-1)![1]!.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Names reachable from `from` through calls (not `from` itself unless it is on a cycle). */
function reach(calls: Map<string, Set<string>>, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(calls.get(from) ?? [])];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(calls.get(f) ?? []));
  }
  return seen;
}

for (const { name, path } of [...real, ...handmade]) {
  test(`callgrind.read agrees with callgrind_annotate: ${name}`, async (t) => {
    const text = readFileSync(path, "utf8");
    const p = await parseInput(callgrind.parser(), { path });
    const tables = annotate(t, path, p);
    if (tables === null) return;
    const { self, inclusive } = tables;
    assert.deepEqual(self.events, p.events, "the events, in file order");
    const stats = functionStats(p);
    const parts = (text.match(/^totals:/gm) ?? []).length;
    let exact = 0;
    let bounded = 0;
    let skipped = 0;
    let largest = 0;
    for (let e = 0; e < p.events.length; e++) {
      const event = p.events[e]!;
      const ourSelf = new Map(stats.name.map((n, i) => [n.replace(/\r/g, ""), stats.self[e]![i]!]));
      const ourTotal = new Map(stats.name.map((n, i) => [n.replace(/\r/g, ""), stats.total[e]![i]!]));

      // 1. self cost: exact, for every function and every event
      const theirSelf = byName(self, e, false);
      for (const [fn, v] of theirSelf) assert.equal(ourSelf.get(fn) ?? 0, v, `${event} self of ${fn}`);
      for (const [fn, v] of ourSelf) if (v !== 0) assert.ok(theirSelf.has(fn), `${event}: ${fn} (self ${v}) is not in callgrind_annotate's table`);

      // 2. the overall total: exactly the sum of callgrind_annotate's function rows (the cost
      // lines); its PROGRAM TOTALS line prints the file's summary: line when there is one, which
      // the manual allows to be larger than the cost lines (the cache simulation's is, by a few
      // misses). A file of several parts (--combine-dumps) is one part to callgrind_annotate:
      // its PROGRAM TOTALS are the last part's.
      let rows = 0;
      for (const v of theirSelf.values()) rows += v;
      assert.equal(totalWeight(p, e), rows, `${event}: our total vs the sum of callgrind_annotate's rows`);
      if (parts <= 1) {
        const summary = lastValues(text, "summary");
        const printed = summary !== null && summary.some((v) => v > 0) ? (summary[e] ?? 0) : rows;
        assert.equal(self.total[e], printed, `${event}: callgrind_annotate's PROGRAM TOTALS`);
      }

      // 3. inclusive cost. callgrind_annotate adds up the calls into a function (for a function
      // nobody calls: its self cost and its calls). Our stacks are rebuilt from callgrind's call
      // graph: a function that owns its callees (nothing else calls them) has its inclusive cost
      // exactly; where callees are shared, their cost is split over call paths and rounded to
      // whole events, so it is within one event per stack under it. Recursive functions are left
      // out (callgrind_annotate counts a recursive call inside its own figure again), and so are
      // functions whose calls callgrind's own figures make inconsistent (a call that never
      // returns, like _Exit's, costs more than the callee's self plus its calls).
      const s = scan(text, e);
      const callers = new Map<string, Set<string>>();
      for (const [from, tos] of s.calls) for (const to of tos) callers.set(to, (callers.get(to) ?? new Set()).add(from));
      const consistent = (fn: string) => !s.inclusive.has(fn) || s.inclusive.get(fn) === (s.content.get(fn) ?? 0);
      const theirInclusive = byName(inclusive, e, true);
      for (const [fn, want] of theirInclusive) {
        const below = reach(s.calls, fn);
        if (below.has(fn) || s.recursive.has(fn)) {
          skipped++;
          continue;
        }
        if (!consistent(fn) || ![...below].every(consistent)) {
          skipped++;
          continue;
        }
        const got = ourTotal.get(fn) ?? 0;
        const owns = [...below].every((g) => [...(callers.get(g) ?? [])].every((c) => c === fn || below.has(c)));
        if (owns) {
          assert.equal(got, want, `${event} inclusive of ${fn} (it owns its callees: exact)`);
          exact++;
        } else {
          const bound = Math.max(1, stacksUnder(p, fn));
          assert.ok(Math.abs(got - want) < bound, `${event} inclusive of ${fn}: ours ${got}, callgrind_annotate ${want} (bound ${bound})`);
          bounded++;
          largest = Math.max(largest, Math.abs(got - want));
        }
      }
    }
    assert.ok(exact > 0 && exact >= bounded / 4, `${name}: ${exact} exact, ${bounded} bounded, ${skipped} left out`);
    t.diagnostic(`${p.events.length} event(s): inclusive exact ${exact}, within rounding ${bounded} (largest difference ${largest}), left out ${skipped}`);
  });
}
