import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ExecError, run } from "../exec/index.js";

/** Appended to "cargo/rustc was not found" errors. */
export const RUST_HINT = "Install Rust (https://rustup.rs) or the Debian package cargo.";

/**
 * Resolves the crate directory (a path, a file: URL, or the path of its Cargo.toml) to an
 * absolute directory that holds a Cargo.toml, or fails with a message naming the path.
 *
 * @example
 * await crateDirOf("notebooks/crates/clone-in-loop"); // "/work/main/notebooks/crates/clone-in-loop"
 */
export async function crateDirOf(dir: string | URL): Promise<string> {
  let abs = resolve(dir instanceof URL ? fileURLToPath(dir) : dir);
  const st = await stat(abs).catch(() => null);
  if (!st) {
    throw new Error(
      `flamebook: crate directory ${abs} does not exist. Pass the directory that holds the crate's Cargo.toml ` +
        `(relative paths are resolved from ${process.cwd()}).`,
    );
  }
  if (st.isFile() && basename(abs) === "Cargo.toml") abs = dirname(abs);
  else if (!st.isDirectory()) {
    throw new Error(`flamebook: ${abs} is not a directory. Pass the crate directory (the one holding Cargo.toml).`);
  }
  const manifest = await stat(join(abs, "Cargo.toml")).catch(() => null);
  if (!manifest?.isFile()) {
    throw new Error(`flamebook: no Cargo.toml in ${abs}. Pass the crate directory (the one holding Cargo.toml).`);
  }
  return abs;
}

/**
 * The text of the workspace-root Cargo.toml of the crate in `dir` (where cargo reads profiles),
 * found with `cargo locate-project --workspace`.
 *
 * @example
 * const { path, text } = await workspaceManifest("/work/crate"); // path: "/work/Cargo.toml"
 */
export async function workspaceManifest(
  dir: string,
  opts: { signal?: AbortSignal; env?: Record<string, string | undefined> } = {},
): Promise<{ path: string; text: string }> {
  let out: string;
  try {
    const r = await run("cargo", ["locate-project", "--workspace", "--message-format", "plain"], {
      cwd: dir, env: opts.env, signal: opts.signal, captureStdout: true, timeoutMs: 60_000, notFoundHint: RUST_HINT,
    });
    out = r.stdout.trim();
  } catch (e) {
    if (e instanceof ExecError && e.failure === "exit") {
      throw new Error(
        `flamebook: cargo cannot read the manifest of the crate in ${dir}:\n${e.result.stderrTail.trim()}\n` +
          `Fix ${join(dir, "Cargo.toml")} (or the workspace's) and try again.`,
      );
    }
    throw e;
  }
  const text = await readFile(out, "utf8").catch((e: Error) => {
    throw new Error(`flamebook: cannot read the workspace manifest ${out} of ${dir}: ${e.message}`);
  });
  return { path: out, text };
}

/**
 * The full `rustc -vV` output of the compiler cargo will use in `dir` (rustup toolchain files
 * and `RUSTC` are honoured).
 *
 * @example
 * await rustcVersion("/work/crate"); // "rustc 1.95.0 (…)\nbinary: rustc\n…\nLLVM version: 20.1.8"
 */
export async function rustcVersion(
  dir: string,
  opts: { signal?: AbortSignal; env?: Record<string, string | undefined> } = {},
): Promise<string> {
  const rustc = opts.env?.RUSTC ?? process.env.RUSTC ?? "rustc";
  const r = await run(rustc, ["-vV"], {
    cwd: dir, env: opts.env, signal: opts.signal, captureStdout: true, timeoutMs: 60_000, notFoundHint: RUST_HINT,
  });
  return r.stdout.trim();
}
