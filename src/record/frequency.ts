/**
 * perf's default sampling frequency, in samples per second: 997, a prime, so that sampling does
 * not beat with periodic work (a timer at 1000 Hz, a 10 ms scheduler tick). `perf.record`,
 * `experiment()` and `flamebook record` default to it.
 *
 * @example
 * perf.record(bin, { frequency: DEFAULT_FREQUENCY_HZ * 4 }); // a finer picture of a short run
 */
export const DEFAULT_FREQUENCY_HZ = 997;
