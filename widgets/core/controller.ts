// The flamegraph widget: its state, and what user actions and host updates do to it. Painting is
// surface.ts, the words around the canvas chrome-text.ts, the DOM pieces toolbar.ts.
import type { FlameOptions, FlameTree, FlameView } from "../../src/model/flame-tree.js";
import { legendEntries, matchedText, sandwichBand, shortAndFull, treeCrumbs, viewCrumbs } from "./chrome-text.js";
import { copyText } from "./clipboard.js";
import { formatWeight, labelForms, printable } from "./format.js";
import { bindInput } from "./input.js";
import { moveSelection, type KeyCommand } from "./keyboard.js";
import { normalizeOptions, type Options } from "./options.js";
import { buildPalette, frameColors, type Palette } from "./palette.js";
import { buildSandwich, heaviestSelf, type Sandwich } from "./sandwich.js";
import { compileSearch, matchingNames, matchingNodes } from "./search.js";
import { ensureStyles } from "./styles.js";
import { Surface, type Rect } from "./surface.js";
import { THEMES, resolveTheme, watchHostTheme } from "./theme.js";
import { chartBoxes, type ChartBoxes } from "./timeline.js";
import { buildChrome, h, pressOne, setCrumbs, setLegend, showLayout, type Chrome } from "./toolbar.js";
import { chartTip, renderTip, sandwichTip, treeTip, type TipContent } from "./tooltip.js";
import { chartScene, sandwichScene, treeScene, type Pane, type Scene, type Spot } from "./views.js";
import { animateDomain, wheelDomain, type Domain } from "./zoom.js";

/** What the user changed: options, and the selected frame (null when cleared). */
export interface FlameChange {
  options: Partial<FlameOptions>;
  selected?: { node: number; name: string } | null;
}

/** Callbacks of a flamegraph. */
export interface FlamegraphEvents {
  /** The user changed something (never called for changes made with `update`). */
  onChange?(change: FlameChange): void;
}

export type { Rect };

/** How long search typing settles before it is reported. */
const SEARCH_EMIT_MS = 250;

const sameSpot = (a: Spot | null, b: Spot | null) => (a === null ? b === null : b !== null && a.pane === b.pane && a.box === b.box);

/**
 * The flamegraph widget; `createFlamegraph` wraps it in a handle (use that).
 *
 * @example
 * const g = new Flamegraph(el, tree, options, { onChange: console.log });
 * g.update({ search: "alloc" });
 */
export class Flamegraph {
  private tree: FlameTree;
  private o: Options;
  private readonly doc: Document;
  private readonly root: HTMLDivElement;
  private readonly chrome: Chrome;
  private readonly surface: Surface;
  private readonly tip: HTMLDivElement;
  private byFrame: Uint16Array;
  private scene!: Scene;
  private theme: "light" | "dark" = "light";
  private palette!: Palette;
  private nameHit: Uint8Array | null = null;
  private nodeHit: Uint8Array | null = null;
  private paneMatch: (Uint8Array | null)[] = [];
  private selected: Spot | null = null;
  private hovered: Spot | null = null;
  private readonly sandwiches = new Map<number, Sandwich>();
  private readonly charts = new Map<number, ChartBoxes>();
  private readonly labels = new Map<number, readonly string[]>();
  private readonly stopZoom = new Map<number, () => void>();
  private frameRequest = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private msgTimer: ReturnType<typeof setTimeout> | undefined;
  private stopTheme: (() => void) | undefined;
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    private readonly el: HTMLElement,
    tree: FlameTree,
    options: FlameOptions,
    private readonly events: FlamegraphEvents = {},
  ) {
    this.tree = tree;
    this.o = normalizeOptions(options, tree);
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
    this.byFrame = frameColors(tree);
    this.applyTheme();
    this.cleanups.push(bindInput(this.root, this.surface, this.chrome, this));
    const RO = this.doc.defaultView?.ResizeObserver;
    if (RO) {
      const ro = new RO(() => {
        const w = this.surface.viewport.clientWidth;
        if (!this.destroyed && w > 0 && w !== this.surface.width) this.draw();
      });
      ro.observe(this.surface.viewport);
      this.cleanups.push(() => ro.disconnect());
    }
    this.applySearch(this.o.search);
    this.chrome.search.value = this.o.search;
    this.rebuild(true);
    this.syncChrome();
    this.draw();
  }

  // ---------------------------------------------------------------- the handle

  /** Current options (a copy). */
  get options(): FlameOptions {
    return Object.freeze({ ...this.o });
  }

  /** Options set from outside: applied live, never reported back. */
  update(partial: Partial<FlameOptions>): void {
    if (this.destroyed) return;
    const next = normalizeOptions({ ...this.o, ...partial }, this.tree, this.o);
    const changed = (k: keyof FlameOptions) => next[k] !== this.o[k];
    const newView = changed("view") || changed("sandwich") || changed("thread");
    const structural = newView || changed("layout") || changed("diffMode") || changed("height");
    const resetScroll = changed("view") || changed("layout") || changed("height");
    const [focusChanged, searchChanged, themeChanged] = [changed("focus"), changed("search"), changed("theme")];
    this.o = next;
    if (themeChanged) this.applyTheme();
    if (searchChanged) {
      this.chrome.search.value = next.search;
      this.applySearch(next.search);
    }
    if (structural) {
      this.clearHover();
      if (newView) this.selected = null;
      this.rebuild(resetScroll);
    } else if (focusChanged && this.o.view === "tree") {
      this.zoomPane(0, this.o.focus, false);
    }
    this.syncChrome();
    this.draw();
  }

  /** Draws another tree, keeping the options that still apply. */
  setTree(tree: FlameTree): void {
    if (this.destroyed) return;
    this.tree = tree;
    this.o = normalizeOptions(this.o, tree, this.o);
    this.byFrame = frameColors(tree);
    this.sandwiches.clear();
    this.charts.clear();
    this.labels.clear();
    this.selected = null;
    this.clearHover();
    this.applySearch(this.o.search);
    this.rebuild(true);
    this.syncChrome();
    this.draw();
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
    for (const stop of this.stopZoom.values()) stop();
    this.stopZoom.clear();
    for (const c of this.cleanups) c();
    if (this.frameRequest) this.doc.defaultView?.cancelAnimationFrame(this.frameRequest);
    clearTimeout(this.searchTimer);
    clearTimeout(this.msgTimer);
    this.root.remove();
  }

  // ---------------------------------------------------------------- state

  private emit(options: Partial<FlameOptions>, selected?: Spot | null): void {
    if (Object.keys(options).length === 0 && selected === undefined) return;
    const change: FlameChange = { options };
    if (selected !== undefined) change.selected = selected ? { node: this.pane(selected).boxes.node[selected.box]!, name: this.nameOf(selected) } : null;
    try {
      this.events.onChange?.(change);
    } catch (e) {
      console.error("flamebook: onChange failed", e);
    }
  }

  private pane(s: Spot): Pane {
    return this.scene.panes[s.pane]!;
  }

  private nameIndexOf(s: Spot): number {
    return this.tree.frames.name[this.pane(s).boxes.frame[s.box]!]!;
  }

  private nameOf(s: Spot): string {
    return this.tree.strings[this.nameIndexOf(s)] ?? "";
  }

  private applyTheme(): void {
    this.theme = resolveTheme(this.o.theme, this.el);
    this.root.classList.toggle("fb-dark", this.theme === "dark");
    this.root.setAttribute("data-theme", this.theme);
    this.palette = buildPalette(this.theme, THEMES[this.theme].background);
    this.stopTheme?.();
    this.stopTheme = undefined;
    if (this.o.theme !== "auto") return;
    this.stopTheme = watchHostTheme(this.el, () => {
      if (this.destroyed || resolveTheme(this.o.theme, this.el) === this.theme) return;
      this.applyTheme();
      this.syncChrome();
      this.draw();
    });
  }

  private applySearch(text: string): void {
    const search = compileSearch(text);
    this.nameHit = search ? matchingNames(this.tree, search) : null;
    this.nodeHit = this.nameHit ? matchingNodes(this.tree, this.nameHit) : null;
    if (this.scene) this.matchPanes();
  }

  private matchPanes(): void {
    const names = this.nameHit;
    this.paneMatch = this.scene.panes.map((p) => {
      if (!names || !this.nodeHit) return null;
      if (p.kind === "tree") return this.nodeHit;
      return Uint8Array.from(p.boxes.frame, (f) => names[this.tree.frames.name[f]!]!);
    });
  }

  /** Rebuilds the panes of the current view. */
  private rebuild(resetScroll: boolean): void {
    for (const stop of this.stopZoom.values()) stop();
    this.stopZoom.clear();
    const H = this.o.height;
    const o = this.o;
    if (o.view === "sandwich" && o.sandwich < 0) o.sandwich = heaviestSelf(this.tree);
    if (o.view === "sandwich" && o.sandwich >= 0) this.scene = sandwichScene(this.tree, this.byFrame, this.sandwichOf(o.sandwich), o.diffMode, H);
    else if (o.view === "chart" && this.tree.timeline) this.scene = chartScene(this.byFrame, this.chartOf(o.thread), o.layout, H);
    else {
      this.scene = treeScene(this.tree, this.byFrame, o, H);
      o.focus = this.scene.panes[0]!.focus;
    }
    this.matchPanes();
    this.surface.setContent(this.scene.contentHeight, H);
    if (resetScroll) this.surface.resetScroll(this.scene);
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

  // ---------------------------------------------------------------- drawing

  /** Schedules a paint on the next animation frame. */
  requestDraw(): void {
    if (this.frameRequest || this.destroyed) return;
    const win = this.doc.defaultView;
    if (!win) return this.draw();
    this.frameRequest = win.requestAnimationFrame(() => {
      this.frameRequest = 0;
      this.draw();
    });
  }

  /** Paints now. */
  private draw(): void {
    if (this.destroyed) return;
    this.surface.paint(
      {
        scene: this.scene,
        palette: this.palette,
        theme: THEMES[this.theme],
        match: this.paneMatch,
        selected: this.selected,
        hovered: this.hovered,
        labelOf: (pane, b) => this.labelOf(pane, b),
        band: this.scene.sandwich ? sandwichBand(this.tree, this.scene.sandwich) : null,
        empty: this.tree.nodes.total[0]! > 0 ? null : "no samples to draw",
      },
      this.surface.measuredWidth(this.el),
    );
  }

  private labelOf(pane: Pane, b: number): readonly string[] {
    if (pane.kind === "tree" && b === 0) return [`all (${formatWeight(this.tree.nodes.total[0]!, this.tree.unit, this.tree.event)})`, "all"];
    const s = this.tree.frames.name[pane.boxes.frame[b]!]!;
    let forms = this.labels.get(s);
    if (!forms) this.labels.set(s, (forms = labelForms(printable(this.tree.strings[s] ?? ""))));
    return forms;
  }

  // ---------------------------------------------------------------- actions (also called by input.ts)

  /** Zooms a pane to a box (animated); for the tree this sets the `focus` option. */
  zoomPane(p: number, b: number, user: boolean, select = false): void {
    const pane = this.scene.panes[p];
    if (!pane || b < 0 || b >= pane.boxes.count) return;
    const { x0, x1 } = pane.boxes;
    if (pane.kind !== "chart" && !(x1[b]! > x0[b]!)) return;
    const whole = (pane.kind !== "chart" && b === 0) || !(x1[b]! > x0[b]!);
    pane.focus = whole ? (pane.kind === "tree" ? 0 : -1) : b;
    this.animate(p, whole ? pane.full : [x0[b]!, x1[b]!]);
    if (pane.kind === "tree") {
      this.o.focus = pane.focus;
      this.surface.revealRow(this.scene, p, pane.boxes.depth[b]!);
    }
    if (select) this.selected = { pane: p, box: b };
    this.syncChrome();
    if (user) this.emit(pane.kind === "tree" ? { focus: this.o.focus } : {}, select ? this.selected : undefined);
  }

  private animate(p: number, target: Domain): void {
    const pane = this.scene.panes[p]!;
    this.stopZoom.get(p)?.();
    if (pane.domain[0] === target[0] && pane.domain[1] === target[1]) return;
    const reduce = this.doc.defaultView?.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
    const step = (d: Domain) => {
      pane.domain = d;
      this.draw();
    };
    this.stopZoom.set(p, animateDomain(pane.domain, target, step, () => this.stopZoom.delete(p), reduce ? 0 : undefined));
  }

  /** Ctrl/⌘ + wheel zooms around the pointer, a sideways wheel pans; true when the event was ours. */
  wheel(x: number, y: number, e: WheelEvent): boolean {
    const p = this.surface.paneAt(this.scene, y);
    const pane = this.scene.panes[p];
    if (!pane) return false;
    const next = wheelDomain(pane.domain, pane.full, x / Math.max(1, this.surface.width), this.surface.width, e);
    if (!next) return false;
    this.stopZoom.get(p)?.();
    pane.domain = next;
    this.clearHover();
    this.syncChrome();
    this.requestDraw();
    return true;
  }

  private isZoomed(): boolean {
    return this.scene.panes.some((p) => p.domain[0] !== p.full[0] || p.domain[1] !== p.full[1] || p.focus > 0);
  }

  /** Zooms every pane out. */
  resetZoom(user: boolean): void {
    const wasFocus = this.o.focus;
    this.scene.panes.forEach((pane, p) => {
      pane.focus = pane.kind === "tree" ? 0 : -1;
      this.animate(p, pane.full);
    });
    if (this.scene.panes[0]!.kind === "tree") this.o.focus = 0;
    this.syncChrome();
    if (user && wasFocus !== this.o.focus) this.emit({ focus: 0 });
  }

  /** The search box changed (user typing, or Esc clearing it). */
  setSearch(text: string, user: boolean): void {
    if (text === this.o.search) return;
    this.o.search = text;
    this.applySearch(text);
    this.syncChrome();
    this.draw();
    if (!user) return;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.flushSearch(), SEARCH_EMIT_MS);
  }

  /** Reports a pending search change now (Enter, blur, Esc). */
  flushSearch(): void {
    if (this.searchTimer === undefined) return;
    clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    this.emit({ search: this.o.search });
  }

  /** Switches view; `sandwich` names the sandwich's function (string index). */
  setView(view: FlameView, user: boolean, sandwich?: number): void {
    if (view === "chart" && !this.tree.timeline) return;
    const before = { view: this.o.view, sandwich: this.o.sandwich };
    if (view === "sandwich" && sandwich === undefined && this.o.sandwich < 0 && this.selected) sandwich = this.nameIndexOf(this.selected);
    if (sandwich !== undefined) this.o.sandwich = sandwich;
    this.o.view = view;
    if (before.view === view && before.sandwich === this.o.sandwich) return;
    this.clearHover();
    this.selected = null;
    this.rebuild(true);
    this.syncChrome();
    this.draw();
    if (!user) return;
    const changes: Partial<Options> = {};
    if (before.sandwich !== this.o.sandwich) changes.sandwich = this.o.sandwich;
    if (before.view !== view) changes.view = view;
    this.emit(changes, null);
  }

  /** Flame or icicle; zoom ranges are kept. */
  setLayout(layout: Options["layout"], user: boolean): void {
    if (layout === this.o.layout) return;
    this.o.layout = layout;
    const kept = this.scene.panes.map((p) => [p.domain, p.focus] as const);
    this.rebuild(true);
    this.scene.panes.forEach((p, k) => {
      if (kept[k] && (p.kind === "chart" || p.kind === "tree")) [p.domain, p.focus] = kept[k];
    });
    const first = this.scene.panes[0]!;
    if (first.kind === "tree" && first.focus > 0) this.surface.revealRow(this.scene, 0, first.boxes.depth[first.focus]!);
    this.syncChrome();
    this.draw();
    if (user) this.emit({ layout });
  }

  /** The flame chart's thread. */
  setThread(thread: number, user: boolean): void {
    if (thread === this.o.thread) return;
    this.o.thread = thread;
    this.selected = null;
    this.clearHover();
    this.rebuild(true);
    this.syncChrome();
    this.draw();
    if (user) this.emit({ thread }, null);
  }

  /** Diff colours (and widths) by weight or by share. */
  setDiffMode(mode: Options["diffMode"], user: boolean): void {
    if (mode === this.o.diffMode) return;
    this.o.diffMode = mode;
    const sel = this.selected;
    this.clearHover();
    this.rebuild(false);
    if (sel && sel.box < (this.scene.panes[sel.pane]?.boxes.count ?? 0)) this.selected = sel;
    this.syncChrome();
    this.draw();
    if (user) this.emit({ diffMode: mode });
  }

  /** Selects a box (or clears the selection). */
  select(s: Spot | null, user: boolean): void {
    if (sameSpot(s, this.selected)) return;
    this.selected = s;
    this.syncChrome();
    this.requestDraw();
    if (user) this.emit({}, s);
  }

  /** The sandwich of a box's function. */
  openSandwich(s: Spot | null, user: boolean): void {
    if (!s || (this.pane(s).kind === "tree" && s.box === 0)) return;
    this.setView("sandwich", user, this.nameIndexOf(s));
  }

  /** Copies the selected (else hovered) frame's full name. */
  async copySelected(): Promise<void> {
    const s = this.selected ?? this.hovered;
    if (!s) return;
    const ok = await copyText(this.nameOf(s), this.doc);
    this.chrome.selMsg.textContent = ok ? "copied" : "copy failed: select the name and copy it";
    clearTimeout(this.msgTimer);
    this.msgTimer = setTimeout(() => (this.chrome.selMsg.textContent = ""), 1800);
  }

  /** The pointer moved over the canvas. */
  hover(x: number, y: number): boolean {
    const s = this.surface.hit(this.scene, x, y);
    const changed = !sameSpot(s, this.hovered);
    this.hovered = s;
    if (s) this.showTip(s, x, y);
    else this.tip.hidden = true;
    if (changed) this.requestDraw();
    return s !== null;
  }

  /** The pointer left, or the view scrolled away from it. */
  clearHover(): void {
    const had = this.hovered !== null || !this.tip.hidden;
    this.hovered = null;
    this.tip.hidden = true;
    if (had && this.scene) this.requestDraw();
  }

  /** A click on the canvas: select and zoom. */
  click(x: number, y: number): void {
    const s = this.surface.hit(this.scene, x, y);
    if (!s) return;
    this.zoomPane(s.pane, s.box, true, true);
    this.draw();
  }

  /** Runs a keyboard command (see keyboard.ts). */
  command(cmd: KeyCommand): void {
    switch (cmd.kind) {
      case "move": {
        const from = this.selected ?? this.hovered;
        const first = this.scene.panes[0]!;
        if (!from && first.boxes.count === 0) return;
        const to = from ? { pane: from.pane, box: moveSelection(this.pane(from).boxes, this.pane(from).rows, from.box, cmd.move) } : { pane: 0, box: first.kind === "tree" ? first.focus : 0 };
        this.select(to, true);
        this.revealSelection();
        return;
      }
      case "zoom":
        if (this.selected) this.zoomPane(this.selected.pane, this.selected.box, true);
        return;
      case "escape":
        if (this.o.search !== "") {
          this.chrome.search.value = "";
          this.setSearch("", true);
          this.flushSearch();
        } else if (this.isZoomed()) this.resetZoom(true);
        else if (this.o.view !== "tree") this.setView("tree", true);
        else this.select(null, true);
        return;
      case "search":
        this.chrome.search.focus();
        this.chrome.search.select();
        return;
      case "copy":
        void this.copySelected();
        return;
      case "sandwich":
        this.openSandwich(this.selected ?? this.hovered, true);
        return;
      case "layout":
        this.setLayout(this.o.layout === "flame" ? "icicle" : "flame", true);
        return;
    }
  }

  /** Which way the pane of the selection (or the first pane) grows, for the arrow keys. */
  growOfSelection(): "up" | "down" {
    const s = this.selected ?? this.hovered;
    return (s ? this.pane(s) : this.scene.panes[0]!).grow;
  }

  /** The current layout, for the layout button. */
  get layout(): Options["layout"] {
    return this.o.layout;
  }

  /** Keeps the selected box in view (zooming to it when it is outside the range) and shows its tooltip. */
  private revealSelection(): void {
    const s = this.selected;
    if (!s) return;
    const pane = this.pane(s);
    const [d0, d1] = pane.domain;
    if (pane.boxes.x1[s.box]! <= d0 || pane.boxes.x0[s.box]! >= d1) this.zoomPane(s.pane, s.box, true);
    this.surface.revealRow(this.scene, s.pane, pane.boxes.depth[s.box]!);
    this.draw();
    const r = this.surface.boxRect(this.scene, s.pane, s.box);
    if (!r) return;
    this.hovered = null;
    this.showTip(s, Math.max(0, r.x) + 8, r.y + r.height);
  }

  // ---------------------------------------------------------------- chrome and tooltip

  /** Brings toolbar, legend, selection panel and notes in line with the state. */
  private syncChrome(): void {
    const c = this.chrome;
    const o = this.o;
    const tree = this.tree;
    const first = this.scene.panes[0]!;
    pressOne(c.views, o.view);
    c.views.chart.hidden = !tree.timeline;
    showLayout(c.layout, o.layout);
    c.layout.disabled = o.view === "sandwich";
    c.layout.title = o.view === "sandwich" ? "The sandwich always shows callers above and callees below" : "Flame (root at the bottom) or icicle (root at the top); key f";
    c.diffGroup.hidden = !tree.diff;
    pressOne(c.diffModes, o.diffMode);
    const zoomed = this.isZoomed();
    c.reset.disabled = !zoomed;
    const tl = tree.timeline;
    c.thread.hidden = !(tl && o.view === "chart");
    if (tl && c.thread.options.length !== tl.threads.length) {
      c.thread.replaceChildren(...tl.threads.map((t, k) => Object.assign(h(this.doc, "option", "", printable(t)), { value: String(k) })));
    }
    if (tl) c.thread.value = String(this.scene.chart?.thread ?? Math.max(0, o.thread));
    if (c.search.value !== o.search && this.doc.activeElement !== c.search) c.search.value = o.search;
    c.matched.textContent = matchedText(tree, this.nodeHit, first.kind === "tree" ? first.focus : 0);
    const crumbs =
      first.kind === "tree"
        ? treeCrumbs(tree, first.focus, (n) => this.zoomPane(0, n, true))
        : viewCrumbs(tree, this.scene.sandwich ? { sandwich: this.scene.sandwich } : { thread: this.scene.chart?.thread ?? 0, domain: first.domain }, zoomed, () => this.setView("tree", true), () => this.resetZoom(true));
    setCrumbs(c.crumbs, crumbs);
    setLegend(c.legend, legendEntries(tree, this.palette, this.byFrame, o.diffMode));
    const s = this.selected;
    c.selection.hidden = s === null;
    if (s) {
      const isRoot = this.pane(s).kind === "tree" && s.box === 0;
      const name = printable(this.nameOf(s));
      c.selName.textContent = isRoot ? "all" : name;
      c.selName.title = name;
      c.selSandwich.disabled = isRoot;
    }
    const notes = tree.notes.map(printable).filter((n) => n !== "");
    c.notes.hidden = notes.length === 0;
    c.notes.textContent = notes.length ? `notes: ${notes.join(" · ")}` : "";
    const what = o.view === "chart" ? "flame chart" : o.view === "sandwich" ? "sandwich" : "flame graph";
    this.surface.canvas.setAttribute("aria-label", `${what} of ${printable(tree.title)}`);
  }

  private tipFor(s: Spot): TipContent {
    const pane = this.pane(s);
    if (pane.kind === "tree") return treeTip(this.tree, s.box, pane.focus);
    if (pane.kind === "chart") return chartTip(this.tree, pane.boxes, s.box);
    return sandwichTip(this.tree, pane.kind, pane.callTree!, s.box, shortAndFull(this.tree, this.scene.sandwich!.name)[0]);
  }

  /** Shows the tooltip of a box near a point given relative to the canvas, inside the widget. */
  private showTip(s: Spot, x: number, y: number): void {
    renderTip(this.tip, this.tipFor(s));
    this.tip.hidden = false;
    const root = this.root.getBoundingClientRect();
    const canvas = this.surface.canvas.getBoundingClientRect();
    const px = canvas.left - root.left + x;
    const py = canvas.top - root.top + y;
    const [tw, th] = [this.tip.offsetWidth, this.tip.offsetHeight];
    let left = px + 14;
    if (left + tw > root.width - 4) left = Math.max(4, px - tw - 14);
    let top = py + 18;
    if (top + th > root.height - 4) top = Math.max(4, py - th - 10);
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${top}px`;
  }
}
