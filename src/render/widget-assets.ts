import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../fs/package-root.js";

/** The built widget bundles (see scripts/build-widgets.mjs). */
export type WidgetAsset = "anywidget.js" | "jupyter-widgets.js" | "standalone.js";

const cache = new Map<WidgetAsset, string>();

/**
 * The text of a built widget bundle from `dist/widgets/` of the flamebook package (read once).
 * Throws with the fix when the package was not built.
 *
 * @example
 * widgetAsset("anywidget.js").startsWith("var"); // the ES module sent as anywidget's `_esm`
 */
export function widgetAsset(name: WidgetAsset): string {
  let text = cache.get(name);
  if (text === undefined) {
    const file = join(packageRoot(), "dist", "widgets", name);
    if (!existsSync(file)) throw new Error(`flamebook: the widget bundle ${file} is missing; run \`npm run build\` in ${packageRoot()}.`);
    text = readFileSync(file, "utf8");
    cache.set(name, text);
  }
  return text;
}

/**
 * flamebook's own version (from its package.json): the `flamebook` widget module's version.
 *
 * @example
 * flamebookVersion(); // "0.1.0"
 */
export function flamebookVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

