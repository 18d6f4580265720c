import assert from "node:assert/strict";
import { test } from "node:test";
import { openProfile, flameTree, diffFlameTree, functionTotals, totalWeight } from "../../src/internals.js";
import type { Profile } from "../../src/model/profile.js";
import { flameText, formatChange, formatPercent, formatWeight, functionWeights, groupDigits, printable, shorten } from "../../src/render/flame-text.js";
import { fixture, matchesGolden } from "../helpers/golden.js";

const BEFORE = fixture("perf-script", "clone-in-loop.before.perf.txt");
const AFTER = fixture("perf-script", "clone-in-loop.after.perf.txt");

/** A profile from folded lines ("a;b;c 5"). */
function folded(lines: string[]): Promise<Profile> {
  return openProfile(new TextEncoder().encode(lines.join("\n") + "\n"), { format: "folded", source: "synthetic.folded" });
}

/** The cells of a table line (columns are separated by two or more spaces). */
function cells(line: string): string[] {
  return line.trim().split(/ {2,}/);
}

/** The lines of `text` between the line starting with `heading` and the next line not indented. */
function section(text: string, heading: string): string[] {
  const lines = text.split("\n");
  const from = lines.findIndex((l) => l.startsWith(heading));
  assert.ok(from >= 0, `no section ${heading}`);
  const rest = lines.slice(from + 1);
  const end = rest.findIndex((l) => !l.startsWith("  "));
  return rest.slice(0, end < 0 ? rest.length : end);
}

test("flameText: clone-in-loop before (golden)", async () => {
  matchesGolden("render/clone-in-loop.before.txt", flameText(flameTree(await openProfile(BEFORE))));
});

test("flameText: clone-in-loop diff (golden)", async () => {
  matchesGolden("render/clone-in-loop.diff.txt", flameText(diffFlameTree(await openProfile(BEFORE), await openProfile(AFTER))));
});

test("functionWeights: equals functionTotals computed from the profile", async () => {
  const profile = await openProfile(BEFORE);
  const fromTree = new Map(functionWeights(flameTree(profile)).map((f) => [f.name, [f.self, f.total]]));
  const fromProfile = functionTotals(profile);
  assert.equal(fromTree.size, fromProfile.length);
  for (const f of fromProfile) assert.deepEqual(fromTree.get(f.name), [f.self, f.total], f.name);
});

test("flameText: headline and top-10 numbers equal those computed from the profile", async () => {
  const profile = await openProfile(BEFORE);
  const tree = flameTree(profile);
  const text = flameText(tree);
  const all = totalWeight(profile);
  assert.equal(text.split("\n")[0], `clone-in-loop.before.perf.txt: cpu-clock, total ${formatWeight(all, "nanoseconds", "cpu-clock")}, ${tree.nodes.frame.length} nodes`);
  assert.equal(text.split("\n")[0], "clone-in-loop.before.perf.txt: cpu-clock, total 60.2 ms, 149 nodes");
  const expected = functionTotals(profile)
    .filter((f) => f.self > 0)
    .sort((a, b) => b.self - a.self || b.total - a.total || (a.name < b.name ? -1 : 1))
    .slice(0, 10);
  const rows = section(text, "top 10 functions by self weight:");
  assert.deepEqual(cells(rows[0]!), ["self%", "total%", "self", "total", "function"]);
  assert.equal(rows.length, 11);
  rows.slice(1).forEach((row, k) => {
    const f = expected[k]!;
    const pct = (v: number) => `${((v / all) * 100).toFixed(2)}%`;
    assert.deepEqual(cells(row), [pct(f.self), pct(f.total), formatWeight(f.self, "nanoseconds", ""), formatWeight(f.total, "nanoseconds", ""), f.name]);
  });
  assert.deepEqual(cells(rows[1]!), ["13.33%", "23.33%", "8.02 ms", "14.0 ms", "<u64>::_fmt_inner"]);
});

test("flameText: diff lists the top grown and shrunk functions with the profiles' numbers", async () => {
  const [before, after] = [await openProfile(BEFORE), await openProfile(AFTER)];
  const tree = diffFlameTree(before, after);
  const b = new Map(functionTotals(before).map((f) => [f.name, f.total]));
  const a = new Map(functionTotals(after).map((f) => [f.name, f.total]));
  for (const f of functionWeights(tree)) {
    assert.equal(f.total, a.get(f.name) ?? 0, `after total of ${f.name}`);
    assert.equal(f.baseTotal, b.get(f.name) ?? 0, `before total of ${f.name}`);
  }
  const text = flameText(tree);
  assert.equal(text.split("\n")[0], "before → after: cpu-clock, before 60.2 ms → after 60.2 ms (+0.00%), 187 nodes, 19 with a significant change");
  const shrunk = section(text, "top 10 shrunk functions:");
  const toString = shrunk.map(cells).find((c) => c.at(-1) === "<T as alloc::string::ToString>::to_string");
  const gone = b.get("<T as alloc::string::ToString>::to_string")!;
  assert.deepEqual(toString, [formatChange(-gone, "nanoseconds", ""), "-50.00pp", "30.1 ms", "0 ns", "*", "<T as alloc::string::ToString>::to_string"]);
  const grown = section(text, "top 10 grown functions").map(cells);
  assert.deepEqual(grown[0], ["change", "share", "before", "after", "sig", "function"]);
  const writeFmt = grown.find((c) => c.at(-1) === "core::fmt::Write::write_fmt");
  assert.deepEqual(writeFmt, [formatChange(a.get("core::fmt::Write::write_fmt")!, "nanoseconds", ""), "+58.33pp", "0 ns", "35.1 ms", "*", "core::fmt::Write::write_fmt"]);
  assert.ok(grown.some((c) => c[4] === "~"), "within-noise changes are marked ~");
});

test("flameText: proportional ranking follows shares, absolute follows weights", async () => {
  // after ran twice as long: a doubled (same share), b grew in share
  const d = diffFlameTree(await folded(["main;a 50", "main;b 10", "main;c 40"]), await folded(["main;a 100", "main;b 60", "main;c 40"]));
  const grownBy = (mode: "absolute" | "proportional") => section(flameText(d, { diffMode: mode }), "top 10 grown").slice(1).map((l) => cells(l).at(-1));
  assert.deepEqual(grownBy("absolute"), ["main", "a", "b"]);
  assert.deepEqual(grownBy("proportional"), ["b"]);
  assert.deepEqual(section(flameText(d), "top 10 shrunk").slice(1).map((l) => cells(l).at(-1)), ["c"], "default is proportional: a kept its share");
});

test("functionWeights: a recursive function's total counts each stack once", async () => {
  const tree = flameTree(await folded(["main;fib;fib;fib 4", "main;fib;other;fib 2", "main;x 4"]));
  const byName = new Map(functionWeights(tree).map((f) => [f.name, f]));
  assert.equal(byName.get("fib")!.total, 6);
  assert.equal(byName.get("fib")!.self, 6);
  assert.equal(byName.get("main")!.total, 10);
  const text = flameText(tree);
  assert.deepEqual(cells(section(text, "top 10 functions")[1]!), ["60.00%", "60.00%", "6", "6", "fib"]);
  assert.match(text.split("\n")[0]!, /total 10 samples, \d+ nodes$/);
});

test("flameText: top and width options; long names end with an ellipsis", async () => {
  const long = `wordfreq::${"very_long_segment::".repeat(10)}leaf`;
  const tree = flameTree(await folded([`main;${long} 5`, "main;b 3", "main;c 2"]));
  const text = flameText(tree, { top: 2, width: 30 });
  const rows = section(text, "top 2 functions by self weight:");
  assert.equal(rows.length, 3);
  const name = cells(rows[1]!).at(-1)!;
  assert.equal(name, long.slice(0, 29) + "…");
  assert.equal(Array.from(name).length, 30);
  assert.equal(cells(rows[2]!).at(-1), "b");
  assert.ok(!flameText(tree).includes(long) && flameText(tree).includes(`${long.slice(0, 99)}…\n`), "default width 100");
});

test("flameText: notes come last; control characters are removed", async () => {
  const tree = { ...flameTree(await folded(["main;evil\u001b[2J 1"])), notes: ["only 1 sample", "bell\u0007"] };
  const text = flameText(tree);
  assert.ok(text.endsWith("notes:\n  - only 1 sample\n  - bell\n"), text);
  assert.ok(!text.includes("\u001b") && !text.includes("\u0007"));
});

test("formatWeight: by unit", () => {
  assert.equal(formatWeight(60180540, "nanoseconds", "cpu-clock"), "60.2 ms");
  assert.equal(formatWeight(1003009, "nanoseconds", "cpu-clock"), "1.00 ms");
  assert.equal(formatWeight(999_700_000, "nanoseconds", "cpu-clock"), "1.00 s", "rounding up moves to the next unit");
  assert.equal(formatWeight(812, "nanoseconds", "cpu-clock"), "812 ns");
  assert.equal(formatWeight(2500, "nanoseconds", "cpu-clock"), "2.50 µs");
  assert.equal(formatWeight(1_234_567_890, "instructions", "Ir"), "1.23 G Ir");
  assert.equal(formatWeight(812, "instructions", "Ir"), "812 Ir");
  assert.equal(formatWeight(1234, "samples", "cpu-clock"), "1,234");
  assert.equal(formatWeight(3 * 1024 * 1024, "bytes", "alloc"), "3.00 MiB");
  assert.equal(formatWeight(45_600, "events", "cache-misses"), "45.6 k cache-misses");
  assert.equal(formatChange(-2006018, "nanoseconds", ""), "-2.01 ms");
  assert.equal(formatChange(5, "samples", ""), "+5");
  assert.equal(formatPercent(0.5), "50.00%");
  assert.equal(groupDigits(1234567), "1,234,567");
  assert.equal(shorten("wordfreq::process::process", 12), "wordfreq::p…");
  assert.equal(printable("a\u0000b\u001b[31mc\ud800"), "ab[31mc");
});
