import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * The anywidget front-end version range to ask for: "~X.Y.*" of the anywidget labextension
 * installed for this user's Jupyter (JupyterLab checks the range against it, as anywidget's Deno
 * kernel does), else `fallback`. Looks in $JUPYTER_DATA_DIR, $JUPYTER_PATH, ~/.local/share/jupyter,
 * /usr/local/share/jupyter and /usr/share/jupyter, and in `extraDirs` first.
 *
 * @example
 * anywidgetVersionRange(); // "~0.9.*" with anywidget 0.9.18 installed
 */
export function anywidgetVersionRange(fallback: string, extraDirs: readonly string[] = []): string {
  const env = process.env;
  const dirs = [
    ...extraDirs,
    env["JUPYTER_DATA_DIR"],
    ...(env["JUPYTER_PATH"]?.split(delimiter) ?? []),
    join(homedir(), ".local", "share", "jupyter"),
    "/usr/local/share/jupyter",
    "/usr/share/jupyter",
  ].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const pkg = join(dir, "labextensions", "anywidget", "package.json");
    if (!existsSync(pkg)) continue;
    try {
      const m = /^(\d+)\.(\d+)\./.exec(String((JSON.parse(readFileSync(pkg, "utf8")) as { version?: unknown }).version));
      if (m) return `~${m[1]}.${m[2]}.*`;
    } catch {
      // An unreadable package.json: try the next directory.
    }
  }
  return fallback;
}
