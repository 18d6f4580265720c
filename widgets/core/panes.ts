// The panes of the current view built from the state, with what one tree keeps between views:
// frame colours, sandwiches, flame charts, label forms and search matches. No DOM.
import type { DiffMode, FlameTree } from "../../src/model/flame-tree.js";
import { formatWeight, labelForms, printable } from "./format.js";
import { FrameColorIds } from "./palette.js";
import { buildSandwich, type Sandwich } from "./sandwich.js";
import { compileSearch, matchingNames, matchingNodes } from "./search.js";
import type { State } from "./state.js";
import { chartBoxes, type ChartBoxes } from "./timeline.js";
import { chartScene, sandwichScene, treeParts, treeScene, type Pane, type Scene, type Spot, type TreeParts } from "./views.js";

/** What a search matches: names (by string index) and tree nodes; null without a search. */
export interface SearchHits {
  readonly names: Uint8Array;
  readonly nodes: Uint8Array;
}

/**
 * The drawing data of one tree, built on demand and kept while the tree is drawn.
 *
 * @example
 * const panes = new TreePanes(tree);
 * const scene = panes.scene(state); // the view the state names
 * const match = panes.matches(scene, panes.search("alloc"));
 */
export class TreePanes {
  /** Colour id of each frame (worked out as frames are drawn). */
  readonly byFrame: FrameColorIds;
  private readonly sandwiches = new Map<number, Sandwich>();
  private readonly charts = new Map<number, ChartBoxes>();
  private readonly labels = new Map<number, readonly string[]>();
  private readonly trees = new Map<DiffMode, TreeParts>();

  constructor(readonly tree: FlameTree) {
    this.byFrame = new FrameColorIds(tree);
  }

  /** The scene of the state's view: sandwich, flame chart, or the call tree zoomed to `focus`. */
  scene(s: Pick<State, "view" | "sandwich" | "thread" | "layout" | "diffMode" | "focus" | "height">): Scene {
    const tree = this.tree;
    if (s.view === "sandwich" && s.sandwich >= 0) return sandwichScene(tree, this.byFrame, this.sandwichOf(s.sandwich), s.diffMode, s.height);
    if (s.view === "chart" && tree.timeline) return chartScene(this.byFrame, this.chartOf(s.thread), s.layout, s.height);
    let parts = this.trees.get(s.diffMode);
    if (!parts) this.trees.set(s.diffMode, (parts = treeParts(tree, this.byFrame, s.diffMode)));
    return treeScene(tree, this.byFrame, s, s.height, parts);
  }

  /** Names and nodes a search text matches; null for no search. */
  search(text: string): SearchHits | null {
    const search = compileSearch(text);
    if (!search) return null;
    const names = matchingNames(this.tree, search);
    return { names, nodes: matchingNodes(this.tree, names) };
  }

  /** Per pane, which boxes match (null: no search). */
  matches(scene: Scene, hits: SearchHits | null): (Uint8Array | null)[] {
    const name = this.tree.frames.name;
    return scene.panes.map((p) => {
      if (!hits) return null;
      if (p.kind === "tree") return hits.nodes;
      return Uint8Array.from(p.boxes.frame, (f) => hits.names[name[f]!]!);
    });
  }

  /** The label forms of a box, longest first. */
  labelOf(pane: Pane, b: number): readonly string[] {
    const tree = this.tree;
    if (pane.kind === "tree" && b === 0) return [`all (${formatWeight(tree.nodes.total[0]!, tree.unit, tree.event)})`, "all"];
    const s = tree.frames.name[pane.boxes.frame[b]!]!;
    let forms = this.labels.get(s);
    if (!forms) this.labels.set(s, (forms = labelForms(printable(tree.strings[s] ?? ""))));
    return forms;
  }

  /** String index of the name of a box's function. */
  nameIndexOf(scene: Scene, s: Spot): number {
    return this.tree.frames.name[scene.panes[s.pane]!.boxes.frame[s.box]!]!;
  }

  /** The full name of a box's function. */
  nameOf(scene: Scene, s: Spot): string {
    return this.tree.strings[this.nameIndexOf(scene, s)] ?? "";
  }

  private sandwichOf(name: number): Sandwich {
    let s = this.sandwiches.get(name);
    if (!s) this.sandwiches.set(name, (s = buildSandwich(this.tree, name)));
    return s;
  }

  private chartOf(thread: number): ChartBoxes {
    let c = this.charts.get(thread);
    if (!c) this.charts.set(thread, (c = chartBoxes(this.tree, thread)));
    return c;
  }
}

/**
 * Whether some pane is zoomed in: to a box, or by the wheel.
 *
 * @example
 * isZoomed(treeScene(tree, new FrameColorIds(tree), { layout: "flame", diffMode: "proportional", focus: 0 }, 420)); // false
 */
export function isZoomed(scene: Scene): boolean {
  return scene.panes.some((p) => p.domain[0] !== p.full[0] || p.domain[1] !== p.full[1] || p.focus > 0);
}
