// What `npm pack` ships: everything the kernel needs to run from an installed package (the
// compiled kernel in dist/kernel that the kernelspec runs with plain node, its logos, the CJS
// build cells load; its sources too, for the source maps), and its runtime dependencies (zeromq
// is its transport, tslab its executor) are dependencies; tsx, which only runs sources in
// development, is not needed at run time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { ensureBuilt, repoRoot, runCommand } from "./fixtures/consumer.js";

test("npm pack: the kernel, its imports, its logos and the builds are in the package", { timeout: 300_000 }, async () => {
  await ensureBuilt();
  const out = await runCommand("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], repoRoot, 120_000);
  assert.equal(out.code, 0, out.stderr);
  const [info] = JSON.parse(out.stdout) as { files: { path: string }[] }[];
  const files = new Set(info!.files.map((f) => f.path));
  for (const f of ["dist/kernel/main.js", "dist/kernel/in-process.js", "kernel/main.ts", "kernel/logos/logo-32x32.png", "kernel/logos/logo-64x64.png", "kernel/logos/logo-svg.svg", "dist/cjs/index.cjs", "dist/esm/index.d.ts", "dist/widgets/anywidget.js", "bin/flamebook.js"]) {
    assert.ok(files.has(f), `${f} is not in the package`);
  }
  // Every relative import of a shipped kernel file resolves to a shipped file (.js → .ts source).
  const missing: string[] = [];
  for (const f of [...files].filter((p) => p.startsWith("kernel/") && p.endsWith(".ts"))) {
    const text = readFileSync(join(repoRoot, f), "utf8");
    for (const m of text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
      const target = normalize(join(dirname(f), m[1]!)).replace(/\.js$/, ".ts");
      if (!files.has(target)) missing.push(`${f} imports ${m[1]} (${target})`);
    }
  }
  // …and so does every relative import of the compiled kernel (its shared chunks).
  for (const f of [...files].filter((p) => p.startsWith("dist/kernel/") && p.endsWith(".js"))) {
    const text = readFileSync(join(repoRoot, f), "utf8");
    for (const m of text.matchAll(/(?:from |import\()"(\.{1,2}\/[^"]+)"/g)) {
      const target = normalize(join(dirname(f), m[1]!));
      if (!files.has(target)) missing.push(`${f} imports ${m[1]} (${target})`);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(![...files].some((p) => p.startsWith("test/") || p.startsWith("node_modules/")), "tests and node_modules stay out");
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const dep of ["tslab", "zeromq"]) {
    assert.ok(dep in pkg.dependencies, `${dep} must be a runtime dependency`);
  }
  assert.ok(!("tsx" in pkg.dependencies), "tsx is a development tool: the kernel runs compiled JavaScript");
});
