import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../fs/package-root.js";
import type { NotebookKernel } from "../notebook/kernel.js";

/**
 * Loads the flamebook kernel into this process (kernel/in-process.ts, TypeScript run through tsx,
 * a dependency) and starts it: no Python, Jupyter or sockets involved.
 *
 * @example
 * const kernel = await loadInProcessKernel(process.cwd());
 * await kernel.execute("1 + 1", []);
 * kernel.close();
 */
export async function loadInProcessKernel(rootDir: string): Promise<NotebookKernel> {
  const file = join(packageRoot(), "kernel", "in-process.ts");
  // tsx's loader, registered once for this process, compiles the kernel's TypeScript sources.
  const api = (await import("tsx/esm/api")) as { register: () => unknown };
  api.register();
  const mod = (await import(pathToFileURL(file).href)) as { createInProcessKernel(o: { rootDir: string }): NotebookKernel };
  return mod.createInProcessKernel({ rootDir });
}
