// `flamebook collapse --compat perl|inferno`: the reference collapsers' rules, checked here on
// inputs written for each rule; the byte-for-byte comparison with their own test suites is the
// local conformance run in bench/conformance.ts (bench/RESULTS.md).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { PeerCollapser, perlEvent, perlHeader, perlStack, type PeerCollapseOptions } from "../../src/samples/perf/peer-collapse.js";
import { lineFeeder } from "../../src/samples/read-lines.js";

const fold = (text: string | Buffer, opts: PeerCollapseOptions): string => {
  const feed = lineFeeder(new PeerCollapser(opts));
  feed.write(text);
  const r = feed.end();
  return r.output.toString(opts.dialect === "perl" ? "latin1" : "utf8");
};

// The Perl script's patterns, for comparison on short inputs (where backtracking is cheap).
const PERL_HEADER = /^([^ \t\n\r\f\v][^\n]+?)[ \t\n\r\f\v]+(\d+)\/*(\d+)*[ \t\n\r\f\v]+/;
const PERL_EVENT = /:[ \t\n\r\f\v]*(\d+)*[ \t\n\r\f\v]+([^ \t\n\r\f\v]+):[ \t\n\r\f\v]*$/;
const PERL_STACK = /^[ \t\n\r\f\v]*(\w+)[ \t\n\r\f\v]*([^\n]+) \(([^\n]*)\)/;
const alphabet = fc.constantFrom(" ", "\t", ":", "/", "(", ")", "1", "2", "a", "b", "_", ".", "[", "x", "+");
const short = fc.array(alphabet, { maxLength: 24 }).map((cs) => cs.join(""));

test("perlHeader, perlEvent, perlStack: the same answers as the Perl script's patterns", () => {
  fc.assert(
    fc.property(short, (line) => {
      const h = PERL_HEADER.exec(line);
      assert.deepEqual(perlHeader(line), h ? [h[1], h[2], h[3] ?? ""] : null, JSON.stringify(line));
      const e = PERL_EVENT.exec(line);
      assert.deepEqual(perlEvent(line), e ? [e[1] ?? "", e[2]] : null, JSON.stringify(line));
      const s = PERL_STACK.exec(line);
      assert.deepEqual(perlStack(line), s ? [s[1], s[2], s[3]] : null, JSON.stringify(line));
    }),
    { numRuns: 50_000, seed: 17 },
  );
});

test("perlHeader, perlEvent, perlStack: linear on long lines where a backtracking pattern would hang", () => {
  const long = "a " + "1".repeat(200_000) + "x" + " :(".repeat(50_000) + ": a:a".repeat(20_000);
  const t0 = performance.now();
  perlHeader(long);
  perlEvent(long);
  perlStack(long);
  assert.ok(performance.now() - t0 < 1000);
});

const PERF = [
  "# cmdline : /usr/bin/perf record -g ./app",
  "my app 12/34 [001] 10.000: 250 cycles: ",
  "\t401000 work+0x1f (/opt/app/bin/app)",
  "\tffffffff8104f45a native_write_msr ([kernel.kallsyms])",
  "\t7f1234 [unknown] (/usr/lib/libc.so.6)",
  "\t7f1234 Lcom/x/Y;::run->Lcom/x/Z;::inner+0x4 (/tmp/perf-12.map)",
  "\t400000 \"quoted\" (std::string) const (/opt/app/bin/app)",
  "",
  "my app 12/34 [001] 10.001: 100 instructions: ",
  "\t401000 other (/opt/app/bin/app)",
  "",
  "java 7 10.002: 5 cycles: ",
  "\t7f1 Ljava/lang/Thread;::run (/tmp/perf-7.map)",
  "\t7f2 [unknown] ([unknown])",
].join("\n");

test("PeerCollapser perl: stackcollapse-perf.pl's names, annotations, event filter, and the dropped last record", () => {
  // (what stackcollapse-perf.pl printed for this input: names cut at "(" keep the space before it)
  assert.equal(fold(PERF + "\n", { dialect: "perl", all: true, tid: true }), "my_app-12/34;quoted ;Lcom/x/Y:::run_[j];Lcom/x/Z:::inner_[i];[libc.so.6];native_write_msr_[k];work 250\n");
  // with a blank line after it, the last record is kept: java's L prefix dropped, [unknown] stays
  assert.equal(fold(PERF + "\n\n", { dialect: "perl", pid: true }).split("\n")[0], "java-?;[unknown];java/lang/Thread:::run 5");
});

test("PeerCollapser inferno: inferno-collapse-perf's names, its `[unknown]`, and the last record kept", () => {
  const out = fold(PERF + "\n", { dialect: "inferno", all: true, tid: true });
  assert.equal(
    out,
    [
      "java-?/7;[unknown];java/lang/Thread:::run_[j] 5",
      'my_app-12/34;"quoted" ;Lcom/x/Y:::run_[j];Lcom/x/Z:::inner_[i];[libc.so.6];native_write_msr_[k];work 250',
      "",
    ].join("\n"),
  );
});

test("PeerCollapser: Perl reads bytes, inferno UTF-8 with replacement; both sort by bytes", () => {
  const bytes = Buffer.concat([Buffer.from("app 1 1.0: 1 cycles:\n\t1 f\u00e9 (/x)\n\n"), Buffer.from([0x61, 0x70, 0x70, 0x20, 0x31, 0x20, 0x31, 0x2e, 0x30, 0x3a, 0x20, 0x31, 0x20, 0x63, 0x79, 0x63, 0x6c, 0x65, 0x73, 0x3a, 0x0a, 0x09, 0x32, 0x20, 0xff, 0x20, 0x28, 0x2f, 0x78, 0x29, 0x0a, 0x0a])]);
  const perl = new PeerCollapser({ dialect: "perl" });
  const feed = lineFeeder(perl);
  feed.write(bytes);
  assert.deepEqual(feed.end().output, Buffer.concat([Buffer.from("app;f\u00e9 1\napp;"), Buffer.from([0xff]), Buffer.from(" 1\n")]));
  assert.equal(fold(bytes, { dialect: "inferno" }), "app;f\u00e9 1\napp;\ufffd 1\n");
});

test("PeerCollapser inferno: a half-demangled Rust name with a hash is fixed the way inferno fixes it", () => {
  const t = "rg 1 1.0: 1 cycles:\n\t1 rg::main::_$u7b$$u7b$closure$u7d$$u7d$::h6e849b55a66fcd85 (/x)\n\t2 _$LT$std..fs..File$u20$as$u20$std..io..Read$GT$::read::h5d84059cf335c8e6 (/x)\n\n";
  assert.equal(fold(t, { dialect: "inferno" }), "rg;<std::fs::File as std::io::Read>::read;rg::main::_{{closure}} 1\n");
  assert.equal(fold(t, { dialect: "perl" }), "rg;_$LT$std..fs..File$u20$as$u20$std..io..Read$GT$::read::h5d84059cf335c8e6;rg::main::_$u7b$$u7b$closure$u7d$$u7d$::h6e849b55a66fcd85 1\n");
});
