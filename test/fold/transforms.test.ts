import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanRustNames } from "../../src/fold/clean-names.js";
import { groupBy } from "../../src/fold/group-by.js";
import { totalWeight } from "../../src/fold/function-totals.js";
import { toFolded } from "../../src/fold/to-folded.js";
import { collapseRecursion, exclude, focus, mergeInlined, prune } from "../../src/fold/transforms.js";
import { folded } from "../../src/samples/folded/folded.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { fixture } from "../helpers/golden.js";

const load = (text: string) => parseInput(folded.parser(), text);
const fold = (p: Parameters<typeof toFolded>[0]) => toFolded(p, { pname: false, annotate: true });

const text = ["main;process;to_string;malloc 3", "main;process;to_string 1", "main;process 4", "main;other;to_string 2", "main;rec;rec;rec;leaf 5", "main;a;b;a;b;c 1"].join("\n");

test("focus: keeps stacks through a match, re-rooted at the outermost match", async () => {
  assert.deepEqual(fold(focus(await load(text), "to_string")), ["to_string 3", "to_string;malloc 3"]);
  assert.deepEqual(fold(focus(await load(text), /^rec$/)), ["rec;rec;rec;leaf 5"]);
});

test("exclude: drops every sample through a matching frame", async () => {
  const p = exclude(await load(text), "to_string|^rec$");
  assert.deepEqual(fold(p), ["main;a;b;a;b;c 1", "main;process 4"]);
});

test("prune: narrow nodes give their weight to the nearest wider ancestor; totals are kept", async () => {
  const p = await load(text);
  const pruned = prune(p, 0.2); // a fraction: 20% of 16 = 3.2
  assert.equal(totalWeight(pruned), totalWeight(p));
  assert.deepEqual(fold(pruned), ["main 3", "main;process 4", "main;process;to_string 4", "main;rec;rec;rec;leaf 5"]);
  assert.throws(() => prune(p, 20), /prune\(minShare\) takes a fraction from 0 to 1 \(0\.005 is 0\.5%\), got 20/);
});

test("mergeInlined: inlined frames fold into their caller", async () => {
  const p = await load("main;process;to_string_[i];fmt_[i];malloc 3\nmain;process;to_string_[i] 2\n");
  assert.deepEqual(fold(mergeInlined(p)), ["main;process 2", "main;process;malloc 3"]);
  const perf = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.before.perf.txt") });
  const merged = mergeInlined(perf);
  assert.equal(merged.frames.inlined.includes(true), false);
  assert.equal(totalWeight(merged), totalWeight(perf));
  assert.ok(merged.stacks.frame.length < perf.stacks.frame.length);
});

test("collapseRecursion: direct recursion by default, any repeat with indirect", async () => {
  const p = await load(text);
  assert.ok(fold(collapseRecursion(p)).includes("main;rec;leaf 5"));
  assert.ok(fold(collapseRecursion(p)).includes("main;a;b;a;b;c 1"));
  assert.ok(fold(collapseRecursion(p, { indirect: true })).includes("main;a;b;c 1"));
});

test("cleanRustNames: hashes, generics and closures; frames that become equal merge", async () => {
  const p = await load(
    ["main;alloc::vec::Vec<u8>::push::h0123456789abcdef 2", "main;alloc::vec::Vec<u32>::push::hfedcba9876543210 3", "main;std::rt::lang_start::{{closure}} 1"].join("\n"),
  );
  assert.deepEqual(fold(cleanRustNames(p)), ["main;alloc::vec::Vec<u32>::push 3", "main;alloc::vec::Vec<u8>::push 2", "main;std::rt::lang_start::{{closure}} 1"]);
  assert.deepEqual(fold(cleanRustNames(p, { generics: true, closures: true })), ["main;alloc::vec::Vec::push 5", "main;std::rt::lang_start::{closure} 1"]);
});

test("groupBy: crate groups std/core/alloc as std and merges runs of one group", async () => {
  const perf = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.before.perf.txt") });
  const g = groupBy(perf, "crate");
  const lines = toFolded(g, { pname: false });
  assert.ok(lines.every((l) => !/(^|;)(\S+);\2(;| )/.test(l)), "no two consecutive equal groups");
  const names = new Set(g.frames.name);
  for (const n of ["std", "wordfreq", "libc"]) assert.ok(names.has(n), `${n} in ${[...names].join(", ")}`);
  assert.equal(totalWeight(g), totalWeight(perf));
  assert.throws(() => groupBy(perf, "file" as "crate"), /groupBy takes "crate", "module" or "kind"/);
});

test("patterns: an invalid regular expression gives a clear error", async () => {
  const p = await load(text);
  assert.throws(() => focus(p, "Vec<("), /^Error: flamebook: invalid pattern 'Vec<\(': .*escape special characters/);
  assert.throws(() => exclude(p, ""), /non-empty string or a RegExp/);
});
