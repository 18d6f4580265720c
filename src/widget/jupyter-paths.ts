// Where a Jupyter looks for data files (kernels, labextensions): jupyter_core's `jupyter_path()`
// (jupyter_core/paths.py, 4.x and 5.x), computed from the environment and the `sys.prefix` of the
// Python that runs Jupyter, without running Python.
import { join } from "node:path";
import type { PythonPrefix } from "./python-prefix.js";

/** What {@link jupyterDataPath} needs. */
export interface JupyterPathInput {
  /** The environment Jupyter runs with (a kernel inherits it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly platform: NodeJS.Platform;
  /** The Python running Jupyter, when found (see `pythonAncestor`). */
  readonly python?: Pick<PythonPrefix, "prefix" | "kind" | "userSite"> | undefined;
}

/** jupyter_core's `envset`: set to anything but no/n/false/off/0/0.0. */
const envset = (v: string | undefined): boolean => v !== undefined && !["no", "n", "false", "off", "0", "0.0"].includes(v.toLowerCase());

/**
 * The data directories in jupyter_core's order, first wins:
 * 1. `$JUPYTER_PATH` entries;
 * 2. user (`$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter` or `~/.local/share/jupyter`, plus the
 *    Python user base's `share/jupyter` when the user site is on) and environment
 *    (`sys.prefix/share/jupyter`): environment first when `$JUPYTER_PREFER_ENV_PATH` says so, or,
 *    unset, inside a venv or a non-base conda env (jupyter_core 5's default);
 * 3. system: `/usr/local/share/jupyter`, `/usr/share/jupyter` (`$XDG_DATA_DIRS` with
 *    `$JUPYTER_PLATFORM_DIRS`).
 * Without a known Python, `$VIRTUAL_ENV` and `$CONDA_PREFIX` stand in for `sys.prefix`.
 *
 * @example
 * jupyterDataPath({ env: {}, home: "/home/me", platform: "linux", python: { prefix: "/venv", kind: "venv", userSite: false } });
 * // ["/venv/share/jupyter", "/home/me/.local/share/jupyter", "/usr/local/share/jupyter", "/usr/share/jupyter"]
 */
export function jupyterDataPath(i: JupyterPathInput): string[] {
  const { env, home, platform, python } = i;
  const paths: string[] = [];
  if (env["JUPYTER_PATH"]) paths.push(...env["JUPYTER_PATH"].split(platform === "win32" ? ";" : ":").filter(Boolean).map((p) => p.replace(/[/\\]+$/, "") || p));

  const platformDirs = envset(env["JUPYTER_PLATFORM_DIRS"]);
  const user = [env["JUPYTER_DATA_DIR"] || userDataDir(env, home, platform, platformDirs)];
  if ((python?.userSite ?? true) && !env["PYTHONNOUSERSITE"]) {
    const base = env["PYTHONUSERBASE"] || (platform === "win32" ? join(env["APPDATA"] ?? home, "Python") : join(home, ".local"));
    user.push(join(base, "share", "jupyter"));
  }

  const system = systemDirs(env, platform, platformDirs);
  const prefixes = python ? [python.prefix] : [env["VIRTUAL_ENV"], env["CONDA_PREFIX"]].filter((p): p is string => !!p);
  const environment = prefixes.map((p) => join(p, "share", "jupyter")).filter((p) => !system.includes(p));

  const preferEnv =
    env["JUPYTER_PREFER_ENV_PATH"] !== undefined
      ? envset(env["JUPYTER_PREFER_ENV_PATH"])
      : python?.kind === "venv" ||
        (python?.kind === "conda" && !!env["CONDA_PREFIX"] && python.prefix.startsWith(env["CONDA_PREFIX"]) && (env["CONDA_DEFAULT_ENV"] ?? "base") !== "base");
  paths.push(...(preferEnv ? [...environment, ...user] : [...user, ...environment]), ...system);
  return [...new Set(paths)];
}

function userDataDir(env: JupyterPathInput["env"], home: string, platform: NodeJS.Platform, platformDirs: boolean): string {
  if (platform === "darwin") return platformDirs ? join(home, "Library", "Application Support", "Jupyter") : join(home, "Library", "Jupyter");
  if (platform === "win32") return join(env["APPDATA"] ?? join(home, "AppData", "Roaming"), "jupyter");
  return join(env["XDG_DATA_HOME"] || join(home, ".local", "share"), "jupyter");
}

function systemDirs(env: JupyterPathInput["env"], platform: NodeJS.Platform, platformDirs: boolean): string[] {
  if (platform === "win32") return env["PROGRAMDATA"] ? [join(env["PROGRAMDATA"], "jupyter")] : [];
  if (platformDirs && platform !== "darwin") return (env["XDG_DATA_DIRS"] || "/usr/local/share:/usr/share").split(":").filter(Boolean).map((d) => join(d, "jupyter"));
  return ["/usr/local/share/jupyter", "/usr/share/jupyter"];
}
