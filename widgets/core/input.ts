// Pointer, wheel, scroll, keyboard and toolbar events, turned into calls on the widget.
import { keyCommand, type KeyCommand } from "./keyboard.js";
import type { Surface } from "./surface.js";
import type { Chrome } from "./toolbar.js";
import type { DiffMode, FlameLayout, FlameView } from "../../src/model/flame-tree.js";

/** What the events call (actions.ts implements it); every call is a user change. */
export interface InputTarget {
  readonly layout: FlameLayout;
  hover(x: number, y: number): boolean;
  clearHover(): void;
  /** The view scrolled: the frames move under the pointer. */
  scrolled(): void;
  click(x: number, y: number): void;
  /** Ctrl/⌘ + wheel zoom or sideways pan at canvas point (x, y); true when it was ours. */
  wheel(x: number, y: number, e: WheelEvent): boolean;
  command(cmd: KeyCommand): void;
  growOfSelection(): "up" | "down";
  setSearch(text: string): void;
  flushSearch(): void;
  resetZoom(): void;
  setView(view: FlameView): void;
  setThread(thread: number): void;
  setLayout(layout: FlameLayout): void;
  setDiffMode(mode: DiffMode): void;
  copySelected(): Promise<void>;
}

/**
 * Wires the widget's DOM events to `target`; returns the function that removes every listener.
 *
 * @example
 * const unbind = bindInput(root, surface, chrome, widget);
 */
export function bindInput(root: HTMLElement, surface: Surface, c: Chrome, target: InputTarget): () => void {
  const offs: (() => void)[] = [];
  const on = <K extends keyof HTMLElementEventMap>(el: HTMLElement, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
    el.addEventListener(type, fn as EventListener, opts);
    offs.push(() => el.removeEventListener(type, fn as EventListener, opts));
  };
  const canvas = surface.canvas;
  const point = (e: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  on(canvas, "mousemove", (e) => {
    canvas.style.cursor = target.hover(...point(e)) ? "pointer" : "default";
  });
  on(canvas, "mouseleave", () => target.clearHover());
  on(canvas, "mousedown", (e) => {
    e.preventDefault(); // no text selection; the keys go to the widget
    root.focus({ preventScroll: true });
  });
  on(canvas, "click", (e) => target.click(...point(e)));
  on(
    canvas,
    "wheel",
    (e) => {
      if (target.wheel(...point(e), e)) e.preventDefault();
    },
    { passive: false },
  );
  let lastScroll = NaN; // not read here: reading it now would lay the page out before the widget is built
  on(surface.viewport, "scroll", () => {
    if (surface.scrollTop === lastScroll) return;
    lastScroll = surface.scrollTop;
    target.scrolled();
  });
  on(root, "keydown", (e) => onKey(e, c, root, target));
  on(c.reset, "click", () => target.resetZoom());
  on(c.search, "input", () => target.setSearch(c.search.value));
  on(c.search, "change", () => target.flushSearch());
  on(c.views.tree, "click", () => target.setView("tree"));
  on(c.views.sandwich, "click", () => target.setView("sandwich"));
  on(c.views.chart, "click", () => target.setView("chart"));
  on(c.thread, "change", () => target.setThread(Number(c.thread.value)));
  on(c.layout, "click", () => target.setLayout(target.layout === "flame" ? "icicle" : "flame"));
  on(c.diffModes.proportional, "click", () => target.setDiffMode("proportional"));
  on(c.diffModes.absolute, "click", () => target.setDiffMode("absolute"));
  on(c.selZoom, "click", () => target.command({ kind: "zoom" }));
  on(c.selSandwich, "click", () => target.command({ kind: "sandwich" }));
  on(c.selCopy, "click", () => void target.copySelected());
  return () => offs.forEach((off) => off());
}

/** Keys: in the search box only Esc/Enter are ours; elsewhere see `keyCommand`. */
function onKey(e: KeyboardEvent, c: Chrome, root: HTMLElement, target: InputTarget): void {
  const el = e.target as HTMLElement | null;
  if (el === c.search) {
    e.stopPropagation(); // typing is not a host shortcut
    if (e.key === "Escape") {
      e.preventDefault();
      if (c.search.value !== "") {
        c.search.value = "";
        target.setSearch("");
        target.flushSearch();
      } else root.focus({ preventScroll: true });
    } else if (e.key === "Enter") target.flushSearch();
    return;
  }
  if (el instanceof HTMLSelectElement) return;
  if (el instanceof HTMLButtonElement && (e.key === "Enter" || e.key === " ")) return;
  const cmd = keyCommand(e, target.growOfSelection());
  if (!cmd) return;
  e.preventDefault();
  e.stopPropagation();
  target.command(cmd);
}
