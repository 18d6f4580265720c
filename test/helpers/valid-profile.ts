import assert from "node:assert/strict";
import type { Profile } from "../../src/model/profile.js";

/**
 * The invariants of every Profile. `emptyStacks`: samples may have stack -1 (no frames at all),
 * which formats like perf script can produce.
 */
export function assertValid(p: Profile, opts: { emptyStacks?: boolean } = {}): void {
  const nFrames = p.frames.name.length;
  const nStacks = p.stacks.frame.length;
  for (const col of [p.frames.module, p.frames.file, p.frames.line, p.frames.inlined, p.frames.kind]) assert.equal(col.length, nFrames);
  for (let s = 0; s < nStacks; s++) {
    assert.ok(p.stacks.parent[s]! < s && p.stacks.parent[s]! >= -1, "parents come before children");
    assert.ok(p.stacks.frame[s]! >= 0 && p.stacks.frame[s]! < nFrames);
  }
  for (let i = 0; i < p.samples.stack.length; i++) {
    const w = p.samples.weight[i]!;
    assert.ok(Number.isFinite(w) && w >= 0, `weight ${w}`);
    assert.ok(p.samples.stack[i]! >= (opts.emptyStacks ? -1 : 0) && p.samples.stack[i]! < nStacks);
    assert.ok(p.samples.event[i]! >= 0 && p.samples.event[i]! < p.events.length);
    assert.ok(p.samples.thread[i]! >= 0 && p.samples.thread[i]! < p.threads.length);
  }
}
