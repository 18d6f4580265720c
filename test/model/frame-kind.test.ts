import assert from "node:assert/strict";
import { test } from "node:test";
import { frameKind } from "../../src/model/frame-kind.js";

test("frameKind: kernel by module or _[k], unknown by [..] or hex, rust by path or <T as Trait>, else c", () => {
  assert.equal(frameKind("clear_page_erms", "[kernel.kallsyms]"), "kernel");
  assert.equal(frameKind("schedule_[k]", ""), "kernel");
  assert.equal(frameKind("[unknown]", ""), "unknown");
  assert.equal(frameKind("[libc.so.6]", "/usr/lib/libc.so.6"), "unknown");
  assert.equal(frameKind("0x7f01a2b3c4", ""), "unknown");
  assert.equal(frameKind("wordfreq::main", "/bin/wordfreq"), "rust");
  assert.equal(frameKind("<u64 as alloc::string::ToString>::to_string", ""), "rust");
  assert.equal(frameKind("__GI___libc_malloc", "/usr/lib/libc.so.6"), "c");
  assert.equal(frameKind("main", "/bin/wordfreq"), "c");
});
