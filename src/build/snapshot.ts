import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Copies a freshly built executable to `<its dir>/flamebook-snapshots/<sha256 prefix>/<name>`
 * and returns that path with the full hash. Cargo writes every build of a crate and profile to
 * the same path, so without this a build of variant B would silently replace the binary that a
 * result of variant A points to. The copy is written under a temporary name and renamed, and an
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
  await mkdir(dir, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  try {
    await copyFile(exe, partial);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return { path, sha256 };
}
