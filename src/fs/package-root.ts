import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The flamebook package root: the nearest directory above this file whose package.json is named
 * "flamebook" (this file runs from src/fs, dist/esm/fs or the CJS bundle).
 *
 * @example
 * join(packageRoot(), "kernel", "main.ts"); // "/…/node_modules/flamebook/kernel/main.ts"
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "flamebook") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`flamebook: cannot find the flamebook package root (a package.json named "flamebook") above ${fileURLToPath(import.meta.url)}.`);
    dir = up;
  }
}
