import type { FlameTree } from "../model/flame-tree.js";
import type { Profile } from "../model/profile.js";
import { eventIndex } from "../model/event-index.js";
import { CallTreeBuilder } from "./call-tree-builder.js";
import { buildTimeline } from "./timeline.js";

/** Options of {@link flameTree}. */
export interface FlameTreeOptions {
  /** The event to draw (default: the profile's first). */
  event?: string;
  /** A title shown above the graph (default: the profile's source file name, or "profile"). */
  title?: string;
  /**
   * Include the time-ordered runs for the flame chart when samples have timestamps (default
   * true). Left out, with a note, past `maxTimelineRuns` (default 200 000) runs.
   */
  timeline?: boolean;
  maxTimelineRuns?: number;
}

/**
 * The call tree of a profile as a {@link FlameTree}: stacks merged by call path, siblings sorted
 * by name, one event's weights. Frames are told apart by name, module and the inlined flag.
 *
 * @example
 * const tree = flameTree(await openProfile("perf.txt"));
 * tree.nodes.total[0]; // all the weight
 * tree.strings[tree.frames.name[tree.nodes.frame[1]]]; // e.g. "_start"
 */
export function flameTree(profile: Profile, opts: FlameTreeOptions = {}): FlameTree {
  const e = eventIndex(profile, opts.event);
  const b = new CallTreeBuilder(1, "identity");
  const leaf = b.addProfile(profile, e, 0);
  const notes = [...profile.warnings];
  const { tree, nodeOf } = b.finish();
  let timeline;
  if (opts.timeline !== false) {
    const t = buildTimeline(profile, e, (stack) => (stack < 0 ? 0 : nodeOf(leaf[stack]!)), opts.maxTimelineRuns ?? 200_000);
    if (typeof t === "string") notes.push(t);
    else timeline = t;
  }
  return {
    version: 1,
    title: opts.title ?? defaultTitle(profile),
    event: profile.events[e] ?? "samples",
    unit: profile.unit,
    strings: tree.strings,
    frames: tree.frames,
    nodes: tree.nodes,
    ...(timeline ? { timeline } : {}),
    notes,
  };
}

/** The file name of a profile's source, without directories, or "profile". */
export function defaultTitle(profile: Profile): string {
  return profile.source?.split(/[\\/]/).pop() || "profile";
}
