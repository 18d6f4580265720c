/**
 * Loads one large CommonJS file (tslab's TypeScript, 8 MB of JavaScript) with a V8 code cache, so
 * that a kernel start does not compile it again: Node 20 has no compile cache of its own
 * (`module.enableCompileCache` came in Node 22). The cache is written after the kernel has
 * warmed up, so it also holds the functions compiled while the first program was built (the
 * parser, binder and checker), and is kept under `$XDG_CACHE_HOME/flamebook` (or
 * `~/.cache/flamebook`), one file per source file, Node version and architecture. V8 checks the
 * cache against the source and its own version and flags and ignores one that does not match.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { writeFileAtomicSync } from "../src/fs/atomic.js";

/** How a file was loaded, and how to store its code cache. */
export interface CodeCached {
  /** "hit": compiled from the cache; "miss": no cache yet; "rejected": V8 refused the cache;
   * "loaded": the module was already loaded (nothing to do); "failed": loaded without a cache after an error. */
  status: "hit" | "miss" | "rejected" | "loaded" | "failed";
  /** Writes the code cache (once, unless it was a hit); never throws. Returns whether it wrote one. */
  save(): boolean;
}

/** The directory code caches go to. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "flamebook");
}

/**
 * Loads the CommonJS module `file` into `require.cache` (so that every later `require` of it gets
 * this instance) from a code cache in `cacheDir` when there is a usable one.
 *
 * @example
 * const ts = requireWithCodeCache(require.resolve("@tslab/typescript-for-tslab"));
 * // … use TypeScript …
 * ts.save(); // after the warm-up: the next start compiles nothing of it
 */
export function requireWithCodeCache(file: string, cacheDir = codeCacheDir()): CodeCached {
  const cache = createRequire(file).cache;
  const none = (status: CodeCached["status"]): CodeCached => ({ status, save: () => false });
  if (cache[file]) return none("loaded");
  let script: Script;
  let cachePath: string;
  let status: CodeCached["status"];
  try {
    const source = readFileSync(file, "utf8");
    const st = statSync(file);
    const key = createHash("sha256").update(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`).digest("hex").slice(0, 16);
    cachePath = join(cacheDir, `${basename(file)}-${key}.v8cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cachePath);
    } catch {
      cachedData = undefined;
    }
    script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
    status = !cachedData ? "miss" : script.cachedDataRejected ? "rejected" : "hit";
  } catch {
    // Reading or compiling went wrong (nothing ran yet): load it the ordinary way.
    createRequire(file)(file);
    return none("failed");
  }
  // Run it as Node's CommonJS loader does: in require.cache first (cycles), removed if it throws.
  const m = new Module(file);
  m.filename = file;
  (m as unknown as { paths: string[] }).paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  cache[file] = m;
  try {
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    wrapper.call(m.exports, m.exports, createRequire(file), m, file, dirname(file));
  } catch (e) {
    delete cache[file];
    throw e;
  }
  m.loaded = true;
  let saved = status === "hit";
  return {
    status,
    save() {
      if (saved) return false;
      saved = true;
      try {
        const data = script.createCachedData();
        writeFileAtomicSync(cachePath, data);
        // Caches of other versions of the file (or of Node) are never read again.
        const prefix = `${basename(file)}-`;
        for (const f of readdirSync(cacheDir)) {
          if (f.startsWith(prefix) && f.endsWith(".v8cache") && join(cacheDir, f) !== cachePath) rmSync(join(cacheDir, f), { force: true });
        }
        return true;
      } catch {
        return false; // a read-only or full cache directory only costs the next start its compile time
      }
    },
  };
}
