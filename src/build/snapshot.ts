import { createHash } from "node:crypto";
import { copyFile, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { atomicFile, writeError } from "../fs/atomic.js";

/**
 * Copies a freshly built executable to `<its dir>/flamebook-snapshots/<sha256 prefix>/<name>`
 * and returns that path with the full hash. Cargo writes every build of a crate and profile to
 * the same path, so without this a build of variant B would silently replace the binary that a
 * result of variant A points to. The copy is written atomically (src/fs/atomic.ts), and an
 * existing snapshot with the same content is reused.
 *
 * @example
 * const { path, sha256 } = await snapshotExecutable("/c/target/profiling/wordfreq");
 * // path: "/c/target/profiling/flamebook-snapshots/3f2a9c0e1b7d4a55/wordfreq"
 */
export async function snapshotExecutable(exe: string): Promise<{ path: string; sha256: string }> {
  const sha256 = createHash("sha256").update(await readFile(exe)).digest("hex");
  const dir = join(dirname(exe), "flamebook-snapshots", sha256.slice(0, 16));
  const path = join(dir, basename(exe));
  if ((await stat(path).catch(() => null))?.isFile()) return { path, sha256 };
  const copy = await atomicFile(path);
  try {
    // keeps the executable's mode
    await copyFile(exe, copy.temp).catch((e: unknown) => {
      throw writeError(path, e);
    });
    await copy.commit();
  } finally {
    await copy.abort();
  }
  return { path, sha256 };
}
