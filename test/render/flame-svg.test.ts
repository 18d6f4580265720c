import assert from "node:assert/strict";
import { syntheticProfile } from "../helpers/synthetic-profile.js";
import { test } from "node:test";
import { openProfile, flameTree, diffFlameTree } from "../../src/internals.js";
import type { FlameTree } from "../../src/model/flame-tree.js";
import type { Profile } from "../../src/model/profile.js";
import { escapeXml, flameSvg } from "../../src/render/flame-svg.js";
import { frameCategory } from "../../src/render/flame-palette.js";
import { fixture, matchesGolden } from "../helpers/golden.js";

// ---------------------------------------------------------------------------------------------
// A strict XML 1.0 well-formedness check, written as a character scanner (no regular
// expressions, no DOM): xmllint is not on this machine. It returns the element names in
// document order and throws on anything a conforming parser would reject (for what an SVG
// needs: elements, attributes, text, references, comments, processing instructions).
// ---------------------------------------------------------------------------------------------

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function isNameStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === ":" || c.charCodeAt(0) >= 0xc0;
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= "0" && c <= "9") || c === "-" || c === ".";
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

function isDigits(s: string, hex: boolean): boolean {
  if (s.length === 0) return false;
  for (const c of s) if (!((c >= "0" && c <= "9") || (hex && ((c >= "a" && c <= "f") || (c >= "A" && c <= "F"))))) return false;
  return true;
}

/** Scans `doc`; returns the element names in order or throws an Error saying where it is not well-formed. */
function wellFormedElements(doc: string): string[] {
  let i = 0;
  const elements: string[] = [];
  const open: string[] = [];
  const fail = (msg: string): never => {
    throw new Error(`not well-formed XML at ${i}: ${msg} near ${JSON.stringify(doc.slice(Math.max(0, i - 20), i + 20))}`);
  };
  for (const ch of doc) if (!isXmlChar(ch.codePointAt(0)!)) fail(`character U+${ch.codePointAt(0)!.toString(16)} is not allowed in XML`);
  const starts = (s: string) => doc.startsWith(s, i);
  const skipSpace = () => {
    while (isSpace(doc[i])) i++;
  };
  const name = (): string => {
    const from = i;
    if (i >= doc.length || !isNameStart(doc[i]!)) fail("expected a name");
    while (i < doc.length && isNameChar(doc[i]!)) i++;
    return doc.slice(from, i);
  };
  const reference = () => {
    const end = doc.indexOf(";", i);
    if (end < 0) fail("unterminated reference");
    const ref = doc.slice(i + 1, end);
    const named = ref === "amp" || ref === "lt" || ref === "gt" || ref === "quot" || ref === "apos";
    const hex = ref.startsWith("#x") && isDigits(ref.slice(2), true);
    const dec = !ref.startsWith("#x") && ref.startsWith("#") && isDigits(ref.slice(1), false);
    if (!named && !hex && !dec) fail(`unknown reference &${ref};`);
    if ((hex || dec) && !isXmlChar(hex ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10))) fail(`character reference &${ref}; is not an XML character`);
    i = end + 1;
  };
  const attrValue = () => {
    const q = doc[i];
    if (q !== '"' && q !== "'") fail("expected a quoted attribute value");
    i++;
    while (i < doc.length && doc[i] !== q) {
      if (doc[i] === "<") fail("'<' in an attribute value");
      if (doc[i] === "&") reference();
      else i++;
    }
    if (i >= doc.length) fail("unterminated attribute value");
    i++;
  };
  const startTag = () => {
    i++;
    const tag = name();
    elements.push(tag);
    const seen = new Set<string>();
    for (;;) {
      const hadSpace = isSpace(doc[i]);
      skipSpace();
      if (starts("/>")) return void (i += 2);
      if (starts(">")) return void (i++, open.push(tag));
      if (!hadSpace) fail("expected whitespace before an attribute");
      const attr = name();
      if (seen.has(attr)) fail(`duplicate attribute ${attr}`);
      seen.add(attr);
      skipSpace();
      if (doc[i] !== "=") fail("expected '='");
      i++;
      skipSpace();
      attrValue();
    }
  };
  const endTag = () => {
    i += 2;
    const tag = name();
    skipSpace();
    if (doc[i] !== ">") fail("expected '>'");
    i++;
    if (open.pop() !== tag) fail(`end tag </${tag}> does not match`);
  };
  const skipTo = (end: string, what: string) => {
    const at = doc.indexOf(end, i);
    if (at < 0) fail(`unterminated ${what}`);
    i = at + end.length;
  };
  const comment = () => {
    const at = doc.indexOf("--", i + 4);
    if (at < 0 || doc[at + 2] !== ">") fail("'--' inside a comment");
    i = at + 3;
  };
  const text = (inside: boolean) => {
    if (starts("]]>")) fail("']]>' in text");
    if (doc[i] === "&") {
      if (!inside) fail("reference outside the root element");
      return reference();
    }
    if (!inside && !isSpace(doc[i])) fail("text outside the root element");
    i++;
  };
  let roots = 0;
  while (i < doc.length) {
    const inside = open.length > 0;
    if (starts("<!--")) comment();
    else if (starts("<?")) skipTo("?>", "processing instruction");
    else if (starts("<![CDATA[")) inside ? skipTo("]]>", "CDATA section") : fail("CDATA outside the root element");
    else if (starts("<!")) fail("declarations are not expected");
    else if (starts("</")) endTag();
    else if (starts("<")) {
      if (!inside && ++roots > 1) fail("a second root element");
      startTag();
    } else text(inside);
  }
  if (open.length > 0) fail(`unclosed <${open.at(-1)}>`);
  if (roots !== 1) fail("no root element");
  return elements;
}

const SVG_ELEMENTS = new Set(["svg", "style", "rect", "g", "title", "text"]);

/** Asserts the SVG is well-formed and uses only the elements flameSvg writes. */
function assertSafeSvg(svg: string): void {
  const elements = wellFormedElements(svg);
  assert.equal(elements[0], "svg");
  for (const e of elements) assert.ok(SVG_ELEMENTS.has(e), `unexpected element <${e}>`);
}

// ---------------------------------------------------------------------------------------------
// Helpers: read frames back from the SVG, build small trees.
// ---------------------------------------------------------------------------------------------

interface DrawnFrame {
  title: string;
  x: number;
  y: number;
  width: number;
  fill: string;
  label: string;
}

function unescape(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);
}

/** The frames of a flameSvg output, in document order. */
function drawnFrames(svg: string): DrawnFrame[] {
  const re = /<g><title>([^<]*)<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="\d+" fill="(#[0-9a-f]{6})"\/>(?:<text[^>]*>([^<]*)<\/text>)?<\/g>/g;
  return [...svg.matchAll(re)].map((m) => ({ title: unescape(m[1]!), x: +m[2]!, y: +m[3]!, width: +m[4]!, fill: m[5]!, label: unescape(m[6] ?? "") }));
}

/** The frame whose tooltip starts with `name` followed by " (" or a newline. */
function frameNamed(svg: string, name: string): DrawnFrame {
  const f = drawnFrames(svg).find((d) => d.title.startsWith(`${name} (`) || d.title.startsWith(`${name}\n`));
  assert.ok(f, `no frame named ${name}`);
  return f;
}

function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** A profile from folded lines ("a;b;c 5"): the real importer path. */
function folded(lines: string[]): Promise<Profile> {
  return openProfile(new TextEncoder().encode(lines.join("\n") + "\n"), { format: "folded", source: "synthetic.folded" });
}

/**
 * A flame tree built by hand (names reach the renderer exactly as given, which the importers
 * would not allow for some of the hostile names). Every frame gets `module`, `file` and `line`.
 */
function handTree(stacks: [string[], number][], where: { module?: string; file?: string; line?: number } = {}): FlameTree {
  const strings: string[] = [];
  const str = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  interface N { name: string; self: number; total: number; kids: Map<string, N> }
  const root: N = { name: "all", self: 0, total: 0, kids: new Map() };
  for (const [path, w] of stacks) {
    let n = root;
    n.total += w;
    for (const name of path) {
      if (!n.kids.has(name)) n.kids.set(name, { name, self: 0, total: 0, kids: new Map() });
      n = n.kids.get(name)!;
      n.total += w;
    }
    n.self += w;
  }
  const order: [N, number, number][] = [];
  const visit = (n: N, parent: number, depth: number) => {
    order.push([n, parent, depth]);
    const me = order.length - 1;
    for (const k of n.kids.values()) visit(k, me, depth + 1);
  };
  visit(root, -1, 0);
  const names = order.map(([n]) => str(n.name));
  const mod = where.module === undefined ? -1 : str(where.module);
  const file = where.file === undefined ? -1 : str(where.file);
  const count = order.length;
  return {
    version: 1,
    title: "hand",
    event: "cpu-clock",
    unit: "samples",
    strings,
    frames: {
      name: Int32Array.from(names),
      module: new Int32Array(count).fill(mod),
      file: new Int32Array(count).fill(file),
      line: new Int32Array(count).fill(where.line ?? 0),
      kind: new Uint8Array(count).fill(1),
      inlined: new Uint8Array(count),
    },
    nodes: {
      frame: Int32Array.from(order, (_, i) => i),
      parent: Int32Array.from(order, ([, p]) => p),
      depth: Int32Array.from(order, ([, , d]) => d),
      self: Float64Array.from(order, ([n]) => n.self),
      total: Float64Array.from(order, ([n]) => n.total),
    },
    notes: [],
  };
}

const BEFORE = fixture("perf-script", "clone-in-loop.before.perf.txt");
const AFTER = fixture("perf-script", "clone-in-loop.after.perf.txt");
const KB = 1024;

// ---------------------------------------------------------------------------------------------

test("wellFormedElements (the test's XML check) rejects what is not well-formed", () => {
  assert.deepEqual(wellFormedElements(`<a x='1' y="&amp;&#60;">t &lt; &#x3c;<b/><!-- c --></a>\n`), ["a", "b"]);
  const bad = [
    "<a><b></a></b>",
    "<a>&foo;</a>",
    "<a>\u0000</a>",
    '<a x="<"/>',
    "<a>]]></a>",
    "<a/><b/>",
    '<a x="1" x="2"/>',
    "<a>&#0;</a>",
    "<a>&amp</a>",
    '<a x="1"y="2"/>',
    "<a>",
    "text<a/>",
    "<a>\ud800</a>",
  ];
  for (const doc of bad) assert.throws(() => wellFormedElements(doc), /not well-formed/, `accepted ${JSON.stringify(doc)}`);
});

/** Size in bytes of the UTF-8 text. */
function bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

test("flameSvg: clone-in-loop before (golden), well-formed and under 100 KB", async (t) => {
  const svg = flameSvg(flameTree(await openProfile(BEFORE)));
  assertSafeSvg(svg);
  const size = `flame SVG is ${(bytes(svg) / KB).toFixed(1)} KB`;
  assert.ok(bytes(svg) < 100 * KB, `${size}, over 100 KB`);
  t.diagnostic(size);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="fb\w+" width="1200" height="\d+" viewBox="0 0 1200 \d+">/);
  const hot = frameNamed(svg, "wordfreq::process::process");
  assert.match(hot.title, /^wordfreq::process::process \(self 6\.02 ms, total 57\.2 ms, 95\.00%\)\n\/tmp\/flamebook-fixtures\/wordfreq-before$/);
  matchesGolden("render/clone-in-loop.before.svg", svg);
});

test("flameSvg: clone-in-loop diff (golden), well-formed and under 100 KB", async (t) => {
  const svg = flameSvg(diffFlameTree(await openProfile(BEFORE), await openProfile(AFTER)));
  assertSafeSvg(svg);
  const size = `diff SVG is ${(bytes(svg) / KB).toFixed(1)} KB`;
  assert.ok(bytes(svg) < 100 * KB, `${size}, over 100 KB`);
  t.diagnostic(size);
  matchesGolden("render/clone-in-loop.diff.svg", svg);
});

test("flameSvg: output is deterministic", async () => {
  const tree = flameTree(await openProfile(BEFORE));
  assert.equal(flameSvg(tree), flameSvg(tree));
});

test("flameSvg: hostile frame names are escaped and the output stays well-formed", () => {
  const hostile = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "]]>", `"double" & 'single'`, "nul\u0000esc\u001b[31mbell\u0007", "lone\ud800surrogate", "<![CDATA[x]]>", "&amp;"];
  const tree = handTree(
    hostile.map((name, k) => [["main", name], 10 + k]),
    { module: "/lib/<evil>&\"'.so", file: "src/<x>.rs", line: 7 },
  );
  const svg = flameSvg(tree, { title: "</title><script>alert(2)</script>" });
  assertSafeSvg(svg);
  assert.ok(!/<img/i.test(svg), "an <img element leaked");
  assert.ok(!/<script/i.test(svg), "a <script element leaked");
  assert.ok(!svg.includes("]]>"), "a raw ]]> leaked");
  assert.ok(!svg.includes("\u0000") && !svg.includes("\u001b") && !svg.includes("\u0007"), "control characters leaked");
  assert.ok(svg.includes("&lt;img src=x onerror=alert(1)&gt;"), "the name is shown, escaped");
  assert.ok(svg.includes("&quot;double&quot; &amp; &apos;single&apos;"));
  assert.ok(svg.includes("&amp;amp;"), "an ampersand in a name is escaped again, not passed as an entity");
  const f = frameNamed(svg, "nulesc[31mbell");
  assert.match(f.title, /\n\/lib\/<evil>&"'\.so\nsrc\/<x>\.rs:7$/, "module and file:line in the tooltip");
  assert.equal(frameNamed(svg, "lonesurrogate").title.split("\n")[0], "lonesurrogate (self 15, total 15, 13.89%)");
});

test("escapeXml: the five XML specials and control characters", () => {
  assert.equal(escapeXml(`<a href="x">&'\u0000\u0085`), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  assert.equal(escapeXml("line\nbreak"), "line\nbreak", "newlines separate tooltip lines");
});

test("flameSvg: frames under minWidth are pruned, titles keep their full totals", async () => {
  const lines = ["main;big 100000", ...Array.from({ length: 5000 }, (_, k) => `main;many;leaf${k} 1`)];
  const tree = flameTree(await folded(lines));
  const svg = flameSvg(tree);
  assertSafeSvg(svg);
  const frames = drawnFrames(svg);
  assert.deepEqual(
    frames.map((f) => f.title.split(" (")[0]),
    ["all", "main", "big", "many"],
    "only the root, main, big and many are wide enough",
  );
  assert.equal(frameNamed(svg, "many").title, "many (self 0, total 5,000, 4.76%)", "many's total still counts its pruned leaves");
  assert.ok(bytes(svg) < 5 * KB, `pruned SVG is ${bytes(svg)} bytes`);
  assert.match(svg, /5000 frames narrower than 0\.1% of the total not drawn/);
  const all = flameSvg(tree, { minWidth: 0, maxFrames: 1e7 });
  assert.equal(drawnFrames(all).length, tree.nodes.frame.length, "minWidth 0 without a frame cap draws every frame");
  const capped = flameSvg(tree, { minWidth: 0 });
  assert.equal(drawnFrames(capped).length, 4, "the default cap of 450 frames raises the threshold past the 5000 equal leaves");
  assert.equal(drawnFrames(flameSvg(tree, { minWidth: 0.5 })).length, 3, "root, main, big");
});

test("flameSvg: a 10k-node tree stays about 100 KB: the width threshold rises to keep maxFrames", () => {
  const tree = flameTree(syntheticProfile(10_000, 3), { timeline: false });
  const svg = flameSvg(tree);
  assertSafeSvg(svg);
  const n = drawnFrames(svg).length;
  assert.ok(n <= 450 && n > 300, `${n} frames drawn`);
  assert.ok(bytes(svg) < 110 * KB, `10k-node SVG is ${bytes(svg)} bytes`);
  const m = /(\d+) frames narrower than ([\d.]+)% of the total not drawn/.exec(svg);
  assert.ok(m && Number(m[1]) === tree.nodes.frame.length - n && Number(m[2]) > 0.1, m?.[0]);
  assert.equal(drawnFrames(flameSvg(tree, { maxFrames: 100 })).length <= 100, true);
});

test("flameSvg: flame puts the root at the bottom, icicle at the top", async () => {
  const tree = flameTree(await folded(["a;b;c 3", "a;d 1"]));
  const flame = flameSvg(tree);
  const icicle = flameSvg(tree, { layout: "icicle" });
  const top = 2 * 12 + 30;
  const ys = (svg: string) => Object.fromEntries(drawnFrames(svg).map((f) => [f.title.split(" (")[0], f.y]));
  assert.deepEqual(ys(icicle), { all: top, a: top + 16, b: top + 32, c: top + 48, d: top + 32 });
  assert.deepEqual(ys(flame), { all: top + 48, a: top + 32, b: top + 16, c: top, d: top + 16 });
  const d = frameNamed(flame, "d");
  const b = frameNamed(flame, "b");
  assert.equal(b.x, 10, "b starts at the left edge (siblings sorted by name)");
  assert.equal(d.x, 10 + 1180 * 0.75, "d follows b");
  assert.equal(d.width, 1180 * 0.25);
  assert.equal(flameSvg(tree, { frameHeight: 20, width: 600 }).includes('height="19"'), true);
});

test("flameSvg: labels are cut with '..' to fit and left out when too narrow", async () => {
  const long = "wordfreq::a_rather_long_function_name_that_cannot_fit";
  const tree = flameTree(await folded([`main;${long} 20`, "main;x::tiny 1", "main;wordfreq::fits 200"]));
  const svg = flameSvg(tree, { width: 400 });
  const f = frameNamed(svg, long);
  assert.ok(f.label.endsWith("..") && long.startsWith(f.label.slice(0, -2)), `label ${f.label}`);
  assert.ok(f.label.length * 12 * 0.6 <= f.width - 6 + 1e-9, "the label fits the estimated width");
  assert.equal(frameNamed(svg, "x::tiny").label, "", "a 1.7px frame gets no label");
  assert.equal(frameNamed(svg, "wordfreq::fits").label, "wordfreq::fits");
});

test("flameSvg: dark theme changes the background and text, keeps frame fills", async () => {
  const tree = flameTree(await openProfile(BEFORE));
  const light = flameSvg(tree);
  const dark = flameSvg(tree, { theme: "dark" });
  assertSafeSvg(dark);
  assert.match(light, /<rect width="100%" height="100%" fill="#ffffff"\/>/);
  assert.match(dark, /<rect width="100%" height="100%" fill="#1e1e22"\/>/);
  assert.match(dark, /text\{[^}]*fill:#e6e6e6\}/, "light text on the dark background");
  const scope = (svg: string) => /class="(fb\w+)"/.exec(svg)![1];
  assert.notEqual(scope(light), scope(dark), "different styles get different scope classes");
  assert.deepEqual(drawnFrames(dark).map((f) => f.fill), drawnFrames(light).map((f) => f.fill));
});

test("flameSvg: plain trees are coloured by category, deterministically per name", async () => {
  const tree = flameTree(await openProfile(BEFORE));
  const svg = flameSvg(tree);
  const user = rgb(frameNamed(svg, "wordfreq::process::process").fill);
  const std = rgb(frameNamed(svg, "std::rt::lang_start_internal").fill);
  const c = rgb(frameNamed(svg, "__libc_start_call_main").fill);
  assert.ok(user[0] >= 200 && user[1] === user[2], `user crate red, got ${user}`);
  assert.ok(std[0] >= 190 && std[2] === 0 && std[1] < std[0], `std orange, got ${std}`);
  assert.ok(c[0] === c[1] && c[2] < c[0], `C yellow, got ${c}`);
  for (const label of ["your crates", "std / core / alloc", "C / C++"]) assert.ok(svg.includes(`>${label}</text>`), `legend ${label}`);
  assert.ok(!svg.includes(">kernel</text>"), "no legend entry for a category not drawn");
  const fills = new Map<string, string>();
  for (const f of drawnFrames(svg)) {
    const name = f.title.split(" (")[0]!;
    assert.equal(fills.get(name) ?? f.fill, f.fill, `${name} keeps one colour`);
    fills.set(name, f.fill);
  }
  assert.equal(frameCategory("<u64>::_fmt", "rust"), "std");
  assert.equal(frameCategory("<T as alloc::string::ToString>::to_string", "rust"), "std");
  assert.equal(frameCategory("wordfreq::main", "rust"), "user");
  assert.equal(frameCategory("clear_page_erms", "kernel"), "kernel");
});

test("flameSvg: diff frames are red when they grew, blue when they shrank, grey within noise", async () => {
  const before = await folded(["main;grew 10", "main;shrank 50", "main;noise 40"]);
  const after = await folded(["main;grew 50", "main;shrank 10", "main;noise 30"]);
  const d = diffFlameTree(before, after);
  const sig = Uint8Array.from(d.nodes.frame, (f) => (d.strings[d.frames.name[f]!] === "noise" ? 0 : 1));
  const svg = flameSvg({ ...d, diff: { ...d.diff!, sig } });
  assertSafeSvg(svg);
  const [gr, gg, gb] = rgb(frameNamed(svg, "grew").fill);
  const [sr, sg, sb] = rgb(frameNamed(svg, "shrank").fill);
  const [nr, ng, nb] = rgb(frameNamed(svg, "noise").fill);
  assert.ok(gr === 255 && gg < 200 && gg === gb, `grew is red, got ${[gr, gg, gb]}`);
  assert.ok(sb === 255 && sr < 200 && sr === sg, `shrank is blue, got ${[sr, sg, sb]}`);
  assert.ok(nr === ng && ng === nb, `noise is grey, got ${[nr, ng, nb]}`);
  assert.equal(frameNamed(svg, "grew").title, "grew\nbefore: total 10 (10.00%), self 10\nafter: total 50 (55.56%), self 50\nchange: +40, +45.56pp of the total, significant");
  assert.match(svg, /deeper = larger change in share of each side&apos;s total \(proportional\)/);
  assert.match(flameSvg(d, { diffMode: "absolute" }), /deeper = larger change in samples \(absolute\)/);
});

test("flameSvg: proportional mode compares shares, absolute mode compares weights", async () => {
  // after ran twice as long: every frame doubled, so no share changed
  const d = diffFlameTree(await folded(["main;a 30", "main;b 10"]), await folded(["main;a 60", "main;b 20"]));
  const tree = { ...d, diff: { ...d.diff!, sig: new Uint8Array(d.nodes.frame.length).fill(1) } };
  const prop = flameSvg(tree, { diffMode: "proportional" });
  const abs = flameSvg(tree, { diffMode: "absolute" });
  const grey = (hex: string) => new Set(rgb(hex)).size === 1;
  assert.ok(grey(frameNamed(prop, "a").fill), "no change in share: grey");
  assert.ok(!grey(frameNamed(abs, "a").fill) && rgb(frameNamed(abs, "a").fill)[0] === 255, "doubled weight: red");
  assert.ok(rgb(frameNamed(abs, "a").fill)[1] < rgb(frameNamed(abs, "b").fill)[1], "a grew more than b: deeper red");
});

test("flameSvg: diff widths show vanished frames by default ('union'), not with 'after'", async () => {
  const d = diffFlameTree(await openProfile(BEFORE), await openProfile(AFTER));
  const union = flameSvg(d);
  const after = flameSvg(d, { diffWidth: "after" });
  const toString = "<T as alloc::string::ToString>::to_string";
  const gone = frameNamed(union, toString);
  assert.ok(rgb(gone.fill)[2] === 255 && rgb(gone.fill)[0] < 150, `to_string vanished: deep blue, got ${gone.fill}`);
  assert.match(gone.title, /\nbefore: total 30\.1 ms \(50\.00%\), self 0 ns\nafter: total 0 ns \(0\.00%\), self 0 ns\nchange: -30\.1 ms, -50\.00pp of the total, significant/);
  assert.ok(!drawnFrames(after).some((f) => f.title.startsWith(`${toString}\n`)), "with after widths a vanished frame has no width");
  const grown = frameNamed(union, "core::fmt::Write::write_fmt");
  assert.equal(rgb(grown.fill)[0], 255, "write_fmt appeared: red");
  assert.match(after, /widths: after/);
});

test("flameSvg: options are checked", async () => {
  const tree = flameTree(await folded(["a 1"]));
  assert.throws(() => flameSvg(tree, { minWidth: 2 }), /minWidth must be a number from 0 to 1, got 2/);
  assert.throws(() => flameSvg(tree, { width: Number.NaN }), /width/);
  assert.throws(() => flameSvg(tree, { layout: "sideways" as "flame" }), /layout must be one of "flame", "icicle"/);
});

test("flameSvg: an empty profile gives a small valid SVG", async () => {
  const tree = handTree([]);
  const svg = flameSvg(tree);
  assertSafeSvg(svg);
  assert.equal(drawnFrames(svg).length, 0);
});
