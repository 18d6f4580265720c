// The signal lives on globalThis under a registered symbol, so the kernel (which loads flamebook
// from src/) and cells (which load the CJS build) share it: there may be two copies of this module.
const KEY = Symbol.for("flamebook.cellSignal");
const slot = globalThis as Record<symbol, AbortSignal | undefined>;

/**
 * Sets the signal that every process flamebook starts also obeys, besides its own `signal`
 * option: the kernel sets a fresh one per cell and aborts it on interrupt, so perf, cargo and
 * valgrind stop even when the cell's code passed no signal. `undefined` removes it.
 *
 * @example
 * const cell = new AbortController(); setAmbientSignal(cell.signal); … cell.abort();
 */
export function setAmbientSignal(signal: AbortSignal | undefined): void {
  slot[KEY] = signal;
}

/**
 * The signal a process should obey: its own, the ambient one, or both combined.
 *
 * @example
 * run(cmd, args, { signal: withAmbient(opts.signal) });
 */
export function withAmbient(own: AbortSignal | undefined): AbortSignal | undefined {
  const ambient = slot[KEY];
  if (!ambient) return own;
  if (!own) return ambient;
  return AbortSignal.any([own, ambient]);
}
