import assert from "node:assert/strict";
import type { Profile } from "../../src/model/profile.js";

/**
 * Every invariant of the Profile shape that a consumer relies on: column lengths, parents
 * before children, indices in range, finite non-negative weights, times finite or NaN, lines
 * null or non-negative. `emptyStacks`: samples may have stack -1 (no frames at all), which
 * formats like perf script can produce.
 */
export function assertValid(p: Profile, opts: { emptyStacks?: boolean } = {}): void {
  const { frames, stacks, samples } = p;
  const nFrames = frames.name.length;
  for (const col of [frames.module, frames.file, frames.line, frames.inlined, frames.kind]) assert.equal(col.length, nFrames);
  const nStacks = stacks.frame.length;
  assert.equal(stacks.parent.length, nStacks);
  for (let s = 0; s < nStacks; s++) {
    assert.ok(stacks.parent[s]! >= -1 && stacks.parent[s]! < s, `stack ${s} has parent ${stacks.parent[s]}: parents come before children`);
    assert.ok(stacks.frame[s]! >= 0 && stacks.frame[s]! < nFrames, `stack ${s} has frame ${stacks.frame[s]}`);
  }
  const rows = samples.stack.length;
  for (const col of [samples.thread, samples.event, samples.time, samples.weight]) assert.equal(col.length, rows);
  for (let i = 0; i < rows; i++) {
    assert.ok(samples.stack[i]! >= (opts.emptyStacks ? -1 : 0) && samples.stack[i]! < nStacks);
    assert.ok(samples.thread[i]! >= 0 && samples.thread[i]! < p.threads.length);
    assert.ok(samples.event[i]! >= 0 && samples.event[i]! < p.events.length);
    const w = samples.weight[i]!;
    assert.ok(Number.isFinite(w) && w >= 0, `sample ${i} weighs ${w}`);
    assert.ok(Number.isNaN(samples.time[i]) || Number.isFinite(samples.time[i]));
  }
  for (const line of frames.line) assert.ok(line === null || (Number.isFinite(line) && line >= 0));
}
