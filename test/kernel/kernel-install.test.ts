import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernelSpec, kernelSpec, kernelSpecDir } from "../../src/cli/kernel-install.js";
import { ensureBuilt, repoRoot } from "../package/fixtures/consumer.js";

test("kernelSpec: runs the compiled kernel with this node and nothing else (no tsx), message interrupts", async () => {
  await ensureBuilt();
  const s = kernelSpec();
  assert.deepEqual(s.argv, [process.execPath, join(repoRoot, "dist", "kernel", "main.js"), "{connection_file}"]);
  assert.ok(existsSync(s.argv[1]!), `${s.argv[1]} is built`);
  assert.equal(s.language, "typescript");
  assert.equal(s.interrupt_mode, "message");
});

test("kernel entry: dist/kernel/*.js import only node builtins and runtime dependencies, never their TypeScript sources", async () => {
  await ensureBuilt();
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const dir = join(repoRoot, "dist", "kernel");
  const bad: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".js"))) {
    const text = readFileSync(join(dir, f), "utf8");
    // static imports, and the require()/resolve() of packages through createRequire
    for (const m of text.matchAll(/(?:from |import\(|require\d*\(|resolve\()"([^"]+)"/g)) {
      const spec = m[1]!;
      if (spec.startsWith("node:") || spec.startsWith("./")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
      // flamebook: its own package (the warm-up preloads it); tslab's TypeScript: resolved from tslab
      if (!(name in pkg.dependencies) && name !== "flamebook" && name !== "@tslab/typescript-for-tslab") bad.push(`${f}: ${spec}`);
    }
    for (const m of text.matchAll(/"[^"]*\b(?:kernel|src)\/[^"]*\.ts"/g)) bad.push(`${f}: refers to the source ${m[0]}`);
  }
  assert.deepEqual(bad, []);
});

test("kernelSpecDir: prefix, user and name", () => {
  assert.equal(kernelSpecDir({ prefix: "/opt/venv" }), "/opt/venv/share/jupyter/kernels/flamebook");
  assert.equal(kernelSpecDir({ prefix: "/p", name: "fb2" }), "/p/share/jupyter/kernels/fb2");
  assert.throws(() => kernelSpecDir({ name: "../evil" }), /invalid kernel name/);
});

test("installKernelSpec: writes kernel.json and the logos under the prefix", async () => {
  await ensureBuilt();
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
    assert.deepEqual(readdirSync(out).filter((f) => f.startsWith(".") || f.endsWith(".partial")), [], "no temporary files left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
