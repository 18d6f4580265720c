// Seeded randomness for the statistics in src/compare: every random step takes a seed, so a
// verdict or a bootstrap interval is the same on every run.

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/** The seed used when a caller gives none. */
export const DEFAULT_SEED = 1;

/**
 * A small seeded PRNG (mulberry32, 32-bit state): the same seed gives the same sequence of
 * uniform numbers in [0, 1). Good enough for resampling; not for cryptography.
 *
 * @example
 * const rnd = seededRandom(1);
 * rnd(); // 0.6270739405881613, on every machine
 */
export function seededRandom(seed: number = DEFAULT_SEED): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform integer in [0, n) from `random`.
 *
 * @example
 * randomInt(seededRandom(1), 10); // 6
 */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/**
 * A standard normal number (mean 0, sd 1) from `random`, by the Box–Muller transform.
 *
 * @example
 * const rnd = seededRandom(7);
 * const x = 48 * Math.exp(0.05 * randomNormal(rnd)); // a lognormal time around 48 ms, cv ≈ 5%
 */
export function randomNormal(random: Random): number {
  let u = random();
  while (u <= 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
