/**
 * Every process group we start is registered here until its leader is reaped, so that a
 * timeout, an abort, an interrupt or the exit of our own process never leaves orphans.
 */
const live = new Set<number>();
let hooked = false;

/** Sends `signal` to a whole process group; a group that is already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

/** Records a live process group (its leader's pid). */
export function track(pgid: number): void {
  live.add(pgid);
  if (!hooked) {
    hooked = true;
    // 'exit' handlers run on a normal exit and on process.exit(); they must be synchronous.
    process.on("exit", () => killAllGroups());
  }
}

/** Forgets a process group whose leader has been reaped. */
export function untrack(pgid: number): void {
  live.delete(pgid);
}

/**
 * Kills every process group started through `src/exec` that is still running. The kernel calls
 * this on shutdown and restart; it also runs automatically when this Node process exits.
 *
 * @example
 * process.on("SIGTERM", () => { killAllGroups(); process.exit(143); });
 */
export function killAllGroups(signal: NodeJS.Signals = "SIGKILL"): number {
  const n = live.size;
  for (const pgid of live) killGroup(pgid, signal);
  return n;
}

/** How many process groups started by us are still running. @example liveGroups() // 0 */
export function liveGroups(): number {
  return live.size;
}
