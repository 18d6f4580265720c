/**
 * tslab's converter watches every file of its TypeScript program (`ts.sys.watchFile`, one
 * `fs.watchFile` poller each) so that an edited local module a cell imports is compiled again.
 * A notebook that imports flamebook has some 450 such files, nearly all declarations under
 * `node_modules` (TypeScript's own `lib.*.d.ts` included): setting up their pollers costs about
 * 0.1–0.2 s at start-up, and they stat those files for as long as the kernel runs. Installed
 * packages do not change under a running kernel (Node's module cache keeps the code it loaded
 * anyway: a new version needs a restart), so this skips watching them; the notebook's own files
 * are still watched.
 */
import { tslabTypeScript } from "../src/notebook/tslab-typescript.js";

/** The part of a TypeScript `System` this module patches. */
interface WatchingSys {
  watchFile?(path: string, callback: (...args: never[]) => void, pollingInterval?: number, options?: unknown): { close(): void };
}

const PATCHED = Symbol.for("flamebook.packageWatchesSkipped");

/**
 * Makes `sys.watchFile` (by default the `ts.sys` of tslab's TypeScript) a no-op for files under
 * a `node_modules` directory. Idempotent.
 *
 * @example
 * skipPackageWatches(); // before tslab's converter is created
 */
export function skipPackageWatches(sys: WatchingSys = tslabSys()): void {
  const marked = sys as WatchingSys & { [PATCHED]?: true };
  const watchFile = sys.watchFile;
  if (marked[PATCHED] || !watchFile) return;
  sys.watchFile = (path, callback, pollingInterval, options) =>
    isPackageFile(path) ? { close() {} } : watchFile.call(sys, path, callback, pollingInterval, options);
  marked[PATCHED] = true;
}

/**
 * Whether `path` is inside an installed package (a `node_modules` directory).
 *
 * @example isPackageFile("/p/node_modules/@types/node/fs.d.ts") // true
 */
export function isPackageFile(path: string): boolean {
  return /[\\/]node_modules[\\/]/.test(path);
}

function tslabSys(): WatchingSys {
  return (tslabTypeScript() as unknown as { sys: WatchingSys }).sys;
}
