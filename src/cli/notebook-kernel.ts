import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../fs/package-root.js";
import type { NotebookKernel } from "../notebook/kernel.js";

/**
 * Loads the flamebook kernel into this process (`dist/kernel/in-process.js`, the compiled
 * kernel/in-process.ts that `npm run build` writes) and starts it: no Python, Jupyter or sockets involved.
 *
 * @example
 * const kernel = await loadInProcessKernel(process.cwd());
 * await kernel.execute("1 + 1", []);
 * kernel.close();
 */
export async function loadInProcessKernel(rootDir: string): Promise<NotebookKernel> {
  const file = join(packageRoot(), "dist", "kernel", "in-process.js");
  if (!existsSync(file)) throw new Error(`flamebook: the compiled kernel ${file} is missing; run \`npm run build\` in ${packageRoot()}.`);
  const mod = (await import(pathToFileURL(file).href)) as { createInProcessKernel(o: { rootDir: string }): NotebookKernel };
  return mod.createInProcessKernel({ rootDir });
}
