import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanRustName } from "../../src/model/rust-names.js";

test("cleanRustName: strips ::h<16 hex> hashes, also inside generic arguments", () => {
  assert.equal(cleanRustName("wordfreq::process::process::h1a2b3c4d5e6f7081"), "wordfreq::process::process");
  assert.equal(cleanRustName("<u64 as alloc::string::ToString>::to_string::h0123456789abcdef"), "<u64 as alloc::string::ToString>::to_string");
  assert.equal(cleanRustName("core::ptr::drop_in_place<alloc::vec::Vec<u8>>::h0123456789abcdef"), "core::ptr::drop_in_place<alloc::vec::Vec<u8>>");
});

test("cleanRustName: leaves names without a hash alone, and short hex segments that are not hashes", () => {
  for (const n of ["main", "<T as core::fmt::Display>::fmt", "a::hbeef::b", "foo::h0123456789abcdefg", "std::rt::lang_start::{{closure}}"]) {
    assert.equal(cleanRustName(n), n);
  }
});
