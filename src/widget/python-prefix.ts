// The Python that runs the Jupyter which started this process (its `sys.prefix`), found by walking
// up the process tree through Linux's procfs (/proc/<pid>/cmdline, status, environ, cwd). Read-only:
// nothing is spawned, so a kernel learns it in well under a millisecond.
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";

/** A Python environment: the `sys.prefix` of an ancestor process running Python. */
export interface PythonPrefix {
  /** `sys.prefix`: the venv or conda environment directory, or e.g. `/usr`. */
  readonly prefix: string;
  /** "venv" (the prefix has pyvenv.cfg), "conda" (it has conda-meta/), else "system". */
  readonly kind: "venv" | "conda" | "system";
  /** Whether Python's user site is on (false in a venv without system site packages), as `site.ENABLE_USER_SITE`. */
  readonly userSite: boolean;
  /** The ancestor process and its argv[0], e.g. 4242 and "/home/me/venv/bin/python". */
  readonly pid: number;
  readonly argv0: string;
}

/** What the walk reads about a process (procfs by default; tests pass a fake tree). */
export interface ProcessReader {
  /** The command line, split at NULs (undefined when the process is gone or unreadable). */
  cmdline(pid: number): string[] | undefined;
  /** The parent's pid. */
  ppid(pid: number): number | undefined;
  /** The process's environment (for PATH), or undefined. */
  environ(pid: number): Record<string, string> | undefined;
  /** The process's working directory, or undefined. */
  cwd(pid: number): string | undefined;
}

const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

/** Linux procfs. */
export const procfs: ProcessReader = {
  // NUL-terminated arguments: the last split part is empty.
  cmdline: (pid) => attempt(() => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1)),
  ppid: (pid) => {
    const m = attempt(() => /^PPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8")));
    return m ? Number(m[1]) : undefined;
  },
  environ: (pid) =>
    attempt(() =>
      Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, "utf8")
          .split("\0")
          .filter((kv) => kv.includes("="))
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      ),
    ),
  cwd: (pid) => attempt(() => readlinkSync(`/proc/${pid}/cwd`)),
};

/** python, python3, python3.11 (not python3-config, pythonw…). */
const PYTHON = /^python(\d+(\.\d+)*)?$/;

/** argv[0] as a path: absolute, relative to the process's cwd, or looked up on its PATH. */
function executablePath(argv0: string, pid: number, proc: ProcessReader): string | undefined {
  if (isAbsolute(argv0)) return argv0;
  if (argv0.includes("/")) {
    const cwd = proc.cwd(pid);
    return cwd ? resolve(cwd, argv0) : undefined;
  }
  for (const dir of (proc.environ(pid)?.["PATH"] ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, argv0))) return join(dir, argv0);
  }
  return undefined;
}

/**
 * The environment of a Python executable as Python computes `sys.prefix`: the directory above
 * `bin/` (a venv's python is a symlink to the base interpreter, so the path is not resolved).
 *
 * @example
 * pythonPrefixOf("/home/me/venv/bin/python"); // { prefix: "/home/me/venv", kind: "venv", userSite: false, … }
 */
export function pythonPrefixOf(executable: string, pid = 0): PythonPrefix {
  const prefix = dirname(dirname(executable));
  const cfg = attempt(() => readFileSync(join(prefix, "pyvenv.cfg"), "utf8"));
  if (cfg !== undefined) {
    const shared = /^\s*include-system-site-packages\s*=\s*true\s*$/im.test(cfg);
    return { prefix, kind: "venv", userSite: shared, pid, argv0: executable };
  }
  const kind = existsSync(join(prefix, "conda-meta")) ? "conda" : "system";
  return { prefix, kind, userSite: true, pid, argv0: executable };
}

/**
 * The nearest ancestor process (at most `levels` up from `start`) running Python, as the
 * environment it runs in: for a kernel, the Jupyter server that started it (a kernelspec may put a
 * wrapper in between). The command line's argv[0] is used, not /proc/<pid>/exe, which resolves a
 * venv's python symlink to the base interpreter and so loses the venv. Undefined when no ancestor
 * runs Python (VS Code, `flamebook run`) or procfs is missing (not Linux).
 *
 * @example
 * pythonAncestor(); // under `/venv/bin/python -m jupyter lab`: { prefix: "/venv", kind: "venv", … }
 */
export function pythonAncestor(start: number = process.ppid, levels = 4, proc: ProcessReader = procfs): PythonPrefix | undefined {
  let pid: number | undefined = start;
  for (let i = 0; i < levels && pid !== undefined && pid > 1; i++) {
    const argv = proc.cmdline(pid);
    const argv0 = argv?.[0];
    if (argv0 && PYTHON.test(basename(argv0))) {
      const exe = executablePath(argv0, pid, proc);
      return exe ? { ...pythonPrefixOf(exe, pid), argv0 } : undefined;
    }
    pid = proc.ppid(pid);
  }
  return undefined;
}
