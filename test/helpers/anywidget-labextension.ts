// Tests give a Jupyter an anywidget front end the way `pip install anywidget` does: a labextension
// directory under <data dir>/labextensions/anywidget whose package.json names the version. The
// kernel finds it there (src/widget/front-end.ts) and only then sends widget views.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * The directory of an npm package (anywidget exports neither its package.json nor a main for require).
 *
 * @example npmPackageDir("anywidget-0-11"); // "/…/node_modules/anywidget-0-11"
 */
export function npmPackageDir(pkg: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) if (existsSync(join(dir, pkg, "package.json"))) return join(dir, pkg);
  throw new Error(`the npm package ${pkg} is not installed; run npm ci`);
}

/**
 * The version of an npm anywidget package the tests bundle ("anywidget" is 0.9.x, "anywidget-0-11" 0.11.x).
 *
 * @example npmAnywidgetVersion("anywidget-0-11"); // "0.11.0"
 */
export function npmAnywidgetVersion(pkg: "anywidget" | "anywidget-0-11" = "anywidget"): string {
  return (JSON.parse(readFileSync(join(npmPackageDir(pkg), "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Writes `<dataDir>/labextensions/anywidget/package.json` for `version`; returns `dataDir`.
 *
 * @example
 * installAnywidgetLabextension(join(venv, "share", "jupyter"), "0.11.0");
 */
export function installAnywidgetLabextension(dataDir: string, version: string): string {
  const ext = join(dataDir, "labextensions", "anywidget");
  mkdirSync(ext, { recursive: true });
  writeFileSync(join(ext, "package.json"), JSON.stringify({ name: "anywidget", version, jupyterlab: { _build: { load: "static/remoteEntry.js", extension: "./extension" } } }, null, 2));
  return dataDir;
}
