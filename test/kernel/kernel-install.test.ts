import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernelSpec, kernelSpec, kernelSpecDir } from "../../src/cli/kernel-install.js";

test("kernelSpec: runs kernel/main.ts with this node and tsx, message interrupts", () => {
  const s = kernelSpec();
  assert.equal(s.argv[0], process.execPath);
  assert.equal(s.argv[1], "--import");
  assert.match(s.argv[2], /^file:\/\/.*tsx\/dist\/loader\.mjs$/);
  assert.ok(existsSync(s.argv[3]) && s.argv[3].endsWith("kernel/main.ts"));
  assert.equal(s.argv[4], "{connection_file}");
  assert.equal(s.language, "typescript");
  assert.equal(s.interrupt_mode, "message");
});

test("kernelSpecDir: prefix, user and name", () => {
  assert.equal(kernelSpecDir({ prefix: "/opt/venv" }), "/opt/venv/share/jupyter/kernels/flamebook");
  assert.equal(kernelSpecDir({ prefix: "/p", name: "fb2" }), "/p/share/jupyter/kernels/fb2");
  assert.throws(() => kernelSpecDir({ name: "../evil" }), /invalid kernel name/);
});

test("installKernelSpec: writes kernel.json under the prefix", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-spec-"));
  try {
    const out = installKernelSpec({ prefix: dir, name: "flamebook-x" });
    const spec = JSON.parse(readFileSync(join(out, "kernel.json"), "utf8")) as { argv: string[] };
    assert.equal(spec.argv.at(-1), "{connection_file}");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
