import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Writes a whole file or nothing: the data goes to a temporary file next to `path` (same
 * directory, so the rename cannot cross file systems), is flushed to disk, and is renamed over
 * `path`. A failure (disk full, interrupt) removes the temporary file and leaves any previous
 * `path` untouched. Parent directories are created. Returns the absolute path.
 *
 * @example
 * await writeFileAtomic("out/report.html", html); // "/home/me/out/report.html"
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<string> {
  const out = resolve(path);
  await mkdir(dirname(out), { recursive: true }).catch((e: unknown) => {
    throw writeError(out, e);
  });
  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw writeError(out, e);
  }
  return out;
}

/**
 * The error of a failed write, naming the file (Node's ENOSPC message names none) and the fix.
 *
 * @example
 * throw writeError("/out/report.html", e); // "flamebook: cannot write /out/report.html: ENOSPC: …"
 */
export function writeError(path: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.message === "string" && err.message.includes(path)) return err;
  const fix =
    err?.code === "ENOSPC" || err?.code === "EDQUOT"
      ? " The disk is full: free some space or write elsewhere; nothing was written."
      : err?.code === "EACCES" || err?.code === "EPERM" || err?.code === "EROFS"
        ? " Make the directory writable or write elsewhere; nothing was written."
        : "";
  return Object.assign(new Error(`flamebook: cannot write ${path}: ${err?.message ?? String(e)}.${fix}`, { cause: e }), { code: err?.code });
}
