import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileSearch, matchedWeight, matchingNames, matchingNodes } from "../../../widgets/core/search.js";
import { cloneInLoopTrees } from "../../helpers/browser.js";

test("compileSearch: empty text searches nothing", () => {
  assert.equal(compileSearch(""), null);
  assert.equal(compileSearch("   "), null);
});

test("compileSearch: plain text is a substring, case-insensitive without capitals", () => {
  const s = compileSearch("to_string")!;
  assert.equal(s.mode, "substring");
  assert.ok(s.test("<T as alloc::string::ToString>::to_string"));
  assert.ok(compileSearch("tostring")!.test("ToString"));
  assert.ok(!compileSearch("ToString")!.test("tostring"), "a capital makes it case-sensitive");
});

test("compileSearch: /re/ is a regex, flags allowed", () => {
  const s = compileSearch("/^std::/")!;
  assert.equal(s.mode, "regex");
  assert.ok(s.test("std::rt::lang_start"));
  assert.ok(!s.test("<std::x>"));
  assert.ok(compileSearch("/^MAIN$/i")!.test("main"));
});

test("compileSearch: text with regex characters also matches as a regex, and as itself", () => {
  const s = compileSearch("to_.*string")!;
  assert.equal(s.mode, "regex");
  assert.ok(s.test("spec_to_string") && s.test("to_owned_string"));
  // A pasted name with [T] still finds itself though, as a regex, [T] is a character class.
  assert.ok(compileSearch("alloc::slice::<impl [T]>::to_vec")!.test("alloc::slice::<impl [T]>::to_vec"));
  // An invalid regex is a substring.
  const bad = compileSearch("Vec<(")!;
  assert.equal(bad.mode, "substring");
  assert.ok(bad.test("xVec<(y"));
  assert.ok(compileSearch("/(/")!.test("a/(/b"), "an invalid /re/ falls back to a substring");
});

test("matchedWeight: nested matches count once (brute force over samples)", () => {
  const tree = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 9 }), fc.boolean()), { minLength: 1, maxLength: 40 })
    .map((steps) => {
      const depth = [0];
      const parent = [-1];
      const self = [0];
      const hit = [0];
      const path = [0];
      for (const [up, w, m] of steps) {
        const d = Math.max(1, depth[depth.length - 1]! + 1 - up);
        path.length = d;
        parent.push(path[d - 1]!);
        depth.push(d);
        path.push(depth.length - 1);
        self.push(w);
        hit.push(m ? 1 : 0);
      }
      return { depth, parent, self, hit };
    });
  fc.assert(
    fc.property(tree, fc.nat(), ({ depth, parent, self, hit }, r) => {
      const total = Float64Array.from(self);
      for (let i = total.length - 1; i > 0; i--) total[parent[i]!]! += total[i]!;
      const root = r % depth.length;
      // Brute force: a node's self weight counts when the node is in root's subtree and it, or an
      // ancestor up to root, matches.
      let expect = 0;
      for (let i = 0; i < depth.length; i++) {
        let covered = false;
        let p = i;
        for (; p >= 0; p = parent[p]!) {
          covered ||= hit[p] === 1;
          if (p === root) break;
        }
        if (p === root && covered) expect += self[i]!;
      }
      const got = matchedWeight(Int32Array.from(depth), total, Uint8Array.from(hit), root);
      assert.ok(Math.abs(got - expect) < 1e-9, `${got} vs ${expect}`);
    }),
  );
});

test("matchingNames/matchingNodes: to_string on the clone-in-loop profile", async () => {
  const { before } = await cloneInLoopTrees();
  const names = matchingNames(before, compileSearch("to_string")!);
  const hit = matchingNodes(before, names);
  assert.equal(hit[0], 0, "the root never matches");
  const share = matchedWeight(before.nodes.depth, before.nodes.total, hit, 0) / before.nodes.total[0]!;
  assert.ok(share > 0.3 && share < 1, `to_string covers ${share}`);
  // spec_to_string is nested inside to_string: counting it again would exceed the outer total.
  const outer = before.nodes.total[44]!;
  assert.ok(matchedWeight(before.nodes.depth, before.nodes.total, hit, 44) === outer);
});

test("matchedText: a diff tree shows the matched share of both sides (a vanished frame is not 0%)", async () => {
  const { matchedText } = await import("../../../widgets/core/chrome-text.js");
  const { before, diff } = await cloneInLoopTrees();
  const hitOf = (t: typeof diff) => matchingNodes(t, matchingNames(t, compileSearch("to_string")!));
  const plain = matchedText(before, hitOf(before), 0);
  const beforeShare = /matched: ([\d.]+%)/.exec(plain)![1]!;
  const text = matchedText(diff, hitOf(diff), 0);
  const m = /^matched: ([\d.]+%) (\S+) → ([\d.]+%) (\S+)$/.exec(text);
  assert.ok(m, text);
  assert.equal(m[1], beforeShare, "the before side equals the plain before graph's share");
  assert.ok(parseFloat(m[1]!) > 20 && parseFloat(m[3]!) < parseFloat(m[1]!), text);
  assert.equal(matchedText(diff, null, 0), "");
});
