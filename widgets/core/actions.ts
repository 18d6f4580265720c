// What the user's gestures do (input.ts calls these): each becomes one `setState(patch, "user")`,
// plus the zoom ranges and the tooltip, which belong to the view and not to the state.
import type { DiffMode, FlameLayout, FlameView } from "../../src/model/flame-tree.js";
import { copyText } from "./clipboard.js";
import type { InputTarget } from "./input.js";
import { moveSelection, type KeyCommand } from "./keyboard.js";
import type { Painter } from "./painter.js";
import { isZoomed, type TreePanes } from "./panes.js";
import type { Plan, Source, State } from "./state.js";
import type { Surface } from "./surface.js";
import type { Chrome } from "./toolbar.js";
import type { Scene, Spot } from "./views.js";
import { wheelDomain } from "./zoom.js";

/** What the actions need of the widget. */
export interface ActionContext {
  readonly state: State;
  readonly scene: Scene;
  readonly panes: TreePanes;
  readonly surface: Surface;
  readonly chrome: Chrome;
  readonly painter: Painter;
  setState(patch: Partial<State>, source: Source): Plan;
  /** The zoom ranges changed (not the state): sync the chrome and paint ("none": an animation paints). */
  refresh(draw: "frame" | "none"): void;
  showTip(s: Spot, x: number, y: number): void;
  hideTip(): void;
  /** Reports a search that is still settling now. */
  flushSearch(): void;
}

/**
 * The user's actions on a widget.
 *
 * @example
 * const actions = new Actions(context);
 * bindInput(root, surface, chrome, actions);
 * actions.command({ kind: "layout" }); // flame ⇄ icicle, reported through onChange
 */
export class Actions implements InputTarget {
  private msgTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly w: ActionContext) {}

  /** The current layout, for the layout button. */
  get layout(): FlameLayout {
    return this.w.state.layout;
  }

  /** Zooms a pane to a box (animated); for the call tree this sets `focus`. `select` selects the box too. */
  zoomPane(p: number, b: number, select = false): void {
    const { scene, surface, painter } = this.w;
    const pane = scene.panes[p];
    if (!pane || b < 0 || b >= pane.boxes.count) return;
    const { x0, x1 } = pane.boxes;
    const wide = x1[b]! > x0[b]!;
    if (pane.kind !== "chart" && !wide) return;
    const whole = (pane.kind !== "chart" && b === 0) || !wide;
    pane.focus = whole ? (pane.kind === "tree" ? 0 : -1) : b;
    painter.animate(p, pane, whole ? pane.full : [x0[b]!, x1[b]!]);
    if (pane.kind === "tree") surface.revealRow(scene, p, pane.boxes.depth[b]!);
    const patch: Partial<State> = { ...(pane.kind === "tree" ? { focus: pane.focus } : {}), ...(select ? { selected: { pane: p, box: b } } : {}) };
    if (!this.w.setState(patch, "user").chrome) this.w.refresh("none");
  }

  /** Zooms every pane out. */
  resetZoom(): void {
    const { scene, painter } = this.w;
    scene.panes.forEach((pane, p) => {
      pane.focus = pane.kind === "tree" ? 0 : -1;
      painter.animate(p, pane, pane.full);
    });
    if (!this.w.setState(scene.panes[0]!.kind === "tree" ? { focus: 0 } : {}, "user").chrome) this.w.refresh("none");
  }

  /** Ctrl/⌘ + wheel zooms around the pointer, a sideways wheel pans; true when the event was ours. */
  wheel(x: number, y: number, e: WheelEvent): boolean {
    const { scene, surface, painter } = this.w;
    const p = surface.paneAt(scene, y);
    const pane = scene.panes[p];
    if (!pane) return false;
    const next = wheelDomain(pane.domain, pane.full, x / Math.max(1, surface.width), surface.width, e);
    if (!next) return false;
    painter.stop(p);
    pane.domain = next;
    this.clearHover();
    this.w.refresh("frame");
    return true;
  }

  /** The search box changed. */
  setSearch(text: string): void {
    this.w.setState({ search: text }, "user");
  }

  /** Reports a pending search change now (Enter, blur, Esc). */
  flushSearch(): void {
    this.w.flushSearch();
  }

  /** Switches view; `sandwich` names the sandwich's function (string index; else the selection's, else the last one). */
  setView(view: FlameView, sandwich?: number): void {
    const { state, scene, panes } = this.w;
    if (view === "chart" && !state.tree.timeline) return;
    if (view === "sandwich" && sandwich === undefined && state.sandwich < 0 && state.selected) sandwich = panes.nameIndexOf(scene, state.selected);
    this.w.setState(sandwich === undefined ? { view } : { view, sandwich }, "user");
  }

  /** Flame or icicle; zoom ranges are kept. */
  setLayout(layout: FlameLayout): void {
    this.w.setState({ layout }, "user");
  }

  /** The flame chart's thread. */
  setThread(thread: number): void {
    this.w.setState({ thread }, "user");
  }

  /** Diff colours (and widths) by weight or by share. */
  setDiffMode(diffMode: DiffMode): void {
    this.w.setState({ diffMode }, "user");
  }

  /** Selects a box (or clears the selection). */
  select(s: Spot | null): void {
    this.w.setState({ selected: s }, "user");
  }

  /** The sandwich of a box's function. */
  openSandwich(s: Spot | null): void {
    const { scene, panes } = this.w;
    if (!s || (scene.panes[s.pane]!.kind === "tree" && s.box === 0)) return;
    this.setView("sandwich", panes.nameIndexOf(scene, s));
  }

  /** Copies the selected (else hovered) frame's full name. */
  async copySelected(): Promise<void> {
    const { state, scene, panes, chrome } = this.w;
    const s = state.selected ?? state.hovered;
    if (!s) return;
    const ok = await copyText(panes.nameOf(scene, s), chrome.bar.ownerDocument);
    chrome.selMsg.textContent = ok ? "copied" : "copy failed: select the name and copy it";
    clearTimeout(this.msgTimer);
    this.msgTimer = setTimeout(() => (chrome.selMsg.textContent = ""), 1800);
  }

  /** The pointer moved over the canvas; true when it is over a box. */
  hover(x: number, y: number): boolean {
    const s = this.w.surface.hit(this.w.scene, x, y);
    this.w.setState({ hovered: s }, "user");
    if (s) this.w.showTip(s, x, y);
    else this.w.hideTip();
    return s !== null;
  }

  /** The pointer left, or the view scrolled away from it. */
  clearHover(): void {
    this.w.hideTip();
    this.w.setState({ hovered: null }, "user");
  }

  /** The view scrolled: the hover goes, and the sticky canvas shows the rows now in view. */
  scrolled(): void {
    this.clearHover();
    // (a scroll the widget made itself before painting is in the picture already)
    if (this.w.surface.scrollTop !== this.w.surface.paintedScroll) this.w.painter.request();
  }

  /** A click on the canvas: select and zoom. */
  click(x: number, y: number): void {
    const s = this.w.surface.hit(this.w.scene, x, y);
    if (s) this.zoomPane(s.pane, s.box, true);
  }

  /** Runs a keyboard command (see keyboard.ts). */
  command(cmd: KeyCommand): void {
    const { state, scene, chrome } = this.w;
    switch (cmd.kind) {
      case "move": {
        const from = state.selected ?? state.hovered;
        const first = scene.panes[0]!;
        if (!from && first.boxes.count === 0) return;
        const pane = from && scene.panes[from.pane]!;
        const to = from && pane ? { pane: from.pane, box: moveSelection(pane.boxes, pane.rows, from.box, cmd.move) } : { pane: 0, box: first.kind === "tree" ? first.focus : 0 };
        this.select(to);
        this.revealSelection();
        return;
      }
      case "zoom":
        if (state.selected) this.zoomPane(state.selected.pane, state.selected.box);
        return;
      case "escape":
        if (state.search !== "") {
          chrome.search.value = "";
          this.setSearch("");
          this.flushSearch();
        } else if (isZoomed(scene)) this.resetZoom();
        else if (state.view !== "tree") this.setView("tree");
        else this.select(null);
        return;
      case "search":
        chrome.search.focus();
        chrome.search.select();
        return;
      case "copy":
        void this.copySelected();
        return;
      case "sandwich":
        this.openSandwich(state.selected ?? state.hovered);
        return;
      case "layout":
        this.setLayout(state.layout === "flame" ? "icicle" : "flame");
        return;
    }
  }

  /** Which way the pane of the selection (or the first pane) grows, for the arrow keys. */
  growOfSelection(): "up" | "down" {
    const { state, scene } = this.w;
    const s = state.selected ?? state.hovered;
    return (s ? scene.panes[s.pane]! : scene.panes[0]!).grow;
  }

  /** Clears the copy message's timer. */
  destroy(): void {
    clearTimeout(this.msgTimer);
  }

  /** Keeps the selected box in view (zooming to it when it is outside the range) and shows its tooltip. */
  private revealSelection(): void {
    const s = this.w.state.selected;
    if (!s) return;
    const { scene, surface, painter } = this.w;
    const pane = scene.panes[s.pane]!;
    const [d0, d1] = pane.domain;
    if (pane.boxes.x1[s.box]! <= d0 || pane.boxes.x0[s.box]! >= d1) this.zoomPane(s.pane, s.box);
    surface.revealRow(scene, s.pane, pane.boxes.depth[s.box]!);
    painter.draw();
    const r = surface.boxRect(scene, s.pane, s.box);
    if (!r) return;
    this.w.setState({ hovered: null }, "user");
    this.w.showTip(s, Math.max(0, r.x) + 8, r.y + r.height);
  }
}
