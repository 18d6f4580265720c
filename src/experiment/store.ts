import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createGunzip, createGzip, gunzip, gzip } from "node:zlib";
import { openAtomic, writeError, writeFileAtomic, type AtomicWriter, type WriteErrorOptions } from "../fs/atomic.js";
import { mkdirStore } from "../fs/self-ignored.js";
import { checkContent, corruptArtifact, missingArtifact } from "./artifact-error.js";
import { artifactRef, defaultCompress, type ArtifactRef, type PutMeta } from "./artifact-ref.js";
import { HashingPassThrough } from "./hashing-stream.js";

export { ArtifactError, type ArtifactFailure } from "./artifact-error.js";
export { artifactKindSchema, artifactRefSchema, defaultCompress, type ArtifactKind, type ArtifactRef, type PutMeta } from "./artifact-ref.js";

/** The directory below the store root that holds temporary files of streamed puts. */
const TMP_DIR = join("artifacts", ".tmp");

/**
 * The fix of a failed write into a store (an artifact or a record): free space there, or make it
 * writable, or use another store root.
 *
 * @example
 * writeError(file, e, { fix: storeWriteFix }).message; // "… (ENOSPC). Free some space there (old experiments can be deleted), or use another store root."
 */
export function storeWriteFix(_usual: string, code: string | undefined): string {
  return code === "ENOSPC" || code === "EDQUOT"
    ? "Free some space there (old experiments can be deleted), or use another store root."
    : "Make it writable, or use another store root.";
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
    const ref = artifactRef(createHash("sha256").update(bytes).digest("hex"), bytes.byteLength, meta);
    if (await this.alreadyStored(ref)) return ref;
    const body = ref.stored === "gzip" ? await promisify(gzip)(bytes) : bytes;
    const final = this.path(ref);
    this.mkdir(dirname(final), meta);
    await writeFileAtomic(final, body, { mkdir: false, mode: 0o644, error: this.words(meta) });
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
    const hasher = new HashingPassThrough();
    const compress = meta.compress ?? defaultCompress(meta.kind);
    let w: AtomicWriter | undefined;
    let done = false;
    try {
      this.mkdir(tmpDir, meta);
      // The name is the content's hash, known at the end: written in artifacts/.tmp, committed under it.
      w = await openAtomic(join(tmpDir, "artifact"), { mkdir: false, mode: 0o644, error: this.words(meta) });
      if (early !== undefined) throw early;
      // Our own sink, so that its error (ENOSPC…) is the one reported, not the AbortError of the others.
      let writeFailure: unknown;
      const writer = w;
      const out = async (chunks: AsyncIterable<Buffer>) => {
        try {
          for await (const chunk of chunks) await writer.write(chunk);
        } catch (e) {
          writeFailure ??= e;
          throw e;
        }
      };
      const input = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
      try {
        if (compress) await pipeline(input, hasher, createGzip(), out);
        else await pipeline(input, hasher, out);
      } catch (e) {
        throw early ?? writeFailure ?? e;
      }
      const ref = artifactRef(hasher.digest(), hasher.bytes, { ...meta, compress });
      if (!(await this.alreadyStored(ref))) {
        const final = this.path(ref);
        this.mkdir(dirname(final), meta);
        await w.commit(final);
      }
      done = true;
      return ref;
    } finally {
      if (source instanceof Readable) {
        source.off("error", onEarly);
        if (!done && !source.destroyed) source.destroy(); // e.g. the store was not writable: close the input file
      }
      await w?.abort(); // nothing when committed; never hides the real error
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
      throw missingArtifact(ref, file, this.root, e);
    });
    let data: Uint8Array = raw;
    if (ref.stored === "gzip") {
      try {
        data = await promisify(gunzip)(raw);
      } catch (e) {
        throw corruptArtifact(ref, file, `it is not valid gzip (${(e as Error).message})`);
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
      throw missingArtifact(ref, file, this.root, e);
    });
    const hasher = new HashingPassThrough();
    const sink = async (src: AsyncIterable<unknown>) => {
      for await (const _ of src); // drain
    };
    try {
      if (ref.stored === "gzip") await pipeline(createReadStream(file), createGunzip(), hasher, sink);
      else await pipeline(createReadStream(file), hasher, sink);
    } catch (e) {
      throw corruptArtifact(ref, file, `it cannot be read back (${(e as Error).message})`);
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

  /** True when the final file exists (and, for raw files, has the right size: a cheap check). */
  private async alreadyStored(ref: ArtifactRef): Promise<boolean> {
    const st = await stat(this.path(ref)).catch(() => null);
    if (!st?.isFile()) return false;
    return ref.stored === "gzip" || st.size === ref.bytes;
  }

  /** How a failed write into the store reads: it names the store and the kind, and the fix. */
  private words(meta: PutMeta): WriteErrorOptions {
    return { what: `a ${meta.kind} artifact to the store ${this.root}`, fix: storeWriteFix };
  }

  /** Creates a directory of the store (see mkdirStore); a failure reads like a failed write. */
  private mkdir(dir: string, meta: PutMeta): void {
    try {
      mkdirStore(dir);
    } catch (e) {
      throw writeError(dir, e, this.words(meta));
    }
  }
}
