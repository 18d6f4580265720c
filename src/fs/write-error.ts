// The one error text of a failed write: what could not be written, why (the system's words and
// the errno code), and the fix. Every writer (src/fs/atomic.ts and its callers) reports through it.

/** How a caller words a failed write: what was being written, and its own fix. */
export interface WriteErrorOptions {
  /** What could not be written, as the sentence names it. Default: the path. */
  what?: string;
  /**
   * The fix, a sentence, or a function of the usual fix and the errno code that returns it.
   * Default: the usual fix for the error code (e.g. "Free some space and run again.").
   */
  fix?: string | ((usual: string, code: string | undefined) => string);
}

/**
 * A write failed (a full disk, a read-only directory, a missing one…). The message names the
 * file, says why in plain words with the errno code, and gives the fix; `code` keeps the errno
 * code and `cause` the original error.
 *
 * @example
 * try { await writeFileAtomic(p, text); } catch (e) { if (e instanceof WriteError && e.code === "ENOSPC") … }
 */
export class WriteError extends Error {
  override readonly name = "WriteError";
  constructor(
    /** The file that could not be written. */
    readonly path: string,
    /** The errno code ("ENOSPC", "EACCES"…), when there is one. */
    readonly code: string | undefined,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** The usual fix of a failed write, by errno code. */
const FIXES: readonly (readonly [codes: readonly string[], fix: string])[] = [
  [["ENOSPC", "EDQUOT"], "Free some space and run again."],
  [["EACCES", "EPERM", "EROFS"], "Make the directory writable, or write elsewhere."],
  [["ENOENT", "ENOTDIR", "EEXIST", "EISDIR"], "Check that the directory exists and the path names a file, or write elsewhere."],
  [["EMFILE", "ENFILE"], "Close some files and run again."],
];

/**
 * The {@link WriteError} of a failed write of `path`:
 * "flamebook: cannot write <what>: <why> (<CODE>). <fix>". An error that already is a
 * WriteError is returned as it is, so wrapping twice is harmless.
 *
 * @example
 * throw writeError("/out/report.html", e);
 * // "flamebook: cannot write /out/report.html: no space left on device (ENOSPC). Free some space and run again."
 * throw writeError(file, e, { what: `experiment record ${file}`, fix: "Free some space, or use another store root." });
 */
export function writeError(path: string, e: unknown, opts: WriteErrorOptions = {}): WriteError {
  if (e instanceof WriteError) return e;
  const err = e as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === "string" ? err.code : undefined;
  const message = (err?.message ?? String(e)).replace(/\.$/, "");
  // Node's "ENOSPC: no space left on device, write" (or "…, open '<path>'"): keep the words, name the code
  const words = code !== undefined ? new RegExp(`^${code.replace(/\W/g, "\\$&")}: (.+?), [a-z_]+(?: '.*')?$`, "s").exec(message)?.[1] : undefined;
  const why = words !== undefined ? `${words} (${code})` : message;
  const usual = FIXES.find(([codes]) => code !== undefined && codes.includes(code))?.[1] ?? "Check the path and run again.";
  const fix = typeof opts.fix === "function" ? opts.fix(usual, code) : (opts.fix ?? usual);
  return new WriteError(path, code, `flamebook: cannot write ${opts.what ?? path}: ${why}. ${fix}`, e);
}
