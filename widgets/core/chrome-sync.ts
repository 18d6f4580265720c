// Brings the DOM around the canvas in line with the state: view and layout switches, diff mode,
// thread picker, search box and matched share, breadcrumbs, legend, selection panel, notes.
import { legendEntries, matchedText, treeCrumbs, viewCrumbs } from "./chrome-text.js";
import type { FlameTree } from "../../src/model/flame-tree.js";
import { printable } from "./format.js";
import type { Palette } from "./palette.js";
import type { SearchHits, TreePanes } from "./panes.js";
import type { State } from "./state.js";
import { h, pressOne, setCrumbs, setLegend, showLayout, type Chrome } from "./toolbar.js";
import type { Scene } from "./views.js";

/** What the chrome shows, and what its breadcrumbs do. */
export interface ChromeInput {
  readonly state: State;
  readonly scene: Scene;
  readonly panes: TreePanes;
  readonly palette: Palette;
  readonly hits: SearchHits | null;
  /** Some pane is zoomed in (a focus, or a wheel zoom). */
  readonly zoomed: boolean;
  readonly canvas: HTMLCanvasElement;
  /** Leave the legend as it is while the kinds of code of the tree's frames are not known yet (a first paint comes first). */
  readonly legendLater?: boolean;
  zoomTo(node: number): void;
  toTree(): void;
  resetZoom(): void;
}

/**
 * Updates every toolbar and footer element from `i` (text only through textContent/attributes).
 *
 * @example
 * syncChrome(chrome, { state, scene, panes, palette, hits, zoomed: false, canvas, zoomTo, toTree, resetZoom });
 */
export function syncChrome(c: Chrome, i: ChromeInput): void {
  const { state: o, scene } = i;
  const tree = o.tree;
  const doc = c.bar.ownerDocument;
  const first = scene.panes[0]!;
  pressOne(c.views, o.view);
  c.views.chart.hidden = !tree.timeline;
  showLayout(c.layout, o.layout);
  c.layout.disabled = o.view === "sandwich";
  c.layout.title = o.view === "sandwich" ? "The sandwich always shows callers above and callees below" : "Flame (root at the bottom) or icicle (root at the top); key f";
  c.diffGroup.hidden = !tree.diff;
  pressOne(c.diffModes, o.diffMode);
  c.reset.disabled = !i.zoomed;
  const tl = tree.timeline;
  c.thread.hidden = !(tl && o.view === "chart");
  if (tl && c.thread.options.length !== tl.threads.length) {
    c.thread.replaceChildren(...tl.threads.map((t, k) => Object.assign(h(doc, "option", "", printable(t)), { value: String(k) })));
  }
  if (tl) c.thread.value = String(scene.chart?.thread ?? Math.max(0, o.thread));
  if (c.search.value !== o.search && doc.activeElement !== c.search) c.search.value = o.search;
  c.matched.textContent = matchedText(tree, i.hits?.nodes ?? null, first.kind === "tree" ? first.focus : 0);
  const crumbs =
    first.kind === "tree"
      ? treeCrumbs(tree, first.focus, i.zoomTo)
      : viewCrumbs(tree, scene.sandwich ? { sandwich: scene.sandwich } : { thread: scene.chart?.thread ?? 0, domain: first.domain }, i.zoomed, i.toTree, i.resetZoom);
  setCrumbs(c.crumbs, crumbs);
  if (!(i.legendLater && !tree.diff && !i.panes.byFrame.known())) setLegend(c.legend, legendEntries(tree, i.palette, i.panes.byFrame, o.diffMode));
  const s = o.selected;
  c.selection.hidden = s === null;
  if (s) {
    const isRoot = scene.panes[s.pane]!.kind === "tree" && s.box === 0;
    const name = printable(i.panes.nameOf(scene, s));
    c.selName.textContent = isRoot ? "all" : name;
    c.selName.title = name;
    c.selSandwich.disabled = isRoot;
  }
  syncNotes(c, tree);
  const what = o.view === "chart" ? "flame chart" : o.view === "sandwich" ? "sandwich" : "flame graph";
  i.canvas.setAttribute("aria-label", `${what} of ${printable(tree.title)}`);
}

/**
 * The notes line under the graph (what the tree leaves out, and why); the widget sets it before
 * its first paint too, so a host sizing the graph to its window measures the footer as it will be.
 *
 * @example
 * syncNotes(chrome, tree); // "notes: no flame chart: more than 200000 time-ordered runs …"
 */
export function syncNotes(c: Chrome, tree: FlameTree): void {
  const notes = tree.notes.map(printable).filter((n) => n !== "");
  c.notes.hidden = notes.length === 0;
  c.notes.textContent = notes.length ? `notes: ${notes.join(" · ")}` : "";
}
