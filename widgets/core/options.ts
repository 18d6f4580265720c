// Display options: the widget's own defaults and the one place where incoming values are checked.
import type { FlameOptions, FlameTree } from "../../src/model/flame-tree.js";

/** The widget's defaults (the same values as the model's `DEFAULT_FLAME_OPTIONS`). */
export const DEFAULTS: FlameOptions = {
  layout: "flame",
  view: "tree",
  focus: 0,
  search: "",
  sandwich: -1,
  thread: -1,
  diffMode: "proportional",
  theme: "auto",
  height: 420,
};

/** A mutable copy of the options. */
export type Options = { -readonly [K in keyof FlameOptions]: FlameOptions[K] };

const oneOf = <T extends string>(v: unknown, choices: readonly T[], dflt: T): T => (choices.includes(v as T) ? (v as T) : dflt);
const intIn = (v: unknown, lo: number, hi: number, dflt: number): number => (typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi ? v : dflt);

/**
 * Options made valid for a tree: unknown values fall back to the current ones (or the defaults),
 * node and string indices out of range to "none", the chart view without a timeline to the tree
 * view, the height to 120–4000 px.
 *
 * @example
 * normalizeOptions({ ...DEFAULTS, focus: 1e9, view: "chart" }, treeWithoutTimeline).focus; // 0
 */
export function normalizeOptions(o: Partial<FlameOptions>, tree: FlameTree, base: FlameOptions = DEFAULTS): Options {
  const n = tree.nodes.frame.length;
  const v = <K extends keyof FlameOptions>(k: K): unknown => (o[k] === undefined ? base[k] : o[k]);
  const view = oneOf(v("view"), ["tree", "sandwich", "chart"] as const, base.view);
  const height = v("height");
  return {
    layout: oneOf(v("layout"), ["flame", "icicle"] as const, DEFAULTS.layout),
    view: view === "chart" && !tree.timeline ? "tree" : view,
    focus: intIn(v("focus"), 0, n - 1, 0),
    search: typeof v("search") === "string" ? (v("search") as string) : "",
    sandwich: intIn(v("sandwich"), -1, tree.strings.length - 1, -1),
    thread: intIn(v("thread"), -1, (tree.timeline?.threads.length ?? 0) - 1, -1),
    diffMode: oneOf(v("diffMode"), ["proportional", "absolute"] as const, DEFAULTS.diffMode),
    theme: oneOf(v("theme"), ["auto", "light", "dark"] as const, DEFAULTS.theme),
    height: typeof height === "number" && Number.isFinite(height) ? Math.round(Math.min(4000, Math.max(120, height))) : DEFAULTS.height,
  };
}
