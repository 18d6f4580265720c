import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

test("installKernelSpec: writes kernel.json and the logos under the prefix", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-spec-"));
  try {
    const out = installKernelSpec({ prefix: dir, name: "flamebook-x" });
    const spec = JSON.parse(readFileSync(join(out, "kernel.json"), "utf8")) as { argv: string[] };
    assert.equal(spec.argv.at(-1), "{connection_file}");
    // The logos Jupyter looks for: PNGs of the size their names say, and an SVG.
    for (const [name, size] of [["logo-32x32.png", 32], ["logo-64x64.png", 64]] as const) {
      const png = readFileSync(join(out, name));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name} is a PNG`);
      assert.equal(png.subarray(12, 16).toString("ascii"), "IHDR");
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size], `${name} is ${size}×${size}`);
    }
    assert.match(readFileSync(join(out, "logo-svg.svg"), "utf8"), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.deepEqual(readdirSync(out).filter((f) => f.includes(".tmp")), [], "no temporary files left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
