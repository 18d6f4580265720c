// The display options of a flamegraph: their one set of defaults, and the one place where given
// values are checked. Pure and free of imports but types, so that widgets/ may bundle this file
// (the one value import it has from src/model; test/widgets/core/bundle.test.ts holds it to that).
import type { FlameOptions, FlameTree } from "./flame-tree.js";

/** The options a new flamegraph starts with. */
export const DEFAULT_FLAME_OPTIONS: FlameOptions = Object.freeze({
  layout: "flame",
  view: "tree",
  focus: 0,
  search: "",
  sandwich: -1,
  thread: -1,
  diffMode: "proportional",
  theme: "auto",
  height: 420,
});

/** The values an enumerated option may take. */
const CHOICES = {
  layout: ["flame", "icicle"],
  view: ["tree", "sandwich", "chart"],
  diffMode: ["proportional", "absolute"],
  theme: ["auto", "light", "dark"],
} as const;

const oneOf = <T extends string>(v: unknown, choices: readonly T[], dflt: T): T => (choices.includes(v as T) ? (v as T) : dflt);
const intIn = (v: unknown, lo: number, hi: number, dflt: number): number => (typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi ? v : dflt);

/**
 * Complete, valid display options from whatever a caller, a widget model or a page holds. A
 * missing key takes its value from `base` (the current options; the defaults when not given); a
 * value of the wrong kind or an unknown name falls back to `base` too; the height is clamped to
 * 120–4000 px. With a `tree`, indices are checked against it: a node (`focus`) or string
 * (`sandwich`) or thread index out of range means "none", and the chart view needs a timeline.
 *
 * @example
 * normalizeFlameOptions({ layout: "icicle", height: 5 }).height;          // 120
 * normalizeFlameOptions({ focus: 1e9, view: "chart" }, treeWithoutTimeline); // focus 0, view "tree"
 * normalizeFlameOptions({ search: "x" }, tree, current).layout;           // current.layout
 */
export function normalizeFlameOptions(given: unknown, tree?: FlameTree, base: FlameOptions = DEFAULT_FLAME_OPTIONS): FlameOptions {
  const o = (given && typeof given === "object" ? given : {}) as Readonly<Record<string, unknown>>;
  const v = (k: keyof FlameOptions): unknown => (o[k] === undefined ? base[k] : o[k]);
  const height = v("height");
  const search = v("search");
  const view = oneOf(v("view"), CHOICES.view, base.view);
  const max = tree ? { node: tree.nodes.frame.length - 1, string: tree.strings.length - 1, thread: (tree.timeline?.threads.length ?? 0) - 1 } : { node: Infinity, string: Infinity, thread: Infinity };
  return {
    layout: oneOf(v("layout"), CHOICES.layout, base.layout),
    view: tree && view === "chart" && !tree.timeline ? "tree" : view,
    focus: intIn(v("focus"), 0, max.node, 0),
    search: typeof search === "string" ? search : base.search,
    sandwich: intIn(v("sandwich"), -1, max.string, -1),
    thread: intIn(v("thread"), -1, max.thread, -1),
    diffMode: oneOf(v("diffMode"), CHOICES.diffMode, base.diffMode),
    theme: oneOf(v("theme"), CHOICES.theme, base.theme),
    height: typeof height === "number" && Number.isFinite(height) ? Math.round(Math.min(4000, Math.max(120, height))) : base.height,
  };
}
