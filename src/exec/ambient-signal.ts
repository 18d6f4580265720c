let ambient: AbortSignal | undefined;

/**
 * Sets the signal that every process flamebook starts also obeys, besides its own `signal`
 * option: the kernel sets a fresh one per cell and aborts it on interrupt, so perf, cargo and
 * valgrind stop even when the cell's code passed no signal. `undefined` removes it.
 *
 * @example
 * const cell = new AbortController(); setAmbientSignal(cell.signal); … cell.abort();
 */
export function setAmbientSignal(signal: AbortSignal | undefined): void {
  ambient = signal;
}

/**
 * The signal a process should obey: its own, the ambient one, or both combined.
 *
 * @example
 * run(cmd, args, { signal: withAmbient(opts.signal) });
 */
export function withAmbient(own: AbortSignal | undefined): AbortSignal | undefined {
  if (!ambient) return own;
  if (!own) return ambient;
  return AbortSignal.any([own, ambient]);
}
