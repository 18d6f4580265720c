import { ProfileBuilder } from "../model/profile-builder.js";
import type { Profile } from "../model/profile.js";

/** A step result: drop every sample through this node (and its descendants). */
export const DROP = -2;
/** A step result: no frame kept yet on this path (focus before its match); samples here are dropped. */
export const PENDING = -3;

/** What a rewrite step can use: the builder of the new profile and frame copies. */
export interface RewriteContext {
  readonly builder: ProfileBuilder;
  /**
   * The new id of old frame `f`, optionally renamed (cached per old id and name). With `plain`,
   * the copy has no module, file or inlined mark, so equal names merge into one frame.
   */
  frame(f: number, name?: string, plain?: boolean): number;
}

/**
 * Rebuilds a profile stack by stack. Stacks are visited parents first; `step` gets the new id of
 * the parent's rewritten stack (-1 at a root, or `rootValue`; DROP/PENDING propagate as given)
 * and the old frame, and returns the new stack id (`ctx.builder.stack(parent, ctx.frame(f))` to
 * keep the frame, `parent` to remove it), DROP or PENDING. Sample rows follow their stacks;
 * rows on DROP or PENDING stacks are left out. Threads, events, unit and warnings are kept.
 *
 * @example
 * // remove every inlined frame
 * rewriteStacks(p, (parent, f, ctx) => (p.frames.inlined[f] ? parent : ctx.builder.stack(parent, ctx.frame(f))));
 */
export function rewriteStacks(
  profile: Profile,
  step: (parent: number, frame: number, ctx: RewriteContext, stack: number) => number,
  opts: { rootValue?: number; warnings?: string[] } = {},
): Profile {
  const b = new ProfileBuilder({ format: profile.format, source: profile.source, unit: profile.unit });
  const { frames, stacks, samples } = profile;
  const copies = new Map<string, number>();
  const ctx: RewriteContext = {
    builder: b,
    frame(f, name = frames.name[f]!, plain = false) {
      const key = `${f}\u0000${name}\u0000${plain ? 1 : 0}`;
      let id = copies.get(key);
      if (id === undefined) {
        id = plain
          ? b.frame(name, "", { kind: frames.kind[f] })
          : b.frame(name, frames.module[f]!, { inlined: frames.inlined[f], kind: frames.kind[f], file: frames.file[f], line: frames.line[f] });
        copies.set(key, id);
      }
      return id;
    },
  };
  const root = opts.rootValue ?? -1;
  const mapped = new Int32Array(stacks.frame.length);
  for (let s = 0; s < mapped.length; s++) {
    const p = stacks.parent[s]!;
    const parent = p < 0 ? root : mapped[p]!;
    mapped[s] = parent === DROP ? DROP : step(parent, stacks.frame[s]!, ctx, s);
  }
  for (const t of profile.threads) b.thread(t.comm, t.pid, t.tid);
  for (const e of profile.events) b.event(e);
  for (let i = 0; i < samples.stack.length; i++) {
    const old = samples.stack[i]!;
    const s = old < 0 ? (root === PENDING ? PENDING : -1) : mapped[old]!;
    if (s === DROP || s === PENDING) continue;
    b.sample(s, samples.thread[i]!, samples.event[i]!, samples.time[i]!, samples.weight[i]!);
  }
  for (const w of [...profile.warnings, ...(opts.warnings ?? [])]) b.warn(w);
  return b.finish();
}
