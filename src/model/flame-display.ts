// A flamegraph's display options in the public vocabulary (frames and functions by name or
// pattern, threads by ThreadId or name) and their translation to and from the widget's options,
// which hold internal ids (a node, a string index, a chart row). The widget and the wire format keep
// their ids; a user never sees them.
import { normalizeFlameOptions } from "./flame-options.js";
import type { DiffMode, FlameLayout, FlameOptions, FlameTheme, FlameTree, FlameView } from "./flame-tree.js";
import type { ThreadId } from "./units.js";

/**
 * The display options of a flamegraph, as `rec.flamegraph({…})`, `fg.with({…})` and
 * `fg.widget().update({…})` take them. Every option documents its default.
 */
export interface FlameDisplayOptions {
  /** "flame" (root at the bottom) or "icicle" (root on top). Default: "flame". */
  layout?: FlameLayout;
  /** "tree" (the merged call tree), "sandwich" (one function's callers and callees) or "chart" (time order). Default: "tree". */
  view?: FlameView;
  /**
   * Zoom to a frame: its exact name, else a pattern (a RegExp, or a string read as one); where the
   * frame appears in several places, the widest of them. Default: null (the whole tree).
   */
  focus?: string | RegExp | null;
  /** Highlight frames matching this regular expression (a string or a RegExp). Default: "" (none). */
  search?: string | RegExp;
  /**
   * The function the sandwich view is centred on: its exact name, else a pattern (the widest
   * match). Default: null (none; the view then centres on the selected frame).
   */
  sandwich?: string | RegExp | null;
  /**
   * The one thread the flame chart shows: its `ThreadId` (the `thread` column of `samples()` and
   * `threads()`) or its name (`comm`, or "comm tid"; the busiest thread of that name). Default: null (every thread).
   */
  thread?: ThreadId | string | null;
  /** How a diff is coloured: "proportional" (change in share) or "absolute" (change in weight). Default: "proportional". */
  diffMode?: DiffMode;
  /** "auto" (follows the page), "light" or "dark". Default: "auto". */
  theme?: FlameTheme;
  /** Height of the drawing area in CSS pixels, 120–4000. Default: 420. */
  height?: number;
}

/** The display options as they read back (`fg.options`, `fg.widget().options`): names, never ids. */
export interface FlameDisplayState {
  readonly layout: FlameLayout;
  readonly view: FlameView;
  /** The name of the frame zoomed to, or null for the whole tree. */
  readonly focus: string | null;
  readonly search: string;
  /** The name of the function the sandwich view is centred on, or null. */
  readonly sandwich: string | null;
  /** The `ThreadId` of the thread the chart shows, or null for every thread. */
  readonly thread: ThreadId | null;
  readonly diffMode: DiffMode;
  readonly theme: FlameTheme;
  readonly height: number;
}

/**
 * The widget's options for display options given by name: a frame or function name (or pattern)
 * becomes its node or string index in `tree`, a thread its row of the flame chart; other options
 * are checked and defaulted like the widget does (`normalizeFlameOptions`). Options not given keep
 * their value in `base`. An unknown frame, function or thread is an error naming what there is.
 *
 * @example
 * toWidgetOptions(tree, { focus: "wordfreq::process::process", sandwich: /to_string$/ }).focus; // 17 (a node id)
 */
export function toWidgetOptions(tree: FlameTree, given: FlameDisplayOptions, base?: FlameOptions): FlameOptions {
  const o: Record<string, unknown> = { ...given };
  if ("focus" in given) o["focus"] = given.focus === null || given.focus === undefined || given.focus === "" ? 0 : widestNode(tree, given.focus, "focus");
  if ("sandwich" in given) {
    o["sandwich"] = given.sandwich === null || given.sandwich === undefined || given.sandwich === "" ? -1 : tree.frames.name[tree.nodes.frame[widestNode(tree, given.sandwich, "sandwich")]!]!;
  }
  if ("thread" in given) o["thread"] = given.thread === null || given.thread === undefined ? -1 : chartRow(tree, given.thread);
  if (given.search instanceof RegExp) o["search"] = given.search.source;
  return normalizeFlameOptions(o, tree, base);
}

/**
 * The widget's options in the public vocabulary: the focused node as its frame name, the sandwich
 * function by name, the chart's thread as its `ThreadId`.
 *
 * @example
 * fromWidgetOptions(tree, { ...DEFAULT_FLAME_OPTIONS, focus: 17 }).focus; // "wordfreq::process::process"
 */
export function fromWidgetOptions(tree: FlameTree, o: FlameOptions): FlameDisplayState {
  const nameOfNode = (n: number) => tree.strings[tree.frames.name[tree.nodes.frame[n]!]!] ?? null;
  const ids = tree.timeline?.threadIds;
  return {
    layout: o.layout,
    view: o.view,
    focus: o.focus > 0 && o.focus < tree.nodes.frame.length ? nameOfNode(o.focus) : null,
    search: o.search,
    sandwich: o.sandwich >= 0 ? (tree.strings[o.sandwich] ?? null) : null,
    thread: o.thread >= 0 && ids && o.thread < ids.length ? ids[o.thread]! : null,
    diffMode: o.diffMode,
    theme: o.theme,
    height: o.height,
  };
}

/** The widest node whose frame is named `want` (exactly; a string that names none is read as a regular expression). */
function widestNode(tree: FlameTree, want: string | RegExp, option: string): number {
  const names = tree.strings;
  let test: (name: string) => boolean;
  if (typeof want === "string" && tree.frames.name.some((s) => names[s] === want)) test = (n) => n === want;
  else if (want instanceof RegExp) {
    const re = new RegExp(want.source, want.flags.replace(/[gy]/g, ""));
    test = (n) => re.test(n);
  } else if (typeof want === "string") {
    let re: RegExp;
    try {
      re = new RegExp(want);
    } catch {
      throw new Error(`flamebook: ${option}: no frame named '${want}' in the flamegraph "${tree.title}", and it is not a valid regular expression either.`);
    }
    test = (n) => re.test(n);
  } else {
    throw new Error(`flamebook: ${option} takes a frame name or a RegExp, got ${JSON.stringify(want)}.`);
  }
  const hit = Array.from(tree.frames.name, (s) => test(names[s] ?? ""));
  let best = -1;
  const { frame, total } = tree.nodes;
  for (let i = 1; i < frame.length; i++) if (hit[frame[i]!] && (best < 0 || total[i]! > total[best]!)) best = i;
  if (best < 0) throw new Error(`flamebook: ${option}: no frame matching ${want instanceof RegExp ? String(want) : `'${want}'`} in the flamegraph "${tree.title}".`);
  return best;
}

/** The flame chart's row of a thread given by `ThreadId` or by name. */
function chartRow(tree: FlameTree, thread: ThreadId | string): number {
  const tl = tree.timeline;
  if (!tl) {
    const why = tree.notes.find((n) => n.startsWith("no flame chart")) ?? "no flame chart";
    throw new Error(`flamebook: thread: the flamegraph "${tree.title}" has no time-ordered chart (${why}), so there is no thread to pick.`);
  }
  let row = -1;
  if (typeof thread === "number") row = tl.threadIds ? tl.threadIds.indexOf(thread) : -1;
  else {
    row = tl.threads.indexOf(thread);
    // by comm: the chart names a thread "comm tid"; rows are busiest first, so the first is the busiest
    if (row < 0) row = tl.threads.findIndex((t) => t.startsWith(`${thread} `) && /^-?\d+$/.test(t.slice(thread.length + 1)));
  }
  if (row < 0) {
    const have = tl.threads.map((t, i) => (tl.threadIds ? `${tl.threadIds[i]} (${t})` : t)).join(", ");
    throw new Error(`flamebook: thread: no thread ${typeof thread === "number" ? thread : `'${thread}'`} in the flame chart of "${tree.title}"; it has ${have}.`);
  }
  return row;
}
