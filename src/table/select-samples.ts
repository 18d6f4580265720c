import type { Profile } from "../model/profile.js";

/**
 * A profile with only the given sample rows (by index, as in the `row` column of the samples
 * table); frames, stacks, threads and events are shared with the original.
 *
 * @example
 * const late = selectSamples(profile, samplesTable(profile).filter((d) => d.time > 2).array("row"));
 */
export function selectSamples(profile: Profile, rows: ArrayLike<number>): Profile {
  const { samples } = profile;
  const n = rows.length;
  const pick = <A extends Int32Array | Float64Array>(col: A, make: new (n: number) => A): A => {
    const out = new make(n);
    for (let k = 0; k < n; k++) {
      const i = rows[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= col.length) {
        throw new Error(`flamebook: sample row ${i} does not exist (the profile has ${col.length}); pass rows from this profile's samples table.`);
      }
      out[k] = col[i]!;
    }
    return out;
  };
  return {
    ...profile,
    samples: {
      stack: pick(samples.stack, Int32Array),
      thread: pick(samples.thread, Int32Array),
      event: pick(samples.event, Int32Array),
      time: pick(samples.time, Float64Array),
      weight: pick(samples.weight, Float64Array),
    },
  };
}
