import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createGunzip, createGzip, gunzip, gzip } from "node:zlib";
import { z } from "zod";
import { mkdirStore } from "../fs/self-ignored.js";

/** What an artifact holds. Text kinds are gzipped by default (see {@link defaultCompress}). */
export const artifactKindSchema = z.enum(["perf.data", "perf-script", "callgrind", "cachegrind", "dhat", "build-info", "timings", "stderr"]);
/** What an artifact holds. */
export type ArtifactKind = z.infer<typeof artifactKindSchema>;

/** A stored artifact, as an experiment record names it. */
export const artifactRefSchema = z.object({
  /** sha256 (hex) of the uncompressed content. */
  hash: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in lowercase hex"),
  kind: artifactKindSchema,
  /** Uncompressed size in bytes. */
  bytes: z.number().int().nonnegative(),
  stored: z.enum(["raw", "gzip"]),
  /** Path relative to the store root, e.g. "artifacts/ab/cdef….gz". */
  file: z.string().min(1),
  /** The name the caller gave it (e.g. "perf.data"), for display only. */
  name: z.string().optional(),
});
/** A stored artifact, as an experiment record names it. */
export type ArtifactRef = z.infer<typeof artifactRefSchema>;

/** How to store an artifact. */
export interface PutMeta {
  kind: ArtifactKind;
  /** Gzip the stored file. Default: {@link defaultCompress} of the kind. */
  compress?: boolean;
  /** A display name kept in the ref (e.g. "perf.data"). Default: none. */
  name?: string;
}

/** Why an artifact could not be read. */
export type ArtifactFailure = "missing" | "corrupt";

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

/** The directory below the store root that holds temporary files of streamed puts. */
const TMP_DIR = join("artifacts", ".tmp");
const FIX = "Delete it and re-run the experiment, or restore it from the original.";

/**
 * Whether an artifact kind is gzipped unless the caller says otherwise: the text kinds
 * (perf-script, callgrind, cachegrind, DHAT's JSON) are; perf.data (large, binary, read by perf in place) and
 * the small JSON/text kinds are not.
 *
 * @example
 * defaultCompress("perf-script"); // true
 * defaultCompress("perf.data");   // false
 */
export function defaultCompress(kind: ArtifactKind): boolean {
  return kind === "perf-script" || kind === "callgrind" || kind === "cachegrind" || kind === "dhat";
}

/**
 * The default store root: `<cwd>/.flamebook`.
 *
 * @example
 * defaultStoreRoot("/work/proj"); // "/work/proj/.flamebook"
 */
export function defaultStoreRoot(cwd: string = process.cwd()): string {
  return resolve(cwd, ".flamebook");
}

/**
 * A content-addressed store of experiment artifacts (perf.data, perf script text, build info…)
 * under a root directory. Files live at `artifacts/<2 hex>/<62 hex>[.gz]`, named by the sha256 of
 * their uncompressed content, so storing the same content twice is a no-op. Every write goes to a
 * temporary file, is fsynced and then renamed, so an interrupted put never leaves a file at the
 * final path. Reads verify the hash.
 *
 * @example
 * const store = new ArtifactStore(".flamebook");
 * const ref = await store.put("main;f 3\n", { kind: "perf-script" });
 * // { hash: "9f…", kind: "perf-script", bytes: 9, stored: "gzip", file: "artifacts/9f/….gz" }
 * new TextDecoder().decode(await store.get(ref)); // "main;f 3\n"
 */
export class ArtifactStore {
  /** The absolute store root. */
  readonly root: string;

  constructor(root: string = defaultStoreRoot()) {
    this.root = resolve(root);
  }

  /**
   * Stores bytes or a string (UTF-8). Resolves to the ref to keep in the record.
   *
   * @example
   * const ref = await store.put(JSON.stringify(info), { kind: "build-info" });
   */
  async put(data: Uint8Array | string, meta: PutMeta): Promise<ArtifactRef> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const hash = createHash("sha256").update(bytes).digest("hex");
    const ref = this.refFor(hash, bytes.byteLength, meta);
    const final = this.path(ref);
    if (await this.alreadyStored(ref)) return ref;
    const body = ref.stored === "gzip" ? await promisify(gzip)(bytes) : bytes;
    const tmp = tempName(dirname(final));
    try {
      mkdirStore(dirname(final));
      const fh = await open(tmp, "wx", 0o644);
      try {
        await fh.writeFile(body);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, final);
    } catch (e) {
      throw this.writeFailed(meta, e);
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined); // never hide the real error
    }
    await syncDir(dirname(final));
    return ref;
  }

  /**
   * Stores a file by streaming it: hashed (and gzipped, if asked) while it is copied, never read
   * into memory, so a perf.data of several hundred MB costs a few MB of RAM.
   *
   * @example
   * const ref = await store.putFile("/tmp/run-3/perf.data", { kind: "perf.data", name: "perf.data" });
   */
  async putFile(path: string, meta: PutMeta): Promise<ArtifactRef> {
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw new Error(`flamebook: cannot store ${path} as ${meta.kind}: it does not exist or is not a file.`);
    return this.putStream(createReadStream(path), meta);
  }

  /**
   * Stores what a stream yields (e.g. `perf script` output). If the stream fails, nothing is left
   * behind: neither a file at the final path nor a temporary file.
   *
   * @example
   * const ref = await store.putStream(child.stdout, { kind: "perf-script" });
   */
  async putStream(source: Readable | AsyncIterable<Uint8Array>, meta: PutMeta): Promise<ArtifactRef> {
    // A stream may fail before the pipeline is attached (while the temp file is opened): keep its error.
    let early: unknown;
    const onEarly = (e: unknown) => (early ??= e);
    if (source instanceof Readable) source.on("error", onEarly);
    const tmpDir = join(this.root, TMP_DIR);
    const tmp = tempName(tmpDir);
    const hasher = new HashingPassThrough();
    const compress = meta.compress ?? defaultCompress(meta.kind);
    let done = false;
    try {
      const fh = await Promise.resolve()
        .then(() => mkdirStore(tmpDir))
        .then(() => open(tmp, "wx", 0o644))
        .catch((e: unknown) => {
          throw this.writeFailed(meta, e);
        });
      try {
        if (early !== undefined) throw early;
        // Our own sink, so that its error (ENOSPC…) is the one reported, not the AbortError of the others.
        let writeError: unknown;
        const out = async (chunks: AsyncIterable<Buffer>) => {
          try {
            for await (const chunk of chunks) await writeAll(fh, chunk);
          } catch (e) {
            writeError ??= e;
            throw e;
          }
        };
        const input = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
        try {
          if (compress) await pipeline(input, hasher, createGzip(), out);
          else await pipeline(input, hasher, out);
        } catch (e) {
          throw early ?? (writeError !== undefined ? this.writeFailed(meta, writeError) : e);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const ref = this.refFor(hasher.digest(), hasher.bytes, { ...meta, compress });
      const final = this.path(ref);
      if (!(await this.alreadyStored(ref))) {
        await Promise.resolve()
          .then(() => mkdirStore(dirname(final)))
          .then(() => rename(tmp, final))
          .catch((e: unknown) => {
            throw this.writeFailed(meta, e);
          });
        await syncDir(dirname(final));
      }
      done = true;
      return ref;
    } finally {
      if (source instanceof Readable) {
        source.off("error", onEarly);
        if (!done && !source.destroyed) source.destroy(); // e.g. the store was not writable: close the input file
      }
      await rm(tmp, { force: true }).catch(() => undefined); // never hide the real error
    }
  }

  /**
   * The content of an artifact, decompressed, after checking its sha256 and size. Throws an
   * {@link ArtifactError} naming the file when it is missing or corrupt.
   *
   * @example
   * const text = new TextDecoder().decode(await store.get(record.runs[0].artifacts!["perf-script"]));
   */
  async get(ref: ArtifactRef): Promise<Uint8Array> {
    const file = this.path(ref);
    const raw = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw this.missing(ref, file, e);
    });
    let data: Uint8Array = raw;
    if (ref.stored === "gzip") {
      try {
        data = await promisify(gunzip)(raw);
      } catch (e) {
        throw corrupt(ref, file, `it is not valid gzip (${(e as Error).message})`);
      }
    }
    checkContent(ref, file, createHash("sha256").update(data).digest("hex"), data.byteLength);
    return data;
  }

  /**
   * Checks an artifact's hash by streaming it (for large files such as perf.data that a caller
   * hands to another tool by {@link ArtifactStore.path} instead of reading them).
   *
   * @example
   * await store.verify(ref); // throws ArtifactError when the file was changed
   * await run("perf", ["script", "-i", store.path(ref)]);
   */
  async verify(ref: ArtifactRef): Promise<void> {
    const file = this.path(ref);
    await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw this.missing(ref, file, e);
    });
    const hasher = new HashingPassThrough();
    const sink = async (src: AsyncIterable<unknown>) => {
      for await (const _ of src); // drain
    };
    try {
      if (ref.stored === "gzip") await pipeline(createReadStream(file), createGunzip(), hasher, sink);
      else await pipeline(createReadStream(file), hasher, sink);
    } catch (e) {
      throw corrupt(ref, file, `it cannot be read back (${(e as Error).message})`);
    }
    checkContent(ref, file, hasher.digest(), hasher.bytes);
  }

  /**
   * The absolute path of an artifact's stored file (gzipped when `ref.stored` is "gzip").
   *
   * @example
   * store.path(ref); // "/work/proj/.flamebook/artifacts/ab/cdef…"
   */
  path(ref: ArtifactRef): string {
    const rel = normalize(ref.file);
    if (isAbsolute(rel) || rel === ".." || rel.startsWith(`..${sep}`)) {
      throw new Error(`flamebook: artifact path '${ref.file}' leaves the store ${this.root}; the record is damaged. Re-run the experiment.`);
    }
    return join(this.root, rel);
  }

  /**
   * Whether the artifact's file exists (without checking its content; see {@link ArtifactStore.verify}).
   *
   * @example
   * if (!(await store.has(ref))) console.warn("re-run needed");
   */
  async has(ref: ArtifactRef): Promise<boolean> {
    return (await stat(this.path(ref)).catch(() => null))?.isFile() ?? false;
  }

  /**
   * Removes temporary files that interrupted puts (a killed process) left in `artifacts/.tmp`
   * and that are older than `olderThanMs`. Resolves to how many were removed.
   *
   * @example
   * await store.sweepTemp(); // 0
   */
  async sweepTemp(olderThanMs = 3_600_000): Promise<number> {
    const dir = join(this.root, TMP_DIR);
    const names = await readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const n of names) {
      const st = await stat(join(dir, n)).catch(() => null);
      if (st && Date.now() - st.mtimeMs > olderThanMs) {
        await rm(join(dir, n), { force: true });
        removed++;
      }
    }
    return removed;
  }

  private refFor(hash: string, bytes: number, meta: PutMeta): ArtifactRef {
    const stored = (meta.compress ?? defaultCompress(meta.kind)) ? "gzip" : "raw";
    const file = `artifacts/${hash.slice(0, 2)}/${hash.slice(2)}${stored === "gzip" ? ".gz" : ""}`;
    return { hash, kind: meta.kind, bytes, stored, file, ...(meta.name !== undefined ? { name: meta.name } : {}) };
  }

  /** True when the final file exists (and, for raw files, has the right size: a cheap check). */
  private async alreadyStored(ref: ArtifactRef): Promise<boolean> {
    const st = await stat(this.path(ref)).catch(() => null);
    if (!st?.isFile()) return false;
    return ref.stored === "gzip" || st.size === ref.bytes;
  }

  /** A write into the store failed (full disk, read-only, permissions): say where and what to do. */
  private writeFailed(meta: PutMeta, e: unknown): Error {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code !== "string") return e as Error;
    const fix =
      err.code === "ENOSPC" || err.code === "EDQUOT"
        ? "Free some space there (old experiments can be deleted), or use another store root."
        : "Make it writable, or use another store root.";
    return new Error(`flamebook: cannot write a ${meta.kind} artifact to the store ${this.root}: ${err.message}. ${fix}`, { cause: e });
  }

  private missing(ref: ArtifactRef, file: string, e: NodeJS.ErrnoException): ArtifactError {
    if (e.code === "ENOENT") {
      return new ArtifactError(
        "missing",
        file,
        `flamebook: artifact ${file} (${describe(ref)}) is missing from the store ${this.root}. ` +
          "Re-run the experiment, or restore the file from a copy of the store.",
      );
    }
    return new ArtifactError("missing", file, `flamebook: cannot read artifact ${file} (${describe(ref)}): ${e.message}`);
  }
}

/** A pass-through stream that hashes and counts what flows through it. */
class HashingPassThrough extends Transform {
  private readonly hash = createHash("sha256");
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
    cb(null, chunk);
  }
  digest(): string {
    return this.hash.digest("hex");
  }
}

function checkContent(ref: ArtifactRef, file: string, hash: string, bytes: number): void {
  if (hash !== ref.hash || bytes !== ref.bytes) {
    throw corrupt(ref, file, `its content hashes to ${hash.slice(0, 12)}… (${bytes} bytes), not ${ref.hash.slice(0, 12)}… (${ref.bytes} bytes)`);
  }
}

function corrupt(ref: ArtifactRef, file: string, why: string): ArtifactError {
  return new ArtifactError("corrupt", file, `flamebook: artifact ${file} (${describe(ref)}) is corrupt: ${why}. ${FIX}`);
}

function describe(ref: ArtifactRef): string {
  return ref.name !== undefined ? `${ref.kind} '${ref.name}'` : ref.kind;
}

/** Writes the whole chunk (a write to a file may be short). */
async function writeAll(fh: FileHandle, chunk: Buffer): Promise<void> {
  for (let off = 0; off < chunk.byteLength; ) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
    off += bytesWritten;
  }
}

function tempName(dir: string): string {
  return join(dir, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
}

/** fsyncs a directory so that a rename in it survives a crash; best effort (not every FS allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // e.g. EISDIR/EINVAL on some filesystems: the data itself was fsynced.
  }
}
