// Which live widget front end the user's Jupyter can load, found statically: an anywidget
// labextension (`labextensions/anywidget/package.json`, where `pip install anywidget` puts it) in
// the data directories of the Jupyter that started this process. Decided once per process;
// FLAMEBOOK_WIDGETS=auto|none|anywidget|anywidget@<range> overrides it.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ANYWIDGET_VERSION } from "../render/flame-widget-state.js";
import { jupyterDataPath } from "./jupyter-paths.js";
import { pythonAncestor } from "./python-prefix.js";

/** What the front end can show live. */
export interface WidgetFrontEnd {
  /**
   * The anywidget version range that widget models ask for (`_model_module_version`), or null:
   * no anywidget front end is known to load, so outputs carry no widget view (the front end then
   * shows their interactive `text/html`).
   */
  readonly anywidget: string | null;
  /** How this was decided, in words (shown by `widgetFrontEnd().reason`). */
  readonly reason: string;
}

/** One anywidget labextension on disk. */
export interface FoundAnywidget {
  readonly dir: string;
  readonly version: string;
}

/**
 * The anywidget labextensions in `dirs` (Jupyter data directories), in that order.
 *
 * @example
 * findAnywidget(["/venv/share/jupyter"]); // [{ dir: "/venv/share/jupyter", version: "0.11.0" }]
 */
export function findAnywidget(dirs: readonly string[]): FoundAnywidget[] {
  const found: FoundAnywidget[] = [];
  for (const dir of dirs) {
    try {
      const version = (JSON.parse(readFileSync(join(dir, "labextensions", "anywidget", "package.json"), "utf8")) as { version?: unknown }).version;
      if (typeof version === "string" && /^\d+\.\d+\.\d+/.test(version)) found.push({ dir, version });
    } catch {
      // none here, or unreadable: JupyterLab would not load it either
    }
  }
  return found;
}

/**
 * The version range that admits every anywidget found: "~X.Y.*" of each minor line (as
 * anywidget's Python package asks for its own), first found first, joined with "||". JupyterLab
 * loads the first labextension in its data path; the union keeps the model loadable even when the
 * guessed order is wrong (jupyter_core 4 and 5 order user and environment directories differently).
 *
 * @example
 * anywidgetRange([{ dir: "/venv/share/jupyter", version: "0.11.0" }, { dir: "/usr/share/jupyter", version: "0.9.18" }]); // "~0.11.*||~0.9.*"
 */
export function anywidgetRange(found: readonly FoundAnywidget[]): string | null {
  const lines = [...new Set(found.map((f) => f.version.replace(/^(\d+)\.(\d+)\..*$/, "~$1.$2.*")))];
  return lines.length ? lines.join("||") : null;
}

/**
 * Decides the widget front end from the environment and the process tree (not cached).
 * FLAMEBOOK_WIDGETS: `auto` (default) looks for anywidget; `none` never sends a widget view;
 * `anywidget` always does (with the found version range, else "~0.9.*"); `anywidget@<range>`
 * always does, with that range.
 *
 * @example
 * detectWidgetFrontEnd({ FLAMEBOOK_WIDGETS: "none" }); // { anywidget: null, reason: "FLAMEBOOK_WIDGETS=none" }
 */
export function detectWidgetFrontEnd(env: Readonly<Record<string, string | undefined>> = process.env): WidgetFrontEnd {
  const setting = (env["FLAMEBOOK_WIDGETS"] ?? "").trim();
  if (setting === "none") return { anywidget: null, reason: "FLAMEBOOK_WIDGETS=none" };
  const given = /^anywidget@(.+)$/.exec(setting);
  if (given) return { anywidget: given[1]!, reason: `FLAMEBOOK_WIDGETS=${setting}` };
  const python = pythonAncestor();
  const dirs = jupyterDataPath({ env, home: homedir(), platform: process.platform, python });
  const found = findAnywidget(dirs);
  const range = anywidgetRange(found);
  const where = python ? `the Jupyter data path of ${python.argv0} (pid ${python.pid})` : "the Jupyter data path of the environment (no Python process started this one)";
  const seen = found.length ? `anywidget ${found.map((f) => `${f.version} in ${f.dir}`).join(", ")}` : `no anywidget labextension in ${where}: ${dirs.join(", ")}`;
  if (setting === "anywidget") return { anywidget: range ?? ANYWIDGET_VERSION, reason: `FLAMEBOOK_WIDGETS=anywidget; ${seen}` };
  const bad = setting === "" || setting === "auto" ? "" : `FLAMEBOOK_WIDGETS=${setting} is not auto, none, anywidget or anywidget@<range>; detected: `;
  return { anywidget: range, reason: bad + (found.length ? `${seen} (${where})` : seen) };
}

// On globalThis: the kernel loads flamebook from src/ and cells load the CJS build; both copies
// must give the same answer, and an override must reach both.
const KEY = Symbol.for("flamebook.widgetFrontEnd");
const slot = globalThis as Record<symbol, WidgetFrontEnd | undefined>;

/**
 * The widget front end of this process, decided once (see {@link detectWidgetFrontEnd}).
 *
 * @example
 * widgetFrontEnd(); // { anywidget: "~0.11.*", reason: "anywidget 0.11.0 in /venv/share/jupyter (…)" }
 */
export function widgetFrontEnd(): WidgetFrontEnd {
  return (slot[KEY] ??= detectWidgetFrontEnd());
}

/**
 * Sets the widget front end (tests, hosts that know it); undefined decides again on next use.
 *
 * @example
 * setWidgetFrontEnd({ anywidget: "~0.9.*", reason: "test" });
 */
export function setWidgetFrontEnd(fe: WidgetFrontEnd | undefined): void {
  slot[KEY] = fe;
}
