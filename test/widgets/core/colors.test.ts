import { test } from "node:test";
import assert from "node:assert/strict";
import { categoryFill, diffFill, diffStep, firstCrate, frameCategory, mix, moduleOrigin, nameHash, DIFF_STEPS, SAME_FILL } from "../../../widgets/core/colors.js";
import { buildPalette, categoryColorId, colorCategory, diffChanges, diffColorIds, frameColors, ROOT_COLOR } from "../../../widgets/core/palette.js";
import { cloneInLoopTrees } from "../../helpers/browser.js";

test("frameCategory: crate prefix and frame kind", () => {
  assert.equal(frameCategory("wordfreq::process::process", "rust"), "user");
  assert.equal(frameCategory("<T as alloc::string::ToString>::to_string", "rust"), "std");
  assert.equal(frameCategory("<wordfreq::Counter as core::fmt::Debug>::fmt", "rust"), "user");
  assert.equal(frameCategory("core::ptr::drop_in_place<alloc::vec::Vec<u8>>", "rust"), "std");
  assert.equal(frameCategory("<u64>::_fmt", "rust"), "std");
  assert.equal(frameCategory("__libc_malloc", "c"), "c");
  assert.equal(frameCategory("do_syscall_64", "kernel"), "kernel");
  assert.equal(frameCategory("0x7f3a12", "rust"), "unknown");
  assert.equal(frameCategory("[unknown]", "c"), "unknown");
  assert.equal(frameCategory("serde_json::de::from_str", "unknown"), "user");
  assert.equal(frameCategory("mystery", "unknown"), "unknown");
});

test("frameCategory: the module tells C++ libraries and the Rust toolchain from your crates (a cargo build profile)", () => {
  const llvm = "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/libLLVM.so.22.1-rust-1.95.0-stable";
  const driver = "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/librustc_driver-6108105cd7e839cf.so";
  // perf's frameKind calls any name with `::` Rust; LLVM's are C++ by their library and their namespace
  assert.equal(frameCategory("llvm::FPPassManager::runOnFunction", "rust", llvm), "c");
  assert.equal(frameCategory("llvm::BasicTTIImplBase<llvm::MipsTTIImpl>::getCost", "rust", "(inlined)"), "c");
  assert.equal(frameCategory("(anonymous namespace)::X86DAGToDAGISel::Select", "rust"), "c");
  assert.equal(frameCategory("_GLOBAL__sub_I_GVNHoist.cpp", "c", llvm), "c");
  assert.equal(frameCategory("rustc_middle::ty::context::tls::enter_context", "rust", driver), "rust");
  assert.equal(frameCategory("cargo::core::compiler::compile", "rust", "/root/.rustup/toolchains/stable/bin/cargo"), "rust");
  assert.equal(frameCategory("core::ptr::drop_in_place<rustc_ast::ast::Item>", "rust", driver), "std");
  assert.equal(frameCategory("wordfreq::main", "rust", "/home/me/wordfreq/target/release/wordfreq"), "user");
  assert.equal(moduleOrigin(llvm), "c");
  assert.equal(moduleOrigin(driver), "rust");
  assert.equal(moduleOrigin("/usr/bin/rust-lld"), "c");
  assert.equal(moduleOrigin("/home/me/wordfreq/target/release/wordfreq"), null);
  assert.equal(firstCrate("<u64>::_fmt"), null);
  assert.equal(firstCrate("<wordfreq::Counter as core::fmt::Debug>::fmt"), "wordfreq");
});

test("categoryFill: warm, deterministic, different by category", () => {
  assert.equal(categoryFill("user", "wordfreq::main"), categoryFill("user", "wordfreq::main"));
  assert.notEqual(categoryFill("user", "a"), categoryFill("kernel", "a"));
  const rgb = (hex: string) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)) as [number, number, number];
  for (const c of ["user", "std", "c"] as const) {
    const [r, g, b] = rgb(categoryFill(c, "x"));
    assert.ok(r >= g && r > b, `${c} is warm: ${categoryFill(c, "x")}`);
  }
  assert.equal(nameHash("main"), nameHash("main"));
});

test("diffStep/diffFill: sign picks the hue, magnitude the depth, noise is grey", () => {
  assert.equal(diffStep(10, 10, 1), DIFF_STEPS);
  assert.equal(diffStep(-10, 10, 1), -DIFF_STEPS);
  assert.equal(diffStep(5, 10, 0), 0);
  assert.equal(diffStep(0, 10, 1), 0);
  assert.ok(diffStep(1, 10, 255) > 0 && diffStep(1, 10, 255) < diffStep(5, 10, 255));
  assert.equal(diffFill(-5, 10, 0, "light"), SAME_FILL.light);
  const red = diffFill(10, 10, 1, "light");
  const blue = diffFill(-10, 10, 1, "light");
  assert.ok(parseInt(red.slice(1, 3), 16) > parseInt(red.slice(5, 7), 16), red);
  assert.ok(parseInt(blue.slice(5, 7), 16) > parseInt(blue.slice(1, 3), 16), blue);
  assert.equal(mix("#000000", "#ffffff", 0.5), "#808080");
});

test("diffChanges: absolute compares weights, proportional compares shares", () => {
  const w = { after: Float64Array.of(10, 8), before: Float64Array.of(20, 4) };
  assert.deepEqual(Array.from(diffChanges(w, "absolute")), [-10, 4]);
  const prop = diffChanges(w, "proportional");
  assert.equal(prop[0], 0);
  assert.ok(Math.abs(prop[1]! - 0.6) < 1e-12);
  const ids = diffColorIds(diffChanges(w, "absolute"), undefined);
  assert.ok(ids[1]! > ids[0]!, "growth sorts above shrinkage in the palette");
});

test("frameColors/buildPalette: one id per frame, palette covers every id", async () => {
  const { before } = await cloneInLoopTrees();
  const ids = frameColors(before);
  const pal = buildPalette("dark", "#1e1f22");
  assert.equal(ids.length, before.frames.name.length);
  for (const id of ids) assert.match(pal.fill[id]!, /^#[0-9a-f]{6}$/);
  const main = before.strings.indexOf("wordfreq::main");
  const f = Array.from(before.frames.name).indexOf(main);
  assert.equal(colorCategory(ids[f]!), "user");
  assert.equal(colorCategory(ROOT_COLOR), null);
  assert.equal(colorCategory(categoryColorId("kernel")), "kernel");
  assert.notEqual(pal.dim[0], pal.fill[0]);
});
