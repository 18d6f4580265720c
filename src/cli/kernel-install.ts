import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { writeFileAtomicSync } from "../fs/atomic.js";
import { packageRoot } from "../fs/package-root.js";

/** The logos front ends show for the kernel (drawn by scripts/make-logos.mjs), in kernel/logos/. */
export const KERNEL_LOGOS = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] as const;

/** Where and under which name `flamebook kernel install` writes the kernelspec. */
export interface KernelInstallOptions {
  /** Install into the user's Jupyter data dir ($JUPYTER_DATA_DIR or ~/.local/share/jupyter). */
  user?: boolean;
  /** Install into `<prefix>/share/jupyter` (e.g. a virtualenv); wins over `user`. */
  prefix?: string;
  /** The kernel name (default "flamebook"). */
  name?: string;
  /** The display name in front ends (default "TypeScript (flamebook)"). */
  displayName?: string;
}

/** The contents of a kernel.json. */
export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "message" | "signal";
  metadata: Record<string, unknown>;
}


/** The compiled kernel the kernelspec runs (written by `npm run build`, shipped in the package). */
export function kernelEntry(): string {
  return join(packageRoot(), "dist", "kernel", "main.js");
}

/**
 * The kernelspec that runs the compiled kernel (`dist/kernel/main.js`) with this Node: plain
 * JavaScript, nothing from the repository's dev tooling (no TypeScript loader) at run time.
 *
 * @example kernelSpec().argv // ["/usr/bin/node", "/…/flamebook/dist/kernel/main.js", "{connection_file}"]
 */
export function kernelSpec(opts: KernelInstallOptions = {}): KernelSpecJson {
  return {
    argv: [process.execPath, kernelEntry(), "{connection_file}"],
    display_name: opts.displayName ?? "TypeScript (flamebook)",
    language: "typescript",
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

/**
 * The directory the kernelspec goes to.
 *
 * @example kernelSpecDir({ prefix: "/opt/venv" }) // "/opt/venv/share/jupyter/kernels/flamebook"
 */
export function kernelSpecDir(opts: KernelInstallOptions = {}): string {
  const name = opts.name ?? "flamebook";
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new Error(`flamebook kernel install: invalid kernel name ${JSON.stringify(name)} (use letters, digits, ., _ and -)`);
  if (opts.prefix) return join(resolve(opts.prefix), "share", "jupyter", "kernels", name);
  if (opts.user) return join(process.env.JUPYTER_DATA_DIR ?? join(homedir(), ".local", "share", "jupyter"), "kernels", name);
  return join("/usr/local/share/jupyter/kernels", name);
}

/**
 * Writes kernel.json (atomically) and the logos; returns the kernelspec directory.
 *
 * @example installKernelSpec({ user: true }) // "/home/me/.local/share/jupyter/kernels/flamebook"
 */
export function installKernelSpec(opts: KernelInstallOptions = {}): string {
  const entry = kernelEntry();
  if (!existsSync(entry)) throw new Error(`flamebook kernel install: the compiled kernel ${entry} is missing; run \`npm run build\` in ${packageRoot()} first.`);
  const dir = kernelSpecDir(opts);
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, "kernel.json"), JSON.stringify(kernelSpec(opts), null, 2) + "\n", { mkdir: false });
  const logos = join(packageRoot(), "kernel", "logos");
  for (const logo of KERNEL_LOGOS) writeFileAtomicSync(join(dir, logo), readFileSync(join(logos, logo)), { mkdir: false });
  return dir;
}
