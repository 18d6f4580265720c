import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cargo } from "../../src/build/index.js";
import { overrideArgs, overrideLto, overrideProfile } from "../../src/build/profile.js";

const PITFALLS = fileURLToPath(new URL("../../notebooks/crates/pitfalls", import.meta.url));

test("overrideArgs: one --config per setting, cargo's key names and TOML values", () => {
  assert.deepEqual(overrideArgs("profiling", { strip: true, debug: false, lto: "fat", optLevel: "s", codegenUnits: 1, debugAssertions: true, overflowChecks: false }), [
    "--config", "profile.profiling.strip=true",
    "--config", "profile.profiling.debug=false",
    "--config", 'profile.profiling.lto="fat"',
    "--config", 'profile.profiling.opt-level="s"',
    "--config", "profile.profiling.codegen-units=1",
    "--config", "profile.profiling.debug-assertions=true",
    "--config", "profile.profiling.overflow-checks=false",
  ]);
  assert.deepEqual(overrideArgs("dev", { optLevel: 3, debug: "line-tables-only" }), ["--config", "profile.dev.opt-level=3", "--config", 'profile.dev.debug="line-tables-only"']);
  assert.deepEqual(overrideArgs("release", undefined), []);
  assert.deepEqual(overrideArgs("release", { strip: undefined }), []);
});

test("overrideArgs: unknown keys and bad values name the key and what it accepts", () => {
  assert.throws(() => overrideArgs("p", { panic: "abort" } as never), /unknown profile override 'panic'.*optLevel, debug, strip, lto/);
  assert.throws(() => overrideArgs("p", { optLevel: 4 } as never), /override optLevel = 4 is not a valid `opt-level` setting; use 0, 1, 2, 3, "s" or "z"/);
  assert.throws(() => overrideArgs("p", { strip: "all" } as never), /`strip`.*"symbols"/);
  assert.throws(() => overrideArgs("p", { codegenUnits: 0 }), /codegen-units.*whole number/);
  assert.throws(() => overrideArgs("p", { lto: 'fat"\nx' } as never), /not a valid `lto` setting/);
  assert.throws(() => overrideArgs("p", "strip" as never), /overrides must be an object/);
});

test("overrideProfile: a derived profile per set of overrides, independent of key order", () => {
  assert.deepEqual(overrideProfile("profiling", undefined), { profile: "profiling", args: [] });
  assert.deepEqual(overrideProfile("profiling", {}), { profile: "profiling", args: [] });
  const a = overrideProfile("profiling", { strip: true, debug: false });
  const b = overrideProfile("profiling", { debug: false, strip: true });
  const c = overrideProfile("profiling", { strip: true });
  assert.match(a.profile, /^profiling-fb[0-9a-f]{8}$/);
  assert.equal(a.profile, b.profile);
  assert.notEqual(a.profile, c.profile);
  assert.deepEqual(a.args.slice(0, 2), ["--config", `profile.${a.profile}.inherits="profiling"`]);
  assert.ok(a.args.includes(`profile.${a.profile}.strip=true`));
});

test("overrideLto: cross-crate LTO values, off values and silence", () => {
  assert.equal(overrideLto({ lto: "fat" }), "fat");
  assert.equal(overrideLto({ lto: true }), "true");
  assert.equal(overrideLto({ lto: "thin" }), "thin");
  assert.equal(overrideLto({ lto: false }), null);
  assert.equal(overrideLto({ lto: "off" }), null);
  assert.equal(overrideLto({ strip: true }), undefined);
  assert.equal(overrideLto(undefined), undefined);
});

test("cargo.build: { strip: true, debug: false } gives a stripped binary and both warnings; Cargo.toml is untouched", async () => {
  const manifest = await readFile(join(PITFALLS, "Cargo.toml"), "utf8");
  const b = await cargo.build(PITFALLS, { overrides: { strip: true, debug: false } });
  assert.equal(await readFile(join(PITFALLS, "Cargo.toml"), "utf8"), manifest);
  assert.equal(b.symbols, false);
  assert.equal(b.debugInfo, false);
  assert.deepEqual(b.overrides, { strip: true, debug: false });
  assert.equal(b.profile, "profiling");
  assert.ok(b.warnings.some((w) => /is stripped \(no \.symtab section\)/.test(w)), b.warnings.join("\n"));
  assert.ok(b.warnings.some((w) => /has no debug info/.test(w)));
  assert.match(b.cargoExe, /\/target\/profiling-fb[0-9a-f]{8}\/pitfalls$/);
  const plain = await cargo.build(PITFALLS);
  assert.deepEqual(plain.warnings, []);
  assert.equal(plain.symbols, true);
  assert.notEqual(plain.sha256, b.sha256);
  assert.match(plain.cargoExe, /\/target\/profiling\/pitfalls$/);
});

test("cargo.build: { optLevel: 0 } is flagged as a debug build", async () => {
  const d = await cargo.build(PITFALLS, { overrides: { optLevel: 0 } });
  assert.ok(d.warnings.some((w) => /this is a debug \(dev\) build/.test(w)), d.warnings.join("\n"));
});

test("cargo.build: a bad override fails before cargo runs", async () => {
  await assert.rejects(cargo.build(PITFALLS, { overrides: { optLevel: 9 } as never }), /override optLevel = 9/);
});
