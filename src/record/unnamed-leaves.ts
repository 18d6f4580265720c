import type { Profile } from "../model/profile.js";

/** How much of a profile's weight ends in frames without a function name, and where. */
export interface UnnamedLeaves {
  /** The profile's whole weight. */
  all: number;
  /** The weight of samples whose leaf frame has no name (`[unknown]`, `[binary]`, a hex address). */
  unnamed: number;
  /** That weight per leaf name, and per leaf module. */
  byName: Map<string, number>;
  byModule: Map<string, number>;
}

/**
 * Tallies the samples that end in a frame without a function name: what the stripped-binary and
 * the missing-binaries warnings both judge from.
 *
 * @example
 * const t = unnamedLeaves(rec.profile);
 * t.unnamed / t.all; // 0.97 for a stripped binary
 */
export function unnamedLeaves(profile: Profile): UnnamedLeaves {
  const { stack, weight } = profile.samples;
  const out: UnnamedLeaves = { all: 0, unnamed: 0, byName: new Map(), byModule: new Map() };
  for (let i = 0; i < stack.length; i++) {
    const w = weight[i]!;
    out.all += w;
    const st = stack[i]!;
    if (st < 0) continue;
    const f = profile.stacks.frame[st]!;
    if (profile.frames.kind[f] !== "unknown") continue;
    out.unnamed += w;
    const name = profile.frames.name[f]!;
    const module = profile.frames.module[f]!;
    out.byName.set(name, (out.byName.get(name) ?? 0) + w);
    out.byModule.set(module, (out.byModule.get(module) ?? 0) + w);
  }
  return out;
}
