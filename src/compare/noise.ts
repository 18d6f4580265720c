/**
 * The default noise threshold of a verdict, as a fraction: a change smaller than 2% is "no
 * change" (criterion's default). `verdict`, `runsNeeded` and `experiment()` default to it.
 *
 * @example
 * verdict(before, after, { noise: DEFAULT_NOISE * 2 }); // call changes under 4% noise
 */
export const DEFAULT_NOISE = 0.02;
