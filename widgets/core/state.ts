// The widget's state and its rules, pure: how a patch becomes the next state (options normalised
// in one place, see src/model/flame-options.ts), which keys changed, and which effects a change
// needs (rebuild, zoom, search, chrome, paint, report). reducer.ts applies them; no DOM here.
import { DEFAULT_FLAME_OPTIONS, normalizeFlameOptions } from "../../src/model/flame-options.js";
import type { FlameOptions, FlameTree } from "../../src/model/flame-tree.js";
import { heaviestSelf } from "./sandwich.js";
import type { Spot } from "./views.js";

/** Everything the widget shows that is not derived: the tree, the display options, the selected and the hovered box. */
export interface State extends FlameOptions {
  readonly tree: FlameTree;
  readonly selected: Spot | null;
  readonly hovered: Spot | null;
}

/** Who changes the state: the user (reported to the host), the host (never echoed), or the first paint. */
export type Source = "user" | "host" | "init";

/** The keys of the display options. */
export const OPTION_KEYS = Object.freeze(Object.keys(DEFAULT_FLAME_OPTIONS) as (keyof FlameOptions)[]);

/** Every key of the state. */
export const STATE_KEYS: readonly (keyof State)[] = Object.freeze([...OPTION_KEYS, "tree", "selected", "hovered"] as const);

/** What a user change reports to the host: display options and the selection (never the hover). */
export type ReportKey = keyof FlameOptions | "selected";

/** The effects of one change, each run at most once (see reducer.ts for the order). */
export interface Plan {
  /** Who made the change. */
  readonly source: Source;
  /** The tree changed: per-tree caches (colours, sandwiches, charts, labels) start again. */
  readonly data: boolean;
  /** Resolve the theme and its palette (and watch the host when it is "auto"). */
  readonly theme: boolean;
  /** Compile the search and match names and nodes again. */
  readonly search: boolean;
  /** Build the panes again: "fresh" from the state; "keep" keeps each pane's zoom range (layout only). */
  readonly rebuild: "none" | "fresh" | "keep";
  /** Scroll the view back to its base row (with a rebuild). */
  readonly resetScroll: boolean;
  /** Animate the call tree to the `focus` node (unless the panes are built fresh, from `focus`). */
  readonly zoom: boolean;
  /** The hovered box changed (a null hover hides the tooltip). */
  readonly hover: boolean;
  /** Bring toolbar, breadcrumbs, legend and selection panel in line. */
  readonly chrome: boolean;
  /**
   * Paint now, on the next animation frame (the selection, maybe with the hover), only the hover
   * outline now (the hover alone changed: the frames stay as they are), or not at all.
   */
  readonly draw: "now" | "frame" | "hover" | "none";
  /** What a user change reports, and when: "settle" waits for typing to pause (search alone). */
  readonly report: readonly ReportKey[];
  readonly emit: "now" | "settle" | "none";
}

const sameSpot = (a: Spot | null, b: Spot | null) => (a === null ? b === null : b !== null && a.pane === b.pane && a.box === b.box);

/** A node the call tree can zoom to: it has weight on one side at least. */
const drawable = (tree: FlameTree, node: number) => tree.nodes.total[node]! > 0 || (tree.diff?.total[node] ?? 0) > 0;

/**
 * The state after `patch`: options normalised against the tree (unknown values keep the current
 * ones), the sandwich view centred on the heaviest function when none is named, a focus on an
 * empty node dropped; a new tree, view, sandwich or thread clears the selection, and any rebuild
 * of the panes clears the hover (unless the patch sets them).
 *
 * @example
 * const s0 = nextState(null, { ...DEFAULT_FLAME_OPTIONS, tree, selected: null, hovered: null });
 * nextState(s0, { view: "sandwich" }).sandwich; // the string index of the heaviest self function
 */
export function nextState(prev: State | null, patch: Partial<State>): State {
  const tree = patch.tree ?? prev?.tree;
  if (!tree) throw new Error("flamebook: the widget's first state needs a tree");
  const given: Record<string, unknown> = {};
  for (const k of OPTION_KEYS) given[k] = patch[k] === undefined ? prev?.[k] : patch[k];
  const o = normalizeFlameOptions(given, tree, prev ?? DEFAULT_FLAME_OPTIONS);
  let { view, sandwich, focus } = o;
  if (view === "sandwich" && sandwich < 0) sandwich = heaviestSelf(tree);
  if (view === "sandwich" && sandwich < 0) view = "tree"; // no function has self weight
  if (focus > 0 && !drawable(tree, focus)) focus = 0;
  const restart = !prev || tree !== prev.tree || view !== prev.view || sandwich !== prev.sandwich || o.thread !== prev.thread;
  const rebuild = !prev || restart || o.layout !== prev.layout || o.diffMode !== prev.diffMode || o.height !== prev.height;
  return {
    ...o,
    view,
    sandwich,
    focus,
    tree,
    selected: patch.selected !== undefined ? patch.selected : !prev || restart ? null : prev.selected,
    hovered: patch.hovered !== undefined ? patch.hovered : !prev || rebuild ? null : prev.hovered,
  };
}

/**
 * The keys whose values differ (boxes compare by pane and index, the tree by identity).
 *
 * @example
 * changedKeys(s, { ...s, search: "alloc" }); // Set { "search" }
 */
export function changedKeys(prev: State, next: State): Set<keyof State> {
  const out = new Set<keyof State>();
  for (const k of STATE_KEYS) {
    const same = k === "selected" || k === "hovered" ? sameSpot(prev[k], next[k]) : Object.is(prev[k], next[k]);
    if (!same) out.add(k);
  }
  return out;
}

/**
 * The effects a change needs: the panes are rebuilt only for a new tree, view, sandwich, thread,
 * diff mode, layout or height ("keep", keeping the zoom, for the layout or the height alone); a focus change animates (from the kept range
 * after a layout switch); a search change
 * re-matches and repaints; the selection repaints on the next frame, the hover alone only its
 * outline (at once); every change but the
 * hover syncs the chrome. Only a user change reports, once, and a search alone when typing settles.
 *
 * @example
 * planEffects(new Set(["search"]), "user"); // { search: true, rebuild: "none", draw: "now", emit: "settle", … }
 */
export function planEffects(changed: ReadonlySet<keyof State>, source: Source): Plan {
  const has = (...ks: (keyof State)[]) => ks.some((k) => changed.has(k));
  const data = source === "init" || has("tree");
  const fresh = data || has("view", "sandwich", "thread", "diffMode");
  // A new height (a page following its window) keeps the zoom, as a layout switch does.
  const rebuild = fresh ? "fresh" : has("layout", "height") ? "keep" : "none";
  const pointerOnly = [...changed].every((k) => k === "selected" || k === "hovered");
  const report = source === "user" ? [...changed].filter((k): k is ReportKey => k !== "tree" && k !== "hovered") : [];
  return {
    source,
    data,
    theme: source === "init" || has("theme"),
    search: data || has("search"),
    rebuild,
    resetScroll: data || has("view", "sandwich", "thread", "layout", "height"),
    zoom: has("focus") && rebuild !== "fresh",
    hover: has("hovered"),
    chrome: source === "init" || [...changed].some((k) => k !== "hovered"),
    draw: source === "init" || !pointerOnly ? "now" : changed.has("selected") ? "frame" : changed.size > 0 ? "hover" : "none",
    report,
    emit: report.length === 0 ? "none" : report.every((k) => k === "search") ? "settle" : "now",
  };
}
