import type { Profile } from "../model/profile.js";
import { stackWeights } from "./function-totals.js";
import { matchFrames, type Pattern } from "./pattern.js";
import { DROP, PENDING, rewriteStacks } from "./rewrite.js";

/**
 * Keeps only samples whose stack passes through a frame matching `pattern`, re-rooted at the
 * first (outermost) match: what "zoom into this function, from all its callers" means.
 *
 * @example
 * toFolded(focus(profile, "wordfreq::process::process"), { pname: false }); // ["wordfreq::process::process;… 3", …]
 */
export function focus(profile: Profile, pattern: Pattern): Profile {
  const hit = matchFrames(profile.frames.name, pattern);
  return rewriteStacks(
    profile,
    (parent, f, ctx) => {
      if (parent === PENDING) return hit[f] ? ctx.builder.stack(-1, ctx.frame(f)) : PENDING;
      return ctx.builder.stack(parent, ctx.frame(f));
    },
    { rootValue: PENDING },
  );
}

/**
 * Drops the subtrees of frames matching `pattern`: every sample whose stack passes through a
 * match is removed (like `grep -v` on folded stacks).
 *
 * @example
 * exclude(profile, /^__GI___libc_(malloc|free)$/);
 */
export function exclude(profile: Profile, pattern: Pattern): Profile {
  const hit = matchFrames(profile.frames.name, pattern);
  return rewriteStacks(profile, (parent, f, ctx) => (hit[f] ? DROP : ctx.builder.stack(parent, ctx.frame(f))));
}

/**
 * Removes nodes narrower than `minShare` (a fraction, 0–1) of the total weight: their samples
 * move to the nearest wider ancestor (which then shows that weight as self time), so totals are kept.
 *
 * @example
 * prune(profile, 0.005); // drop frames under 0.5% of all samples
 */
export function prune(profile: Profile, minShare: number, opts: { event?: number } = {}): Profile {
  if (!Number.isFinite(minShare) || minShare < 0 || minShare > 1) {
    throw new Error(`flamebook: prune(minShare) takes a fraction from 0 to 1 (0.005 is 0.5%), got ${minShare}.`);
  }
  const own = stackWeights(profile, opts.event ?? 0);
  const total = Float64Array.from(own);
  let all = 0;
  for (let s = total.length - 1; s >= 0; s--) {
    const p = profile.stacks.parent[s]!;
    if (p >= 0) total[p]! += total[s]!;
    else all += total[s]!;
  }
  const min = all * minShare;
  return rewriteStacks(profile, (parent, f, ctx, s) => (total[s]! < min ? parent : ctx.builder.stack(parent, ctx.frame(f))));
}

/**
 * Folds inlined frames into the function they were inlined into: what the flamegraph would show
 * without inline debug info. Samples in an inlined frame count as self time of its caller.
 *
 * @example
 * mergeInlined(profile).frames.inlined.includes(true); // false
 */
export function mergeInlined(profile: Profile): Profile {
  const inl = profile.frames.inlined;
  return rewriteStacks(profile, (parent, f, ctx) => (inl[f] ? parent : ctx.builder.stack(parent, ctx.frame(f))));
}

/**
 * Drops kernel frames (`[kernel.kallsyms]`, kernel modules): each sample keeps its user-space
 * stack, so the program's own calls are the tops. In an off-CPU graph the call that blocked
 * (`read`, `recv`, `sleep`) is then on top, instead of the kernel's `schedule`. A sample with
 * kernel frames only (a kernel thread) keeps an empty stack.
 *
 * @example
 * toFolded(userSpace(profile), { event: "offcpu" }); // ["app;main;app::wait;__libc_read 51230000", …]
 */
export function userSpace(profile: Profile): Profile {
  const kind = profile.frames.kind;
  return rewriteStacks(profile, (parent, f, ctx) => (kind[f] === "kernel" ? parent : ctx.builder.stack(parent, ctx.frame(f))));
}

/**
 * Collapses recursion: a frame calling a frame with the same name directly is merged into it
 * (`a;b;b;b;c` → `a;b;c`). With `{ indirect: true }`, any frame whose name is already on the
 * path is removed (`a;b;a;b;c` → `a;b;c`).
 *
 * @example
 * collapseRecursion(profile, { indirect: true });
 */
export function collapseRecursion(profile: Profile, opts: { indirect?: boolean } = {}): Profile {
  const names = profile.frames.name;
  return rewriteStacks(profile, (parent, f, ctx) => {
    const b = ctx.builder;
    const name = names[f]!;
    for (let s = parent; s >= 0; s = opts.indirect ? b.stackParent(s) : -1) {
      if (b.frameName(b.stackFrame(s)) === name) return parent;
    }
    return b.stack(parent, ctx.frame(f));
  });
}

/**
 * Renames frames with `rename` (frames that end up with the same name and module merge) and
 * optionally merges consecutive frames with the same new name (`mergeRuns`). With `plain`, the
 * renamed frames drop module, file and inlined mark (for groupings).
 *
 * @example
 * renameFrames(profile, (name) => name.replace(/::h[0-9a-f]{16}$/, ""));
 */
export function renameFrames(
  profile: Profile,
  rename: (name: string, frame: number) => string,
  opts: { mergeRuns?: boolean; plain?: boolean } = {},
): Profile {
  const cache = new Map<number, string>();
  const nameOf = (f: number) => {
    let n = cache.get(f);
    if (n === undefined) cache.set(f, (n = rename(profile.frames.name[f]!, f)));
    return n;
  };
  return rewriteStacks(profile, (parent, f, ctx) => {
    const name = nameOf(f);
    const b = ctx.builder;
    if (opts.mergeRuns && parent >= 0 && b.frameName(b.stackFrame(parent)) === name) return parent;
    return b.stack(parent, ctx.frame(f, name, opts.plain));
  });
}
