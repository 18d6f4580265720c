/**
 * `display` (with `display.html|markdown|svg|png|json|update`) and `clearOutput` as globals in
 * every cell, as IPython has them: typed for the type checker, defined at run time.
 *
 * Types: a module with a `declare global` block that tslab's converter always includes (added
 * with `addModule`; cells do not import it). It types the globals from flamebook's own
 * declarations (`dist/esm/display/display.d.ts` of the package this kernel belongs to, which
 * imports nothing), so hover and completion show the library's signatures and docs.
 *
 * Run time: the kernel's own `display` and `clearOutput` (src/display), defined on `globalThis`.
 * They publish through the display host the kernel core installs, to the running cell, exactly
 * like `import { display } from "flamebook"` does. A cell may still declare its own `display`:
 * its declaration shadows the global.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { clearOutput, display } from "../src/display/display.js";
import { packageRoot } from "../src/fs/package-root.js";

/** The module name under which the declarations are added to the converter (never imported). */
export const CELL_GLOBALS_MODULE = "__flamebook_globals__";

/**
 * The TypeScript source of the globals' declarations. `typesFile` is flamebook's
 * `display.d.ts`; when it is missing (no `npm run build` yet) the globals are typed `any`
 * rather than failing every cell.
 *
 * @example
 * converter.addModule(CELL_GLOBALS_MODULE, cellGlobalsDeclaration());
 */
export function cellGlobalsDeclaration(typesFile = join(packageRoot(), "dist", "esm", "display", "display.d.ts")): string {
  const types = existsSync(typesFile) ? JSON.stringify(typesFile.replace(/\.d\.ts$/, ".js")) : undefined;
  const displayType = types ? `import(${types}).Display` : "any";
  const clearType = types ? `typeof import(${types}).clearOutput` : "any";
  return `declare global {
  /**
   * Shows a value as a cell output (display_data) and returns a handle to replace it later;
   * display.html / markdown / svg / png / json show ready content, display.update(id, value)
   * replaces the output with that display id. Also exported by "flamebook".
   * @example const h = display("starting…"); h.update(rec.flamegraph()); display.html("<b>hot</b>");
   */
  const display: ${displayType};
  /**
   * Clears the cell's output (clear_output); with wait = true, only when the next output arrives.
   * Also exported by "flamebook".
   * @example clearOutput(true); display(progress);
   */
  const clearOutput: ${clearType};
}
`;
}

/**
 * Defines the globals `display` and `clearOutput` for cells (writable and configurable, not
 * enumerable, like built-in globals).
 *
 * @example
 * installCellGlobals(); // then a cell's `display.html("<b>hi</b>")` shows HTML
 */
export function installCellGlobals(): void {
  const globals: Record<string, unknown> = { display, clearOutput };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
