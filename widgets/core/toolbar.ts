// The DOM around the canvas: toolbar (breadcrumbs, search, view and layout switches), footer
// (legend, selection panel, notes). Text is only ever set with textContent or attributes.
import type { DiffMode, FlameLayout, FlameView } from "../../src/model/flame-tree.js";
import { SEARCH_PLACEHOLDER } from "./search.js";
import { KEY_HELP } from "./keyboard.js";

/**
 * Creates an element with a class and optional text.
 *
 * @example
 * h(document, "span", "fb-muted", "hello").outerHTML; // '<span class="fb-muted">hello</span>'
 */
export function h<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A button with text, a tooltip and an optional extra class. */
function button(doc: Document, text: string, title: string, cls = ""): HTMLButtonElement {
  const b = h(doc, "button", `fb-btn${cls ? ` ${cls}` : ""}`, text);
  b.type = "button";
  b.title = title;
  return b;
}

/** The toolbar and footer elements the widget updates. */
export interface Chrome {
  readonly bar: HTMLElement;
  readonly crumbs: HTMLElement;
  readonly reset: HTMLButtonElement;
  readonly search: HTMLInputElement;
  readonly matched: HTMLElement;
  readonly viewGroup: HTMLElement;
  readonly views: Readonly<Record<FlameView, HTMLButtonElement>>;
  readonly thread: HTMLSelectElement;
  readonly layout: HTMLButtonElement;
  readonly diffGroup: HTMLElement;
  readonly diffModes: Readonly<Record<DiffMode, HTMLButtonElement>>;
  readonly foot: HTMLElement;
  readonly legend: HTMLElement;
  readonly selection: HTMLElement;
  readonly selName: HTMLElement;
  readonly selMsg: HTMLElement;
  readonly selZoom: HTMLButtonElement;
  readonly selSandwich: HTMLButtonElement;
  readonly selCopy: HTMLButtonElement;
  readonly notes: HTMLElement;
}

/**
 * Builds the toolbar and the footer (not yet attached).
 *
 * @example
 * const chrome = buildChrome(document);
 * root.append(chrome.bar, viewport, chrome.foot, chrome.notes);
 */
export function buildChrome(doc: Document): Chrome {
  const bar = h(doc, "div", "fb-bar");
  const crumbs = h(doc, "nav", "fb-crumbs");
  crumbs.setAttribute("aria-label", "zoom path");
  const reset = button(doc, "reset", "Reset zoom (Esc)", "fb-solo fb-reset");

  const searchBox = h(doc, "span", "fb-search");
  const search = h(doc, "input", "fb-input");
  search.type = "search";
  search.placeholder = SEARCH_PLACEHOLDER;
  search.title = "Search frames (/): a substring; /re/ is a regular expression, and text with regex characters also matches as one. Without capitals the case is ignored. Esc clears.";
  search.spellcheck = false;
  search.autocomplete = "off";
  search.setAttribute("aria-label", "search frames");
  const matched = h(doc, "span", "fb-matched");
  matched.setAttribute("aria-live", "polite");
  searchBox.append(search, matched);

  const viewGroup = h(doc, "span", "fb-group fb-views");
  viewGroup.setAttribute("role", "group");
  viewGroup.setAttribute("aria-label", "view");
  const views = {
    tree: button(doc, "flame graph", "The merged call tree"),
    sandwich: button(doc, "sandwich", "Callers and callees of one function (s on a selected frame)"),
    chart: button(doc, "flame chart", "Stacks over time, per thread (like the Firefox Profiler's stack chart)"),
  };
  viewGroup.append(views.tree, views.sandwich, views.chart);

  const thread = h(doc, "select", "fb-select fb-thread");
  thread.title = "Thread shown in the flame chart";
  thread.setAttribute("aria-label", "thread");

  const layout = button(doc, "flame", "Flame (root at the bottom) or icicle (root at the top); key f", "fb-solo fb-layout");

  const diffGroup = h(doc, "span", "fb-group fb-diffmode");
  diffGroup.setAttribute("role", "group");
  diffGroup.setAttribute("aria-label", "diff colours");
  const diffModes = {
    proportional: button(doc, "proportional", "Colour by the change in share of each side's total"),
    absolute: button(doc, "absolute", "Colour by the change in weight"),
  };
  diffGroup.append(diffModes.proportional, diffModes.absolute);

  const controls = h(doc, "div", "fb-row");
  const spacer = h(doc, "span", "fb-fill");
  controls.append(viewGroup, layout, diffGroup, thread, spacer, searchBox);
  const path = h(doc, "div", "fb-row fb-path");
  path.append(crumbs, reset);
  bar.append(controls, path);

  const foot = h(doc, "div", "fb-foot");
  const legend = h(doc, "div", "fb-legend");
  const selection = h(doc, "div", "fb-sel");
  selection.hidden = true;
  const selName = h(doc, "span", "fb-sel-name");
  const selMsg = h(doc, "span", "fb-sel-msg");
  const selZoom = button(doc, "zoom", "Zoom to the selected frame (Enter)", "fb-solo");
  const selSandwich = button(doc, "sandwich", "Callers and callees of the selected function (s)", "fb-solo");
  const selCopy = button(doc, "copy name", "Copy the full name (c)", "fb-solo");
  selection.append(h(doc, "span", "fb-legend-text", "selected:"), selName, selMsg, selZoom, selSandwich, selCopy);
  const help = h(doc, "span", "fb-help", KEY_HELP);
  foot.append(legend, selection, help);
  const notes = h(doc, "div", "fb-notes");
  notes.hidden = true;
  return { bar, crumbs, reset, search, matched, viewGroup, views, thread, layout, diffGroup, diffModes, foot, legend, selection, selName, selMsg, selZoom, selSandwich, selCopy, notes };
}

/** One breadcrumb: its text, a longer tooltip, and what clicking it does (none for the current one). */
export interface Crumb {
  readonly label: string;
  readonly title?: string;
  readonly onClick?: () => void;
}

/**
 * Shows breadcrumbs; the last is the current one. More than `max` are shown as the first, "…",
 * and the last `max - 1`.
 *
 * @example
 * setCrumbs(chrome.crumbs, [{ label: "all", onClick: reset }, { label: "main" }]);
 */
export function setCrumbs(el: HTMLElement, crumbs: readonly Crumb[], max = 5): void {
  const doc = el.ownerDocument;
  const shown: (Crumb | null)[] = crumbs.length > max ? [crumbs[0]!, null, ...crumbs.slice(crumbs.length - (max - 1))] : [...crumbs];
  const parts: HTMLElement[] = [];
  shown.forEach((c, k) => {
    if (k > 0) parts.push(h(doc, "span", "fb-crumb-sep", "›"));
    if (c === null) {
      const gap = h(doc, "span", "fb-crumb-gap", "…");
      gap.title = crumbs
        .slice(1, crumbs.length - (max - 1))
        .map((x) => x.label)
        .join(" › ");
      parts.push(gap);
      return;
    }
    const b = h(doc, "button", "fb-crumb", c.label);
    b.type = "button";
    b.title = c.title ?? c.label;
    if (k === shown.length - 1) b.setAttribute("aria-current", "location");
    if (c.onClick) b.addEventListener("click", c.onClick);
    else b.tabIndex = -1;
    parts.push(b);
  });
  el.replaceChildren(...parts);
}

/** A legend entry: a swatch colour (or none) and its text. */
export interface LegendEntry {
  readonly color: string | null;
  readonly label: string;
}

/**
 * Shows the legend.
 *
 * @example
 * setLegend(chrome.legend, [{ color: "#e35a4f", label: "your crates" }]);
 */
export function setLegend(el: HTMLElement, entries: readonly LegendEntry[]): void {
  const doc = el.ownerDocument;
  el.replaceChildren(
    ...entries.map((e) => {
      const k = h(doc, "span", e.color ? "fb-key" : "fb-key fb-legend-text");
      if (e.color) {
        const s = h(doc, "span", "fb-swatch");
        s.style.background = e.color;
        k.append(s);
      }
      k.append(doc.createTextNode(e.label));
      return k;
    }),
  );
}

/**
 * Marks which button of a group is pressed.
 *
 * @example
 * pressOne(chrome.views, "tree");
 */
export function pressOne<K extends string>(buttons: Readonly<Record<K, HTMLButtonElement>>, current: K): void {
  for (const k of Object.keys(buttons) as K[]) buttons[k].setAttribute("aria-pressed", String(k === current));
}

/**
 * The layout button's text and state.
 *
 * @example
 * showLayout(chrome.layout, "icicle"); // "▼ icicle"
 */
export function showLayout(b: HTMLButtonElement, layout: FlameLayout): void {
  b.textContent = layout === "flame" ? "▲ flame" : "▼ icicle";
  b.setAttribute("data-layout", layout);
}
