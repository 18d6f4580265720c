import { ProfileBuilder } from "../model/profile-builder.js";
import type { Profile } from "../model/profile.js";

/**
 * One profile holding the samples of several (repeated runs of one program): frames, stacks,
 * threads and events are interned again, so equal frames of different runs become one. Threads
 * of different runs are matched by name and by tid relative to the pid (the main thread is 0),
 * since each run has its own pids; sample times keep their own clocks. Warnings are kept once
 * each. All profiles must count the same unit. With `perRun`, weights are divided by the number
 * of profiles, so totals are the mean run's (two sides with different run counts compare fairly).
 *
 * @example
 * const before = mergeProfiles(runsOfBefore.map((r) => r.profile)); // one flame graph of every run
 */
export function mergeProfiles(profiles: readonly Profile[], opts: { source?: string; perRun?: boolean } = {}): Profile {
  if (profiles.length === 0) throw new Error("flamebook: mergeProfiles needs at least one profile.");
  const unit = profiles[0]!.unit;
  const odd = profiles.find((p) => p.unit !== unit);
  if (odd) throw new Error(`flamebook: cannot merge a profile in ${odd.unit} with one in ${unit}; record every run the same way.`);
  if (profiles.length === 1) return profiles[0]!;
  const scale = opts.perRun ? 1 / profiles.length : 1;
  const b = new ProfileBuilder({ format: profiles[0]!.format, source: opts.source, unit });
  const warnings = new Set<string>();
  for (const p of profiles) {
    const f = p.frames;
    const frameMap = new Int32Array(f.name.length);
    for (let i = 0; i < frameMap.length; i++) {
      frameMap[i] = b.frame(f.name[i]!, f.module[i]!, { inlined: f.inlined[i]!, kind: f.kind[i]!, file: f.file[i]!, line: f.line[i]! });
    }
    // Parents have smaller ids than their children, so one pass maps every stack.
    const stackMap = new Int32Array(p.stacks.frame.length);
    for (let s = 0; s < stackMap.length; s++) {
      const parent = p.stacks.parent[s]!;
      stackMap[s] = b.stack(parent < 0 ? -1 : stackMap[parent]!, frameMap[p.stacks.frame[s]!]!);
    }
    const threadMap = p.threads.map((t) => (t.pid < 0 || t.tid < 0 ? b.thread(t.comm, t.pid, t.tid) : b.thread(t.comm, -1, t.tid - t.pid)));
    const eventMap = p.events.map((e) => b.event(e));
    const s = p.samples;
    for (let i = 0; i < s.stack.length; i++) {
      const stack = s.stack[i]!;
      b.sample(stack < 0 ? -1 : stackMap[stack]!, threadMap[s.thread[i]!]!, eventMap[s.event[i]!]!, s.time[i]!, s.weight[i]! * scale);
    }
    for (const w of p.warnings) warnings.add(w);
  }
  for (const w of warnings) b.warn(w);
  return b.finish();
}
