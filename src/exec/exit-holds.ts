/**
 * Work that must finish before the process exits: an interrupted experiment writing its record
 * as "interrupted", say. A command that exits on purpose (Ctrl-C in `flamebook run`) waits for it,
 * up to a limit, instead of cutting it off.
 */

// On globalThis under a registered symbol: cells load the CJS build and the CLI the ESM one, and
// both must see the one list.
const KEY = Symbol.for("flamebook.exitHolds");
const slot = globalThis as Record<symbol, Set<Promise<unknown>> | undefined>;
const holds = (): Set<Promise<unknown>> => (slot[KEY] ??= new Set());

/**
 * Registers `work` until it settles; returns it unchanged.
 *
 * @example
 * return holdExit(runAndWriteRecord());
 */
export function holdExit<T>(work: Promise<T>): Promise<T> {
  const set = holds();
  const tracked: Promise<unknown> = work.then(
    () => set.delete(tracked),
    () => set.delete(tracked),
  );
  set.add(tracked);
  return work;
}

/**
 * Resolves when every registered piece of work has settled, or after `timeoutMs`; true when all
 * settled in time.
 *
 * @example
 * if (!(await exitHoldsSettled(10_000))) console.error("gave up waiting for the experiment to save");
 */
export async function exitHoldsSettled(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (holds().size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await Promise.race([Promise.allSettled([...holds()]), new Promise((r) => setTimeout(r, left).unref())]);
  }
  return true;
}
