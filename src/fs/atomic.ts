// Atomic writes, the one implementation every writer uses: the data goes to a temporary file
// beside the target (same directory, so the rename cannot cross file systems), is fsynced, and is
// renamed over the target, whose directory is then fsynced. A failure (a full disk, an interrupt)
// removes the temporary file and leaves any previous target untouched, so partial output is
// never found under the final name. Temporary files still open when the process exits (Ctrl-C in
// the CLI) are removed by an exit hook; after a SIGKILL they stay, hidden and named `….partial`.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { writeError, type WriteErrorOptions } from "./write-error.js";

export { writeError, WriteError, type WriteErrorOptions } from "./write-error.js";

/** Options of every atomic write. Every option documents its default. */
export interface AtomicOptions {
  /** Create the target's directory (recursively) first. Default: true. */
  mkdir?: boolean;
  /** Permission bits of a new file (before the umask). Default: 0o666. */
  mode?: number;
  /** How an error names what was written and the fix (see {@link writeError}). Default: the path, and the usual fix for the error code. */
  error?: WriteErrorOptions;
}

/**
 * A temporary file reserved for a target: something writes `temp` (another program, a copy),
 * then `commit()` moves it into place (fsync, rename, fsync of the directory), or `abort()`
 * removes it. Both may be called more than once; `abort()` after `commit()` does nothing.
 */
export interface AtomicFile {
  /** The absolute target path. */
  readonly path: string;
  /** The temporary file beside it: `<dir>/.<name>.<pid>-<random>.partial`. */
  readonly temp: string;
  /**
   * Moves the finished temporary file to `to` (default: the target; another name on the same
   * file system, for content-addressed files whose name is known only at the end). Resolves to
   * the path written.
   */
  commit(to?: string): Promise<string>;
  /** Removes the temporary file (nothing happens to the target). */
  abort(): Promise<void>;
}

/** A streaming atomic write: `write()` chunks in order, then `commit()` or `abort()`. */
export interface AtomicWriter extends AtomicFile {
  /**
   * Appends a chunk (strings as UTF-8). Writes are queued in call order; the promise rejects
   * with the write's error, which `commit()` throws again, so a caller that cannot wait (a
   * synchronous callback) may ignore it.
   */
  write(chunk: Uint8Array | string): Promise<void>;
}

/**
 * The temporary name for writing `path`: hidden, in the same directory, unique to this process
 * and call, and ending in `.partial` so that it never reads as complete.
 *
 * @example
 * tempPathFor("/out/flame.html"); // "/out/.flame.html.4242-9f3a01bc.partial"
 */
export function tempPathFor(path: string): string {
  const out = resolve(path);
  return join(dirname(out), `.${basename(out).slice(0, 200)}.${process.pid}-${randomBytes(4).toString("hex")}.partial`);
}

/**
 * Writes a whole file or nothing (see the module comment). Returns the absolute path. Errors are
 * {@link WriteError}s naming the file and the fix.
 *
 * @example
 * await writeFileAtomic("out/report.html", html); // "/home/me/out/report.html"
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicOptions = {}): Promise<string> {
  const w = await openAtomic(path, opts);
  try {
    await w.write(data);
    return await w.commit();
  } finally {
    await w.abort();
  }
}

/**
 * {@link writeFileAtomic} for synchronous code (an exit hook, a setup step).
 *
 * @example
 * writeFileAtomicSync(join(dir, "kernel.json"), JSON.stringify(spec));
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, opts: AtomicOptions = {}): string {
  const out = resolve(path);
  const temp = tempPathFor(out);
  try {
    if (opts.mkdir ?? true) mkdirSync(dirname(out), { recursive: true });
    const fd = openSync(temp, "wx", opts.mode ?? 0o666);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, out);
  } catch (e) {
    removeSync(temp);
    throw writeError(out, e, opts.error);
  }
  let dirFd: number | undefined;
  try {
    dirFd = openSync(dirname(out), "r");
    fsyncSync(dirFd);
  } catch {
    // best effort, as in syncDir
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
  }
  return out;
}

/**
 * Opens a streaming atomic write of `path`: chunks go to a temporary file beside it, `commit()`
 * puts the whole file in place, `abort()` (or a failure) leaves nothing.
 *
 * @example
 * const w = await openAtomic("out/stacks.folded");
 * try { for (const line of lines) await w.write(line); await w.commit(); } finally { await w.abort(); }
 */
export async function openAtomic(path: string, opts: AtomicOptions = {}): Promise<AtomicWriter> {
  const out = resolve(path);
  const temp = tempPathFor(out);
  try {
    if (opts.mkdir ?? true) await mkdir(dirname(out), { recursive: true });
    return new StreamingFile(out, temp, opts.error, await open(temp, "wx", opts.mode ?? 0o666));
  } catch (e) {
    throw writeError(out, e, opts.error);
  }
}

/**
 * Reserves a temporary file for `path` that something else writes (perf's `-o`, valgrind's
 * output file, a copy); `commit()` moves the finished file into place.
 *
 * @example
 * const data = await atomicFile(".flamebook/recordings/app.perf.data");
 * try { await run("perf", ["record", "-o", data.temp, "--", "./app"]); await data.commit(); } finally { await data.abort(); }
 */
export async function atomicFile(path: string, opts: AtomicOptions = {}): Promise<AtomicFile> {
  const out = resolve(path);
  if (opts.mkdir ?? true) {
    await mkdir(dirname(out), { recursive: true }).catch((e: unknown) => {
      throw writeError(out, e, opts.error);
    });
  }
  return new PendingFile(out, tempPathFor(out), opts.error);
}

/** Temporary files not yet committed or aborted: removed if the process exits first. */
const live = new Set<string>();
let exitHook = false;

function track(temp: string): void {
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const t of live) removeSync(t);
    });
  }
  live.add(temp);
}

/** A temporary file written by someone else: fsynced, renamed into place, or removed. */
class PendingFile implements AtomicFile {
  private settled = false;

  constructor(
    readonly path: string,
    readonly temp: string,
    protected readonly words: WriteErrorOptions | undefined,
  ) {
    track(temp);
  }

  async commit(to?: string): Promise<string> {
    const target = to === undefined ? this.path : resolve(to);
    if (this.settled) throw new Error(`flamebook: the atomic write of ${this.path} is already finished.`);
    try {
      await this.flush();
      await rename(this.temp, target);
    } catch (e) {
      await this.abort();
      throw writeError(target, e, this.words);
    }
    this.settle();
    await syncDir(dirname(target));
    return target;
  }

  async abort(): Promise<void> {
    if (this.settled) return;
    this.settle();
    await this.close().catch(() => undefined); // never hide the real error
    await rm(this.temp, { force: true }).catch(() => undefined);
  }

  /** Puts the temporary file's data on the disk. */
  protected async flush(): Promise<void> {
    const fh = await open(this.temp, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Closes what this object holds open. */
  protected async close(): Promise<void> {}

  private settle(): void {
    this.settled = true;
    live.delete(this.temp);
  }
}

/** A temporary file this process writes chunk by chunk. */
class StreamingFile extends PendingFile implements AtomicWriter {
  private queue: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private fh: FileHandle | undefined;

  constructor(path: string, temp: string, words: WriteErrorOptions | undefined, fh: FileHandle) {
    super(path, temp, words);
    this.fh = fh;
  }

  write(chunk: Uint8Array | string): Promise<void> {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    const done = this.queue
      .then(async () => {
        if (this.failure) throw this.failure;
        if (!this.fh) throw new Error(`flamebook: the atomic write of ${this.path} is already finished.`);
        for (let off = 0; off < bytes.byteLength; ) off += (await this.fh.write(bytes, off, bytes.byteLength - off)).bytesWritten;
      })
      .catch((e: unknown) => {
        throw (this.failure ??= writeError(this.path, e, this.words));
      });
    this.queue = done.catch(() => undefined); // also marks `done` handled for callers that do not wait
    return done;
  }

  protected override async flush(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
    await this.fh!.sync();
    await this.close();
  }

  protected override async close(): Promise<void> {
    await this.queue; // a write under way finishes (or fails) before the file is closed
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}

/** Removes a temporary file, if it is there; never throws (it must not hide the real error). */
function removeSync(temp: string): void {
  try {
    rmSync(temp, { force: true });
  } catch {
    // e.g. ENOTDIR: it was never created
  }
}

/** fsyncs a directory so that a rename in it survives a crash; best effort (not every file system allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // e.g. EISDIR/EINVAL on some file systems: the data itself was fsynced.
  }
}
