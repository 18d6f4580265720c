// The flamegraph widget: builds its DOM, holds its state in a Store (reducer.ts) and runs the
// effects of each change once: panes (panes.ts), chrome (chrome-sync.ts), paint (painter.ts),
// reports (reporter.ts). What the user's gestures do is actions.ts; the rules are state.ts.
import type { FlameOptions, FlameTree } from "../../src/model/flame-tree.js";
import { Actions, type ActionContext } from "./actions.js";
import { sandwichBand } from "./chrome-text.js";
import { syncChrome, syncNotes } from "./chrome-sync.js";
import { bindInput } from "./input.js";
import { Painter } from "./painter.js";
import { buildPalette, type Palette } from "./palette.js";
import { isZoomed, TreePanes, type SearchHits } from "./panes.js";
import { Store } from "./reducer.js";
import { Reporter, type FlameChange } from "./reporter.js";
import { OPTION_KEYS, type Plan, type ReportKey, type Source, type State } from "./state.js";
import { ensureStyles } from "./styles.js";
import { Surface, type Rect } from "./surface.js";
import { THEMES, resolveTheme, watchHostTheme } from "./theme.js";
import { buildChrome, h, type Chrome } from "./toolbar.js";
import { placeTip, renderTip, spotTip } from "./tooltip.js";
import type { Scene, Spot } from "./views.js";

export type { FlameChange, Rect };

/** Callbacks of a flamegraph. */
export interface FlamegraphEvents {
  /** The user changed something (never called for changes made with `update`). */
  onChange?(change: FlameChange): void;
  /**
   * A graph that fills its window (hosts/fill.ts): the drawing height to start with, given how
   * tall the toolbar and footer are (CSS px); asked once, before the first paint, instead of
   * `options.height`.
   */
  fitHeight?(chrome: number): number;
}

/** The display options of a state (a frozen copy). */
const optionsOf = (s: State): FlameOptions => Object.freeze(Object.fromEntries(OPTION_KEYS.map((k) => [k, s[k]])) as unknown as FlameOptions);

/**
 * The flamegraph widget; `createFlamegraph` wraps it in a handle (use that).
 *
 * @example
 * const g = new Flamegraph(el, tree, options, { onChange: console.log });
 * g.update({ search: "alloc" });
 */
export class Flamegraph {
  private readonly doc: Document;
  private readonly root: HTMLDivElement;
  private readonly chrome: Chrome;
  private readonly surface: Surface;
  private readonly tip: HTMLDivElement;
  private readonly painter: Painter;
  private readonly reporter: Reporter;
  private readonly store: Store;
  private readonly actions: Actions;
  private panes!: TreePanes;
  private scene!: Scene;
  private theme: "light" | "dark" = "light";
  private palette!: Palette;
  private hits: SearchHits | null = null;
  private paneMatch: (Uint8Array | null)[] = [];
  private stopTheme: (() => void) | undefined;
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    private readonly el: HTMLElement,
    tree: FlameTree,
    options: FlameOptions,
    events: FlamegraphEvents = {},
  ) {
    this.doc = el.ownerDocument;
    ensureStyles(el);
    this.root = h(this.doc, "div", "fb-root");
    this.root.tabIndex = 0;
    this.root.setAttribute("role", "application");
    this.root.setAttribute("aria-label", "flamegraph");
    // JupyterLab (Lumino) leaves keys alone inside elements with these attributes.
    this.root.setAttribute("data-lm-suppress-shortcuts", "true");
    this.root.setAttribute("data-p-suppress-shortcuts", "true");
    this.chrome = buildChrome(this.doc);
    this.surface = new Surface(this.doc);
    this.tip = h(this.doc, "div", "fb-tip");
    this.tip.hidden = true;
    this.tip.setAttribute("role", "tooltip");
    this.root.append(this.chrome.bar, this.surface.viewport, this.chrome.foot, this.chrome.notes, this.tip);
    el.appendChild(this.root);
    this.painter = new Painter(this.doc.defaultView, () => this.paint());
    this.reporter = new Reporter((c) => events.onChange?.(c));
    this.store = new Store({ run: (plan, next) => this.run(plan, next), report: (c, when) => this.report(c, when) });
    this.actions = new Actions(this.actionContext());
    this.cleanups.push(bindInput(this.root, this.surface, this.chrome, this.actions));
    const RO = this.doc.defaultView?.ResizeObserver;
    if (RO) {
      const ro = new RO(() => {
        const w = this.surface.viewport.clientWidth;
        if (!this.destroyed && w > 0 && w !== this.surface.width) this.painter.draw();
      });
      ro.observe(this.surface.viewport);
      this.cleanups.push(() => ro.disconnect());
    }
    // Measured before anything is drawn, while the page is cheap to lay out.
    if (events.fitHeight) syncNotes(this.chrome, tree);
    const height = events.fitHeight ? events.fitHeight(this.root.getBoundingClientRect().height - this.surface.viewport.getBoundingClientRect().height) : options.height;
    this.store.setState({ ...options, height, tree, selected: null, hovered: null }, "init");
  }

  // ---------------------------------------------------------------- the handle

  /** Current options (a copy). */
  get options(): FlameOptions {
    return optionsOf(this.store.state);
  }

  /** Options set from outside: applied live, never reported back. */
  update(partial: Partial<FlameOptions>): void {
    if (this.destroyed) return;
    const patch: Record<string, unknown> = {};
    for (const k of OPTION_KEYS) if (partial[k] !== undefined) patch[k] = partial[k];
    this.setState(patch as Partial<State>, "host");
  }

  /** Draws another tree, keeping the options that still apply. */
  setTree(tree: FlameTree): void {
    if (!this.destroyed) this.setState({ tree }, "host");
  }

  /** Where a tree node is drawn now (CSS px relative to the canvas), or null when it is not in view. */
  nodeRect(node: number): Rect | null {
    for (let p = 0; p < this.scene.panes.length; p++) {
      const pane = this.scene.panes[p]!;
      const b = pane.kind === "tree" ? (node >= 0 && node < pane.boxes.count ? node : -1) : pane.boxes.node.indexOf(node);
      const r = b >= 0 ? this.surface.boxRect(this.scene, p, b) : null;
      if (r) return r;
    }
    return null;
  }

  /** Removes the widget: listeners, observers, timers and its DOM. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopTheme?.();
    this.painter.destroy();
    this.reporter.destroy();
    this.actions.destroy();
    for (const c of this.cleanups) c();
    this.root.remove();
  }

  // ---------------------------------------------------------------- the reducer and its effects

  /** The one way the state changes (see reducer.ts); nothing happens after `destroy`. */
  private setState(patch: Partial<State>, source: Source): Plan {
    return this.store.setState(this.destroyed ? {} : patch, source);
  }

  /** Runs the effects of a change, each once, in this order. */
  private run(plan: Plan, s: State): void {
    if (plan.data) this.panes = new TreePanes(s.tree);
    if (plan.theme) this.applyTheme();
    if (plan.search) this.hits = this.panes.search(s.search);
    if (plan.search && plan.source !== "user") this.chrome.search.value = s.search;
    if (plan.rebuild !== "none") this.rebuild(plan, s);
    else if (plan.search) this.paneMatch = this.panes.matches(this.scene, this.hits);
    if (plan.zoom) this.zoomTree(s.focus);
    if (plan.hover && !s.hovered) this.tip.hidden = true;
    if (plan.chrome) this.syncChrome(plan.source === "init");
    // Scrolling reads the layout: after every DOM write above, so the page is laid out once.
    if (plan.rebuild !== "none") this.placeScroll(plan);
    if (plan.draw === "now") this.painter.draw();
    else if (plan.draw === "frame") this.painter.request();
    else if (plan.draw === "hover") this.surface.paintHover(this.scene, s.hovered);
  }

  /** Builds the panes of the state's view; "keep" carries each pane's zoom range over (a layout switch). */
  private rebuild(plan: Plan, s: State): void {
    const kept = plan.rebuild === "keep" ? this.scene.panes.map((p) => [p.domain, p.focus] as const) : [];
    this.painter.stopAll();
    this.scene = this.panes.scene(s);
    this.scene.panes.forEach((p, k) => {
      if (kept[k] && (p.kind === "chart" || p.kind === "tree")) [p.domain, p.focus] = kept[k];
    });
    this.paneMatch = this.panes.matches(this.scene, this.hits);
    this.surface.setContent(this.scene.contentHeight, s.height);
  }

  /** The scroll position of freshly built panes: the base rows, or the kept zoom's row. */
  private placeScroll(plan: Plan): void {
    if (plan.resetScroll) this.surface.resetScroll(this.scene);
    const first = this.scene.panes[0]!;
    if (plan.rebuild === "keep" && first.kind === "tree" && first.focus > 0) this.surface.revealRow(this.scene, 0, first.boxes.depth[first.focus]!);
  }

  /** Animates the call tree to a node the host asked for (user zooms have moved the pane already). */
  private zoomTree(focus: number): void {
    const pane = this.scene.panes[0]!;
    if (pane.kind !== "tree" || pane.focus === focus) return;
    pane.focus = focus;
    this.painter.animate(0, pane, focus > 0 ? [pane.boxes.x0[focus]!, pane.boxes.x1[focus]!] : pane.full);
    this.surface.revealRow(this.scene, 0, pane.boxes.depth[focus]!);
  }

  private applyTheme(): void {
    const option = this.store.state.theme;
    this.theme = resolveTheme(option, this.el);
    this.root.classList.toggle("fb-dark", this.theme === "dark");
    this.root.setAttribute("data-theme", this.theme);
    this.palette = buildPalette(this.theme, THEMES[this.theme].background);
    this.stopTheme?.();
    this.stopTheme = undefined;
    if (option !== "auto") return;
    this.stopTheme = watchHostTheme(this.el, () => {
      if (this.destroyed || resolveTheme(this.store.state.theme, this.el) === this.theme) return;
      this.applyTheme();
      this.syncChrome();
      this.painter.draw();
    });
  }

  /**
   * Brings the chrome in line; `first` leaves the legend (a pass over every frame of the tree)
   * until the first picture is on screen.
   */
  private syncChrome(first = false): void {
    const legendLater = first && !this.panes.byFrame.known();
    if (legendLater) {
      const win = this.doc.defaultView;
      const fill = () => {
        if (this.destroyed) return;
        this.panes.byFrame.categories();
        this.syncChrome();
      };
      // after the next frame is drawn (a timeout queued from its animation frame runs after it)
      if (win) win.requestAnimationFrame(() => win.setTimeout(fill, 0));
      else fill();
    }
    syncChrome(this.chrome, {
      legendLater,
      state: this.store.state,
      scene: this.scene,
      panes: this.panes,
      palette: this.palette,
      hits: this.hits,
      zoomed: isZoomed(this.scene),
      canvas: this.surface.canvas,
      zoomTo: (n) => this.actions.zoomPane(0, n),
      toTree: () => this.actions.setView("tree"),
      resetZoom: () => this.actions.resetZoom(),
    });
  }

  /** Paints the scene as it is now. */
  private paint(): void {
    const s = this.store.state;
    this.surface.paint(
      {
        scene: this.scene,
        palette: this.palette,
        theme: THEMES[this.theme],
        match: this.paneMatch,
        selected: s.selected,
        hovered: s.hovered,
        labelOf: (pane, b) => this.panes.labelOf(pane, b),
        band: this.scene.sandwich ? sandwichBand(s.tree, this.scene.sandwich) : null,
        empty: s.tree.nodes.total[0]! > 0 ? null : "no samples to draw",
      },
      this.surface.measuredWidth(this.el),
    );
  }

  /** A user change as the host hears it: the selected box becomes its node and full name. */
  private report(c: Partial<Pick<State, ReportKey>>, when: "now" | "settle"): void {
    const { selected, ...options } = c;
    const change: FlameChange = { options };
    if (selected !== undefined) change.selected = selected ? { node: this.scene.panes[selected.pane]!.boxes.node[selected.box]!, name: this.panes.nameOf(this.scene, selected) } : null;
    this.reporter.report(change, when);
  }

  /** What actions.ts may use. */
  private actionContext(): ActionContext {
    const self = this;
    return {
      get state() {
        return self.store.state;
      },
      get scene() {
        return self.scene;
      },
      get panes() {
        return self.panes;
      },
      surface: this.surface,
      chrome: this.chrome,
      painter: this.painter,
      setState: (patch, source) => this.setState(patch, source),
      refresh: (draw) => {
        this.syncChrome();
        if (draw === "frame") this.painter.request();
      },
      showTip: (s: Spot, x: number, y: number) => {
        renderTip(this.tip, spotTip(this.store.state.tree, this.scene, s));
        placeTip(this.tip, this.root, this.surface.canvas, x, y);
      },
      hideTip: () => (this.tip.hidden = true),
      flushSearch: () => this.reporter.flush(),
    };
  }
}
