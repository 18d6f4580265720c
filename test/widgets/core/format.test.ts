import { test } from "node:test";
import assert from "node:assert/strict";
import { baseName, formatChange, formatPercent, formatPoints, formatSeconds, formatWeight, groupDigits, labelForms, printable } from "../../../widgets/core/format.js";

test("formatWeight: nanoseconds scale to ns/µs/ms/s", () => {
  assert.equal(formatWeight(0, "nanoseconds", "cpu-clock"), "0 ns");
  assert.equal(formatWeight(999, "nanoseconds", "cpu-clock"), "999 ns");
  assert.equal(formatWeight(1003009, "nanoseconds", "cpu-clock"), "1.00 ms");
  assert.equal(formatWeight(60180540, "nanoseconds", "cpu-clock"), "60.2 ms");
  assert.equal(formatWeight(2.5e9, "nanoseconds", "cpu-clock"), "2.50 s");
  assert.equal(formatWeight(999_999, "nanoseconds", "cpu-clock"), "1.00 ms", "rounding up crosses the unit");
});

test("formatWeight: instructions carry an SI prefix and the event name", () => {
  assert.equal(formatWeight(1234567890, "instructions", "Ir"), "1.23 G Ir");
  assert.equal(formatWeight(12, "instructions", "Ir"), "12 Ir");
  assert.equal(formatWeight(4500, "events", "cycles"), "4.50 k cycles");
});

test("formatWeight: samples are counts, bytes binary", () => {
  assert.equal(formatWeight(1234, "samples", "cpu-clock"), "1,234 samples");
  assert.equal(formatWeight(1, "samples", "cpu-clock"), "1 sample");
  assert.equal(formatWeight(2048, "bytes", "alloc"), "2.00 KiB");
  assert.equal(groupDigits(-1234567), "-1,234,567");
});

test("formatChange, formatPercent, formatPoints, formatSeconds", () => {
  assert.equal(formatChange(-2006018, "nanoseconds", "cpu-clock"), "-2.01 ms");
  assert.equal(formatChange(5, "samples", "x"), "+5 samples");
  assert.equal(formatPercent(0.3121), "31.2%");
  assert.equal(formatPercent(0.01234), "1.23%");
  assert.equal(formatPercent(0.00001), "<0.01%");
  assert.equal(formatPercent(0), "0.00%");
  assert.equal(formatPoints(-0.283), "-28.30 pp");
  assert.equal(formatSeconds(0.0123), "12.3 ms");
  assert.equal(formatSeconds(2), "2.00 s");
  assert.equal(formatSeconds(0), "0 s");
  assert.equal(formatSeconds(4.2e-7), "420 ns");
});

test("printable: control characters and lone surrogates go, pairs stay", () => {
  assert.equal(printable("a\u0000b\u001b[31mc"), "ab[31mc");
  assert.equal(printable("x\ud800y"), "xy");
  assert.equal(printable("🔥"), "🔥");
});

test("labelForms: paths cut to their last segment, the function keeps Type::method", () => {
  assert.deepEqual(labelForms("core::ptr::drop_in_place<alloc::vec::Vec<alloc::string::String>>"), [
    "core::ptr::drop_in_place<alloc::vec::Vec<alloc::string::String>>",
    "ptr::drop_in_place<Vec<String>>",
    "ptr::drop_in_place",
  ]);
  assert.deepEqual(labelForms("<alloc::alloc::Global as core::alloc::Allocator>::deallocate"), [
    "<alloc::alloc::Global as core::alloc::Allocator>::deallocate",
    "<Global as Allocator>::deallocate",
  ]);
  assert.deepEqual(labelForms("std::rt::lang_start::{{closure}}"), ["std::rt::lang_start::{{closure}}", "lang_start::{{closure}}"]);
  assert.deepEqual(labelForms("main"), ["main"]);
  assert.deepEqual(labelForms("_int_malloc"), ["_int_malloc"]);
  const forms = labelForms("std::panicking::catch_unwind::do_call::<std::rt::lang_start_internal::{closure#0}, isize>");
  assert.equal(forms[1], "catch_unwind::do_call::<{closure#0}, isize>");
  assert.equal(forms[2], "catch_unwind::do_call");
});

test("labelForms: forms get shorter and never throw on odd input", () => {
  for (const s of ["", "<", ">>>", "a::", "::b", "<<a as b>::c as d>::e", "x".repeat(20000), "foo<bar", "a -> b<c>"]) {
    const forms = labelForms(s);
    assert.equal(forms[0], s);
    for (let i = 1; i < forms.length; i++) assert.ok(forms[i]!.length < forms[i - 1]!.length, JSON.stringify(forms));
  }
});

test("baseName", () => {
  assert.equal(baseName("/usr/lib/x86_64-linux-gnu/libc.so.6"), "libc.so.6");
  assert.equal(baseName("wordfreq"), "wordfreq");
});
