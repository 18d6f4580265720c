// The errors of reading an artifact back: missing, or content that does not match its hash.
import type { ArtifactRef } from "./artifact-ref.js";

/** Why an artifact could not be read. */
export type ArtifactFailure = "missing" | "corrupt";

const FIX = "Delete it and re-run the experiment, or restore it from the original.";

/**
 * An artifact is missing or its content does not match its hash. The message names the file
 * and the fix.
 *
 * @example
 * try { await store.get(ref); } catch (e) { if (e instanceof ArtifactError) console.error(e.file); }
 */
export class ArtifactError extends Error {
  override readonly name = "ArtifactError";
  constructor(
    readonly failure: ArtifactFailure,
    /** The absolute path of the stored file. */
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Throws a "corrupt" {@link ArtifactError} unless the content read from `file` has the ref's hash and size.
 *
 * @example
 * checkContent(ref, file, sha256hex, data.byteLength);
 */
export function checkContent(ref: ArtifactRef, file: string, hash: string, bytes: number): void {
  if (hash !== ref.hash || bytes !== ref.bytes) {
    throw corruptArtifact(ref, file, `its content hashes to ${hash.slice(0, 12)}… (${bytes} bytes), not ${ref.hash.slice(0, 12)}… (${ref.bytes} bytes)`);
  }
}

/**
 * The error of an artifact that cannot be trusted: `why` says what is wrong.
 *
 * @example
 * throw corruptArtifact(ref, file, "it is not valid gzip");
 */
export function corruptArtifact(ref: ArtifactRef, file: string, why: string): ArtifactError {
  return new ArtifactError("corrupt", file, `flamebook: artifact ${file} (${describeArtifact(ref)}) is corrupt: ${why}. ${FIX}`);
}

/**
 * The error of an artifact that cannot be read from the store at `root`.
 *
 * @example
 * await readFile(file).catch((e) => { throw missingArtifact(ref, file, store.root, e); });
 */
export function missingArtifact(ref: ArtifactRef, file: string, root: string, e: NodeJS.ErrnoException): ArtifactError {
  if (e.code === "ENOENT") {
    return new ArtifactError(
      "missing",
      file,
      `flamebook: artifact ${file} (${describeArtifact(ref)}) is missing from the store ${root}. ` + "Re-run the experiment, or restore the file from a copy of the store.",
    );
  }
  return new ArtifactError("missing", file, `flamebook: cannot read artifact ${file} (${describeArtifact(ref)}): ${e.message}`);
}

function describeArtifact(ref: ArtifactRef): string {
  return ref.name !== undefined ? `${ref.kind} '${ref.name}'` : ref.kind;
}
