// demangleRust (src/model/rust-demangle.ts): Rust's legacy and v0 manglings, checked against GNU
// c++filt on every Rust symbol of real binaries (a grammar-covering program built here with rustc,
// and the toolchain's own libraries), against the outputs rustc-demangle documents, and with
// random and mutated symbols.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import fc from "fast-check";
import { run } from "../../src/exec/index.js";
import { demangleRust } from "../../src/model/rust-demangle.js";
import { MAX_DEMANGLED_LENGTH } from "../../src/model/rust-demangle-v0.js";
import { cleanRustName } from "../../src/model/rust-names.js";
import { fixture, fixtureText } from "../helpers/golden.js";

const short = (s: string) => demangleRust(s, { hashes: false });

// [symbol, c++filt 2.40's output, the hash-free form]: symbols rustc 1.95 emitted for
// test/fixtures/rust-demangle/grammar.rs and std.
const REAL: [string, string, string][] = [
  ["_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc", "alloc[fdfd2bd8633a6659]::alloc::realloc", "alloc::alloc::realloc"],
  ["_RNvMNtCslNYArtu3iFV_5alloc5allocNtB2_6Global9grow_impl", "<alloc[fdfd2bd8633a6659]::alloc::Global>::grow_impl", "<alloc::alloc::Global>::grow_impl"],
  [
    "_RNvXNtNtNtCsjrHSEGnQ3l9_3std3sys5alloc4unixNtNtB8_5alloc6SystemNtNtNtCsgEmfK2I1SDS_4core5alloc6global11GlobalAlloc7realloc",
    "<std[e28293b1aa0f68bd]::alloc::System as core[c1f1a4ba060b9bfa]::alloc::global::GlobalAlloc>::realloc",
    "<std::alloc::System as core::alloc::global::GlobalAlloc>::realloc",
  ],
  [
    "_RNvYNtNtCslNYArtu3iFV_5alloc6string6StringNtNtCsgEmfK2I1SDS_4core3fmt5Write9write_fmtB6_",
    "<alloc[fdfd2bd8633a6659]::string::String as core[c1f1a4ba060b9bfa]::fmt::Write>::write_fmt",
    "<alloc::string::String as core::fmt::Write>::write_fmt",
  ],
  ["_RNCNCNvCseQFeSj7frgR_7grammar12make_closure00B5_", "grammar[acf5e9343314e79b]::make_closure::{closure#0}::{closure#0}", "grammar::make_closure::{closure#0}::{closure#0}"],
  [
    "_RNSNvYNCINvMs0_NtNtCsjrHSEGnQ3l9_3std4sync4onceNtBd_4Once9call_onceNCNvNtBh_2rt7cleanup0E0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceTRNtBd_9OnceStateEE9call_once6vtableBh_",
    "<<std[e28293b1aa0f68bd]::sync::once::Once>::call_once<std[e28293b1aa0f68bd]::rt::cleanup::{closure#0}>::{closure#0} as core[c1f1a4ba060b9bfa]::ops::function::FnOnce<(&std[e28293b1aa0f68bd]::sync::once::OnceState,)>>::call_once::{shim:vtable#0}",
    "<<std::sync::once::Once>::call_once<std::rt::cleanup::{closure#0}>::{closure#0} as core::ops::function::FnOnce<(&std::sync::once::OnceState,)>>::call_once::{shim:vtable#0}",
  ],
  // Punycode identifiers
  ["_RNvCseQFeSj7frgR_7grammaru9gre_6ka8i", "grammar[acf5e9343314e79b]::größe", "grammar::größe"],
  ["_RNvNtCseQFeSj7frgR_7grammaru7gfs105bu11nave_fn_pza", "grammar[acf5e9343314e79b]::模块::naïve_fn", "grammar::模块::naïve_fn"],
  ["_RNvMNtCseQFeSj7frgR_7grammaru7gfs105bNtB2_u9w_uga1v4h3run", "<grammar[acf5e9343314e79b]::模块::Żółw>::run", "<grammar::模块::Żółw>::run"],
  // const generics
  ["_RINvCseQFeSj7frgR_7grammar3negKln80000000_EB2_", "grammar[acf5e9343314e79b]::neg::<-2147483648: i32>", "grammar::neg::<-2147483648>"],
  ["_RINvCseQFeSj7frgR_7grammar5smallKan80_EB2_", "grammar[acf5e9343314e79b]::small::<-128: i8>", "grammar::small::<-128>"],
  ["_RINvCseQFeSj7frgR_7grammar3bigKo1234_EB2_", "grammar[acf5e9343314e79b]::big::<4660: u128>", "grammar::big::<4660>"],
  ["_RINvCseQFeSj7frgR_7grammar4flagKb1_EB2_", "grammar[acf5e9343314e79b]::flag::<true: bool>", "grammar::flag::<true>"],
  ["_RINvCseQFeSj7frgR_7grammar6letterKc78_EB2_", "grammar[acf5e9343314e79b]::letter::<'x': char>", "grammar::letter::<'x'>"],
  ["_RINvCseQFeSj7frgR_7grammar6letterKca_EB2_", "grammar[acf5e9343314e79b]::letter::<'\\n': char>", "grammar::letter::<'\\n'>"],
  ["_RINvCseQFeSj7frgR_7grammar6letterKce9_EB2_", "grammar[acf5e9343314e79b]::letter::<'\\u{e9}': char>", "grammar::letter::<'é'>"],
  ["_RINvCseQFeSj7frgR_7grammar6letterKc27_EB2_", "grammar[acf5e9343314e79b]::letter::<''': char>", "grammar::letter::<'\\''>"],
  ["_RNvMs5_CseQFeSj7frgR_7grammarINtB5_4WrapKj7_Kc71_E3getB5_", "<grammar[acf5e9343314e79b]::Wrap<7: usize, 'q': char>>::get", "<grammar::Wrap<7, 'q'>>::get"],
  // types
  ["_RINvCseQFeSj7frgR_7grammar5probeAAhj2_j3_EB2_", "grammar[acf5e9343314e79b]::probe::<[[u8; 2: usize]; 3: usize]>", "grammar::probe::<[[u8; 2]; 3]>"],
  ["_RINvCseQFeSj7frgR_7grammar5probeSQShEB2_", "grammar[acf5e9343314e79b]::probe::<[&mut [u8]]>", "grammar::probe::<[&mut [u8]]>"],
  ["_RINvCseQFeSj7frgR_7grammar5probeTnofdcbReEEB2_", "grammar[acf5e9343314e79b]::probe::<(i128, u128, f32, f64, char, bool, &str)>", "grammar::probe::<(i128, u128, f32, f64, char, bool, &str)>"],
  ["_RINvCseQFeSj7frgR_7grammar5probeFEzEB2_", "grammar[acf5e9343314e79b]::probe::<fn() -> !>", "grammar::probe::<fn() -> !>"],
  ["_RINvCseQFeSj7frgR_7grammar5probeFUKClvElEB2_", 'grammar[acf5e9343314e79b]::probe::<unsafe extern "C" fn(i32, ...) -> i32>', 'grammar::probe::<unsafe extern "C" fn(i32, ...) -> i32>'],
  ["_RINvCseQFeSj7frgR_7grammar5probeFK8C_unwindlEuEB2_", 'grammar[acf5e9343314e79b]::probe::<extern "C-unwind" fn(i32)>', 'grammar::probe::<extern "C-unwind" fn(i32)>'],
  ["_RINvCseQFeSj7frgR_7grammar5probeFG0_RL1_hQL0_tERL1_hEB2_", "grammar[acf5e9343314e79b]::probe::<for<'a, 'b> fn(&'a u8, &'b mut u16) -> &'a u8>", "grammar::probe::<for<'a, 'b> fn(&'a u8, &'b mut u16) -> &'a u8>"],
  [
    "_RINvCseQFeSj7frgR_7grammar5probeDG_INtNtNtCsgEmfK2I1SDS_4core3ops8function2FnTRL0_eEEp6OutputRL0_eEL_EB2_",
    "grammar[acf5e9343314e79b]::probe::<dyn for<'a> core[c1f1a4ba060b9bfa]::ops::function::Fn<(&'a str,), Output = &'a str>>",
    "grammar::probe::<dyn for<'a> core::ops::function::Fn<(&'a str,), Output = &'a str>>",
  ],
  [
    "_RINvCseQFeSj7frgR_7grammar5probePDNtNtNtNtCsgEmfK2I1SDS_4core4iter6traits8iterator8Iteratorp4ItemThaEEL_EB2_",
    "grammar[acf5e9343314e79b]::probe::<*const dyn core[c1f1a4ba060b9bfa]::iter::traits::iterator::Iterator<Item = (u8, i8)>>",
    "grammar::probe::<*const dyn core::iter::traits::iterator::Iterator<Item = (u8, i8)>>",
  ],
  ["_RNvXs4_CseQFeSj7frgR_7grammarPSxNtB5_5Speak5speak", "<*const [i64] as grammar[acf5e9343314e79b]::Speak>::speak", "<*const [i64] as grammar::Speak>::speak"],
  ["_RNvMNtNtCsgEmfK2I1SDS_4core3ptr9const_ptrPu13is_aligned_toCseQFeSj7frgR_7grammar", "<*const ()>::is_aligned_to", "<*const ()>::is_aligned_to"],
  [
    "_RINvYINtNtNtCsgEmfK2I1SDS_4core5slice4iter4IterhENtNtNtNtBa_4iter6traits8iterator8Iterator3mapjNCINvCseQFeSj7frgR_7grammar3arrKj3_E0EB1A_",
    "<core[c1f1a4ba060b9bfa]::slice::iter::Iter<u8> as core[c1f1a4ba060b9bfa]::iter::traits::iterator::Iterator>::map::<usize, grammar[acf5e9343314e79b]::arr<3: usize>::{closure#0}>",
    "<core::slice::iter::Iter<u8> as core::iter::traits::iterator::Iterator>::map::<usize, grammar::arr<3>::{closure#0}>",
  ],
  // legacy
  ["_ZN8wordfreq4main17h1b57d1bf1794a36eE", "wordfreq::main::h1b57d1bf1794a36e", "wordfreq::main"],
  ["_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h18308fe9c97386ddE", "std::rt::lang_start::{{closure}}::h18308fe9c97386dd", "std::rt::lang_start::{{closure}}"],
  [
    "_ZN119_$LT$$RF$dyn$u20$core..ops..function..Fn$LT$$LP$u8$C$$RP$$GT$$u2b$Output$u20$$u3d$$u20$u8$u20$as$u20$grammar..Speak$GT$5speak17h6d7e811665cb69ebE",
    "<&dyn core::ops::function::Fn<(u8,)>+Output = u8 as grammar::Speak>::speak::h6d7e811665cb69eb",
    "<&dyn core::ops::function::Fn<(u8,)>+Output = u8 as grammar::Speak>::speak",
  ],
  ["_ZN64_$LT$fn$LP$u8$RP$$u20$.$GT$$u20$u8$u20$as$u20$grammar..Speak$GT$5speak17hd968678633ef36f3E", "<fn(u8) .> u8 as grammar::Speak>::speak::hd968678633ef36f3", "<fn(u8) .> u8 as grammar::Speak>::speak"],
  // ThinLTO's `.llvm.<HEX>` is dropped
  ["_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc.llvm.16017155932128434005", "alloc[fdfd2bd8633a6659]::alloc::realloc", "alloc::alloc::realloc"],
  ["_ZN3foo3bar17h0123456789abcdefE.llvm.9D1C9369", "foo::bar::h0123456789abcdef", "foo::bar"],
];

test("demangleRust: real legacy and v0 symbols print as c++filt does, and without hashes as flamebook shows them", () => {
  for (const [sym, cxxfilt, hashFree] of REAL) {
    assert.equal(demangleRust(sym), cxxfilt, sym);
    assert.equal(short(sym), hashFree, sym);
    assert.equal(demangleRust(sym, { hashes: true }), cxxfilt, "hashes: true is the default");
  }
});

test("demangleRust: the outputs rustc-demangle documents, without hashes", () => {
  const cases: [string, string][] = [
    ["_RNvC6_123foo3bar", "123foo::bar"],
    ["_RC4f128", "f128"],
    ["_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y", "utf8_idents::საჭმელად_გემრიელი_სადილი"],
    ["_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_", "cc::spawn::{closure#0}::{closure#0}"],
    [
      "_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_",
      "<core::slice::Iter<u8> as core::iter::iterator::Iterator>::rposition::<core::slice::memchr::memrchr::{closure#1}>::{closure#0}",
    ],
    ["_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std", "alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>"],
    ["_RMC0DNtC5krate5Traitp1NKj0_EL_", "<dyn krate::Trait<N = 0>>"],
    ["_RMC0WmRm1_m9_", "<u32 is 1..=9>"],
    ["_RMC0WmORm1_m2_Rm5_m6_E", "<u32 is 1..=2 | 5..=6>"],
    ["_RMC0INtC8arrayvec8ArrayVechKj7b_E", "<arrayvec::ArrayVec<u8, 123>>"],
    ["_RIC0KpE", "::<_>"],
    ["_RIC0Koff00ff00ff00ff00ff_E", "::<0xff00ff00ff00ff00ff>"],
    ["_RIC0Ks98_E", "::<152>"],
    ["_RIC0Kanb_E", "::<-11>"],
    ["_RIC0Kb0_E", "::<false>"],
    ["_RIC0Kc22_E", `::<'"'>`],
    ["_RIC0Kc2202_E", "::<'∂'>"],
    ["_RIC0Ke616263_E", '::<{*"abc"}>'],
    ["_RIC0Ke27_E", `::<{*"'"}>`],
    ["_RIC0Ke090a_E", '::<{*"\\t\\n"}>'],
    ["_RIC0Kee28882c3bc_E", '::<{*"∂ü"}>'],
    ["_RIC0KRe616263_E", '::<"abc">'],
    ["_RIC0KRpE", "::<{&_}>"],
    ["_RIC0KRRRh0_E", "::<{&&&0}>"],
    ["_RIC0KRRRe_E", '::<{&&""}>'],
    ["_RIC0KQAEE", "::<{&mut []}>"],
    ["_RIC0KAh1_h2_h3_EE", "::<{[1, 2, 3]}>"],
    ["_RIC0KAAh1_h2_EAh3_h4_EEE", "::<{[[1, 2], [3, 4]]}>"],
    ["_RIC0KTEE", "::<{()}>"],
    ["_RIC0KTj0_EE", "::<{(0,)}>"],
    ["_RIC0KTRe616263_c78_RAh1_h2_h3_EEE", `::<{("abc", 'x', &[1, 2, 3])}>`],
    ["_RIC0KVNvINtNtC4core6option6OptionjE4NoneUE", "::<{core::option::Option::<usize>::None}>"],
    ["_RIC0KVNvINtNtC4core6option6OptionjE4SomeTj0_EE", "::<{core::option::Option::<usize>::Some(0)}>"],
    ["_RIC0KVNtC3foo3BarS1sRe616263_2chc78_5sliceRAh1_h2_h3_EEE", `::<{foo::Bar { s: "abc", ch: 'x', slice: &[1, 2, 3] }}>`],
    ["_RC3foo.llvm.9D1C9369", "foo"],
    ["_RC3foo.llvm.9D1C9369@@16", "foo"],
    ["_RNvNtNtNtNtCs92dm3009vxr_4rand4rngs7adapter9reseeding4fork23FORK_HANDLER_REGISTERED.0.0", "rand::rngs::adapter::reseeding::fork::FORK_HANDLER_REGISTERED.0.0"],
    // legacy
    ["_ZN3foo17h05af221e174051e9E", "foo"],
    ["_ZN3foo20h05af221e174051e9abcE", "foo"],
    ["_ZN3foo5h05afE", "foo"],
    ["_ZN17h05af221e174051e93fooE", "h05af221e174051e9::foo"],
    ["_ZN3foo16ffaf221e174051e9E", "foo::ffaf221e174051e9"],
    ["_ZN3foo17hg5af221e174051e9E", "foo::hg5af221e174051e9"],
    [
      "_ZN4core5slice77_$LT$impl$u20$core..ops..index..IndexMut$LT$I$GT$$u20$for$u20$$u5b$T$u5d$$GT$9index_mut17haf9727c2edfbc47bE.exit.i.i",
      "core::slice::<impl core::ops::index::IndexMut<I> for [T]>::index_mut.exit.i.i",
    ],
  ];
  for (const [sym, want] of cases) assert.equal(short(sym), want, sym);
});

test("demangleRust: legacy escapes, the Windows and macOS prefixes, hashes kept by default", () => {
  const cases: [string, string][] = [
    ["_ZN4testE", "test"],
    ["_ZN4test1a2bcE", "test::a::bc"],
    ["_ZN4$RP$E", ")"],
    ["_ZN8$RF$testE", "&test"],
    ["_ZN8$BP$test4foobE", "*test::foob"],
    ["_ZN9$u20$test4foobE", " test::foob"],
    ["_ZN35Bar$LT$$u5b$u32$u3b$$u20$4$u5d$$GT$E", "Bar<[u32; 4]>"],
    ["_ZN13_$LT$test$GT$E", "<test>"],
    ["_ZN28_$u7b$$u7b$closure$u7d$$u7d$E", "{{closure}}"],
    ["_ZN15__STATIC_FMTSTRE", "__STATIC_FMTSTR"],
    ["_ZN7grammar13gr$uf6$$udf$e17hcb989658abe37cdfE", "grammar::größe::hcb989658abe37cdf"], // c++filt 2.40 leaves `$uf6$`
    ["_ZN4test4$u0$E", "test::$u0$"], // a control character: the rest is printed as it is
    ["_ZN4test8$LT$$XX$E", "test::<$XX$"],
    ["__ZN38_$LT$core..option..Option$LT$T$GT$$GT$6unwrap18_MSG_FILE_LINE_COL17haf7cb8d5824ee659E", "<core::option::Option<T>>::unwrap::_MSG_FILE_LINE_COL::haf7cb8d5824ee659"],
    ["ZN13test$u20$test4foobE", "test test::foob"],
    ["__RNvC3foo3bar", "foo[0]::bar"],
    ["RNvC3foo3bar", "foo[0]::bar"],
  ];
  for (const [sym, want] of cases) assert.equal(demangleRust(sym), want, sym);
});

test("demangleRust: null for what is not a Rust symbol or is malformed", () => {
  for (const sym of [
    "",
    "main",
    "test",
    "_ZN4test",
    "_ZNfooE",
    "_ZNE",
    "_ZN3fooE.llvm moocow",
    "_ZN3foo3barEv", // a C++ function: its parameters follow
    "_ZNSt6vectorIiSaIiEE9push_backERKi",
    "_ZN4test4\u00e9E",
    "_R",
    "R",
    "Rust",
    "RtlUserThreadStart",
    "_RNv",
    "_Rz",
    "_RC3fooX", // text after the path that is not a `.suffix`
    "_RNvC3foo3bar baz",
    "_RC3foo\u00e9",
    "_RNvNvB9_3foo3bar", // a backref must point backwards
    "_RNvB0_3bar", // … at a path
    "_RIC0Kb2_E", // bool consts are 0 or 1
    "_RIC0Kcd800_E", // a surrogate is not a char
    "_RIC0Ke6_E", // odd number of hex digits in a str
    "_RIC0Kec3_E", // invalid UTF-8
    "_RMC0FKu4grfeEu", // a Punycode ABI
    "_RMC0DNtC3foo3BarE", // dyn without its lifetime
    "_RMC0RL1_u", // a lifetime no binder introduced
    "_RNvC3foou0_", // Punycode without deltas
    "_RC0", // no name at all, only a disambiguator (c++filt: `[0]`)
    "_ZN17h0123456789abcdefE", // only a hash
  ]) {
    assert.equal(demangleRust(sym), null, sym);
    assert.equal(short(sym), null, sym);
  }
  assert.equal(demangleRust("_RNvC3foou3bAr"), "foo[0]::punycode{bAr}", "undecodable Punycode is shown raw, as rustc-demangle does");
  assert.equal(demangleRust("_RNvC3foou7abc_bAr"), "foo[0]::punycode{abc-bAr}");
});

test("demangleRust: nesting, backref explosions and output are bounded like rustc-demangle (500 levels, 1,000,000 characters)", () => {
  assert.equal(short("_RMC0" + "R".repeat(499) + "p"), "<" + "&".repeat(499) + "_>");
  assert.equal(short("_RMC0" + "R".repeat(500) + "p"), null);
  assert.equal(short("_RMC0" + "R".repeat(200_000) + "p"), null);
  assert.equal(short("_R" + "N".repeat(200_000)), null);
  // rustc-demangle's recursion-leak check: 2 × 500 siblings are fine, depth is given back
  for (const [leaf, shown] of [["p", "_"], ["Rp", "&_"], ["C1x", "x"]] as const) {
    assert.equal(short(`_RIC0p${leaf.repeat(1000)}E`), `::<_${`, ${shown}`.repeat(1000)}>`);
  }
  // a long chain hidden in an identifier and reached through a backref
  const depth = 100_000;
  const hidden = `_RIC${depth}${"R".repeat(depth)}B${base62(2 + String(depth).length)}E`; // to the first R
  assert.equal(short(hidden), null);
  // each backref doubles the output: 2^6 copies of `_` are fine, 2^30 are cut at the limit
  const explode = (levels: number) => {
    let s = "_RMC0" + "T".repeat(levels) + "p";
    for (let i = levels - 1; i >= 0; i--) s += `B${base62(3 + i + 1)}E`;
    return s;
  };
  assert.equal(short(explode(6))!.split("_").length - 1, 64);
  const started = performance.now();
  assert.equal(short(explode(30)), null);
  assert.equal(demangleRust(explode(30)), null);
  assert.ok(performance.now() - started < 5000, "cut at the output limit, quickly");
  // a binder that would bind 2^64 lifetimes
  assert.equal(demangleRust("_RMC0FGzzzzzzzzzzz_Eu"), null);
});

/** A backref or number as v0 writes it: `_` for 0, else base 62 of value − 1 and `_`. */
function base62(v: number): string {
  if (v === 0) return "_";
  const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let x = v - 1;
  let out = "";
  do {
    out = digits[x % 62] + out;
    x = Math.floor(x / 62);
  } while (x > 0);
  return out + "_";
}

test("cleanRustName: whole mangled symbols (and perf's +0x offset) become their short demangled form", () => {
  assert.equal(cleanRustName("_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc"), "alloc::alloc::realloc");
  assert.equal(cleanRustName("_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc+0x1f"), "alloc::alloc::realloc");
  assert.equal(cleanRustName("_ZN8wordfreq4main17h1b57d1bf1794a36eE"), "wordfreq::main");
  assert.equal(cleanRustName("_ZN8wordfreq4main17h1b57d1bf1794a36eE", { hashes: false }), "wordfreq::main::h1b57d1bf1794a36e");
  assert.equal(cleanRustName("_RNvNtCslNYArtu3iFV_5alloc5alloc7realloc", { hashes: false }), "alloc[fdfd2bd8633a6659]::alloc::realloc");
  assert.equal(cleanRustName("_RNCNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal0B5_", { closures: true }), "std::rt::lang_start_internal::{closure}");
  assert.equal(cleanRustName("_RINvNtCsjrHSEGnQ3l9_3std5panic12catch_unwindNCNvNtB4_2rt19lang_start_internal0iEB4_", { generics: true }), "std::panic::catch_unwind");
  // c++filt's output (perf with a v0 demangler, or a folded file made with it) is cleaned too
  for (const [sym, cxxfilt, hashFree] of REAL) {
    if (/'\\u\{|'''/.test(cxxfilt)) continue; // c++filt's char escapes are not Rust's
    assert.equal(cleanRustName(cxxfilt), hashFree, cxxfilt);
    assert.equal(cleanRustName(sym), hashFree, sym);
  }
  // names that only look like a mangled symbol are left as they are
  for (const name of ["RtlUserThreadStart", "Rc::new", "ZNfoo", "_RCold", "main+0x10", "operator[]", "int [16]"]) assert.equal(cleanRustName(name), name);
});

// ---- conformance with c++filt on real binaries ----

/** The first line `cmd args` prints, or null when it does not run. */
async function versionOf(cmd: string, args: string[]): Promise<string | null> {
  try {
    return (await run(cmd, args, { captureStdout: true, timeoutMs: 30_000 })).stdout.split("\n")[0]!;
  } catch {
    return null;
  }
}

/** Rust symbols (`_R…`, `_ZN…`) in a binary's symbol table, or its dynamic one. */
async function rustSymbols(file: string, dynamic: boolean): Promise<string[]> {
  const out = new Set<string>();
  await run("nm", dynamic ? ["-D", file] : [file], {
    timeoutMs: 120_000,
    onStdoutLine: (line) => {
      const name = line.slice(line.lastIndexOf(" ") + 1);
      if ((name.startsWith("_R") || name.startsWith("_ZN")) && !name.includes("@")) out.add(name);
    },
  });
  return [...out];
}

/**
 * Where demangleRust and c++filt 2.40 differ on purpose; null when `ours` is c++filt's output up
 * to one of them.
 */
function deviation(ours: string | null, cxxfilt: string): string | null {
  if (ours === null) return "rejected";
  if (ours === cxxfilt) return "same";
  // c++filt drops every `.suffix`; rustc-demangle keeps those other than `.llvm.<HEX>`
  if (ours.startsWith(cxxfilt) && ours[cxxfilt.length] === ".") return "suffix kept";
  // c++filt leaves legacy escapes of non-ASCII characters (`$uf6$`) undone
  if (cxxfilt.replace(/\$u([0-9a-f]+)\$/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16))) === ours) return "non-ASCII legacy escape";
  // c++filt prints integer consts wider than 64 bits one digit off (its first nibble dropped, `_` added)
  if (ours.replace(/0x[0-9a-f]([0-9a-f]*): /g, "0x$1_: ") === cxxfilt) return "u128 const";
  return null;
}

test("demangleRust: equals c++filt on every Rust symbol of real binaries (grammar.rs built with both manglings, the toolchain's libraries)", { timeout: 600_000 }, async (t: TestContext) => {
  const [cxxfilt, rustc, nm] = await Promise.all([versionOf("c++filt", ["--version"]), versionOf("rustc", ["--version"]), versionOf("nm", ["--version"])]);
  const missing = [!cxxfilt && "c++filt", !nm && "nm", !rustc && "rustc"].filter(Boolean);
  if (missing.length > 0) {
    assert.ok(!process.env["CI"], `${missing.join(", ")} must be installed in CI (binutils; rustc from rustup)`);
    t.skip(`${missing.join(", ")} not found (sudo apt install binutils; rustc from https://rustup.rs)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "flamebook-demangle-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const source = fixture("rust-demangle", "grammar.rs");
  const symbols = new Set<string>();
  const sources: string[] = [];
  for (const [name, mangling] of [["grammar-legacy", "legacy"], ["grammar-v0", "v0"]] as const) {
    const exe = join(dir, name);
    const flags = mangling === "v0" ? ["-C", "symbol-mangling-version=v0"] : [];
    await run("rustc", ["--edition", "2021", ...flags, source, "-o", exe], { timeoutMs: 300_000, stderrTailLines: 30 });
    const found = await rustSymbols(exe, false);
    found.forEach((s) => symbols.add(s));
    sources.push(`${name}: ${found.length}`);
  }
  // The toolchain's std (v0, static and dynamic symbols) and compiler (v0, exported symbols).
  const sysroot = (await run("rustc", ["--print", "sysroot"], { captureStdout: true })).stdout.trim();
  const libs: [string, boolean][] = [];
  for (const sub of ["lib", ...(existsSync(join(sysroot, "lib", "rustlib")) ? readdirSync(join(sysroot, "lib", "rustlib")).map((d) => join("lib", "rustlib", d, "lib")) : [])]) {
    const at = join(sysroot, sub);
    if (!existsSync(at)) continue;
    for (const f of readdirSync(at)) if (/^lib(std|rustc_driver)-[0-9a-f]+\.so$/.test(f)) libs.push([join(at, f), f.startsWith("librustc_driver")]);
  }
  for (const [lib, dynamic] of libs) {
    const found = await rustSymbols(lib, dynamic);
    found.forEach((s) => symbols.add(s));
    sources.push(`${lib.slice(lib.lastIndexOf("/") + 1)}: ${found.length}`);
  }
  const list = [...symbols].sort();
  const listFile = join(dir, "symbols.txt");
  writeFileSync(listFile, list.join("\n") + "\n");
  const expected = (await run("c++filt", [`@${listFile}`], { captureStdout: true, timeoutMs: 120_000 })).stdout.split("\n");
  assert.equal(expected.length, list.length + 1, "c++filt printed one line per symbol");

  const started = performance.now();
  const ours = list.map((s) => demangleRust(s));
  const took = performance.now() - started;
  const shortStarted = performance.now();
  const shorts = list.map((s) => short(s));
  const shortTook = performance.now() - shortStarted;

  const counts = new Map<string, number>();
  const unexplained: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const kind = deviation(ours[i]!, expected[i]!);
    counts.set(kind ?? "mismatch", (counts.get(kind ?? "mismatch") ?? 0) + 1);
    if (kind === null || kind === "rejected") unexplained.push(`${list[i]}\n  c++filt: ${expected[i]}\n  ours:    ${ours[i]}`);
    if (ours[i] !== null) assert.notEqual(shorts[i], null, `the short form of ${list[i]}`);
  }
  const legacy = list.filter((s) => s.startsWith("_ZN")).length;
  t.diagnostic(`${cxxfilt}; ${rustc}; symbols: ${sources.join(", ")}`);
  t.diagnostic(`${list.length} distinct symbols (${list.length - legacy} v0, ${legacy} legacy) compared with c++filt: ${[...counts].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  t.diagnostic(`demangled in ${took.toFixed(0)} ms (${((took * 1000) / list.length).toFixed(1)} µs each), without hashes in ${shortTook.toFixed(0)} ms`);
  assert.deepEqual(unexplained.slice(0, 20), [], `${unexplained.length} symbols differ from c++filt`);
  assert.ok(list.length >= 1500, `${list.length} symbols`);
  assert.ok((counts.get("same") ?? 0) >= list.length * 0.98, "nearly all are identical");
  // every part of the grammar appears in the corpus
  const all = expected.join("\n");
  for (const marker of ["{closure#", "{shim:vtable#", "{shim:reify#", " as ", "dyn ", "for<'a, 'b> ", 'unsafe extern "C" fn(i32, ...)', 'extern "C-unwind"', "*const ", "*mut ", "&mut ", ": usize]", ": bool>", ": char", "<-", "fn() -> !", "(u8,)", "größe", "模块", "Output = ", "Item = "]) {
    assert.ok(all.includes(marker), `the corpus has ${marker}`);
  }
});

// ---- random and mutated symbols ----

const FUZZ_SEED = Number(process.env["FUZZ_SEED"] ?? 20261207);
const ALPHABET = [..."_RZNCMXYIBKLGUEDFTSAPOQWVpuvaeblsxnihtmyojfdzcgq0123456789$."];
/** Real symbols to mutate: the perf fixture's v0 frames, and the ones above. */
const SEEDS = [...new Set([...(fixtureText("perf-script", "variants", "legacy-rust.perf.txt").match(/_R[0-9A-Za-z_]+/g) ?? []), ...REAL.map(([s]) => s)])];

/** Calls demangleRust both ways and checks what is always true: no throw, bounded output and time. */
function checkBounded(sym: string): void {
  const started = performance.now();
  const full = demangleRust(sym);
  const hashFree = short(sym);
  const took = performance.now() - started;
  assert.ok(took < 2000, `${took} ms for ${JSON.stringify(sym.slice(0, 80))}`);
  for (const out of [full, hashFree]) {
    if (out === null) continue;
    assert.equal(typeof out, "string");
    assert.ok(out.length > 0 && out.length <= MAX_DEMANGLED_LENGTH + sym.length, `${out.length} characters`);
  }
  if (full !== null) assert.notEqual(hashFree, null, `valid with hashes, so valid without: ${sym}`);
  cleanRustName(sym);
  cleanRustName(sym, { hashes: false, generics: true, closures: true });
}

test("demangleRust: random strings over the mangling alphabet never throw and finish quickly", () => {
  assert.ok(SEEDS.length > 50, `${SEEDS.length} seeds`);
  const prefix = fc.constantFrom("_R", "R", "__R", "_ZN", "ZN", "__ZN", "_RNv", "_RIC0K", "_RMC0", "_RINvC3foo3bar", "");
  const body = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 80 });
  fc.assert(
    fc.property(prefix, body, fc.string({ maxLength: 4 }), (p, b, tail) => checkBounded(p + b + tail)),
    { numRuns: 30_000, seed: FUZZ_SEED },
  );
});

test("demangleRust: mutated real symbols never throw and finish quickly", () => {
  const edit = fc.record({
    kind: fc.constantFrom("replace", "insert", "delete", "truncate", "duplicate", "swap"),
    at: fc.nat(),
    len: fc.nat({ max: 40 }),
    ch: fc.constantFrom(...ALPHABET, "\u00e9", " ", "@", "\0"),
  });
  fc.assert(
    fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (seed, edits) => {
      let s = SEEDS[seed % SEEDS.length]!;
      for (const e of edits) {
        const at = e.at % (s.length + 1);
        if (e.kind === "replace") s = s.slice(0, at) + e.ch + s.slice(at + 1);
        else if (e.kind === "insert") s = s.slice(0, at) + e.ch + s.slice(at);
        else if (e.kind === "delete") s = s.slice(0, at) + s.slice(at + 1 + e.len);
        else if (e.kind === "truncate") s = s.slice(0, at);
        else if (e.kind === "duplicate") s = s.slice(0, at + e.len) + s.slice(at, at + e.len) + s.slice(at + e.len);
        else s = s.slice(at, at + e.len) + s.slice(0, at) + s.slice(at + e.len);
      }
      checkBounded(s);
    }),
    { numRuns: 30_000, seed: FUZZ_SEED },
  );
});
