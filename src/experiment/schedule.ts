/** How measured runs of the variants are ordered. */
export type RunOrder = "abba" | "random" | "sequential";

/**
 * The order in which `runs` measured runs of each variant are made, so that slow drift (thermal
 * state, other load, caches warming) hits every variant alike:
 * - `"abba"`: blocks of the variants forwards then backwards (A B B A, or A B C C B A), repeated;
 *   an odd count ends with one forward pass. A linear drift then adds the same to both sides.
 * - `"random"`: each variant `runs` times, shuffled with `random` (seeded by the caller).
 * - `"sequential"`: all runs of A, then all of B (only to show why interleaving matters).
 *
 * @example
 * runSchedule(["before", "after"], 3, "abba"); // ["before","after","after","before","before","after"]
 */
export function runSchedule(variants: readonly string[], runs: number, order: RunOrder, random: () => number = Math.random): string[] {
  if (variants.length === 0) throw new Error("flamebook: an experiment needs at least one variant.");
  if (!Number.isInteger(runs) || runs < 0) throw new Error(`flamebook: runs must be a whole number ≥ 0, got ${runs}.`);
  if (order === "sequential") return variants.flatMap((v) => Array<string>(runs).fill(v));
  if (order === "random") {
    const out = variants.flatMap((v) => Array<string>(runs).fill(v));
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  if (order !== "abba") throw new Error(`flamebook: unknown run order ${JSON.stringify(order)}; use "abba", "random" or "sequential".`);
  const out: string[] = [];
  const forward = [...variants];
  const backward = [...variants].reverse();
  for (let i = 0; i < runs; i++) out.push(...(i % 2 === 0 ? forward : backward));
  return out;
}
