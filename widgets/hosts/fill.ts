// A flamegraph in a page of its own (`flamebook open`, `record`, `diff`, saved pages) takes the
// window's height: as many rows as fit, no blank space below, following the window as it resizes.
import type { FlamegraphHandle } from "../core/index.js";

/** The least height of the drawing area of a graph that fills the window (CSS px). */
export const FILL_MIN = 240;
/** Room kept below the graph (CSS px): the page's margin, and two pixels for the toolbar's fractions. */
const BOTTOM = 10;

/**
 * The drawing height that makes a graph mounted in `el` end at the window's bottom edge, given
 * how tall its toolbar and footer are (`chrome`, CSS px).
 *
 * @example
 * fillHeight(el, 90); // 592 in an 800 px window, with the graph starting 110 px down
 */
export function fillHeight(el: HTMLElement, chrome: number): number {
  const win = el.ownerDocument.defaultView;
  const top = el.getBoundingClientRect().top + (win?.scrollY ?? 0);
  return Math.max(FILL_MIN, Math.floor((win?.innerHeight ?? 800) - top - Math.ceil(chrome) - BOTTOM));
}

/**
 * Keeps the graph in `el` as tall as the window allows: measures what its toolbar and footer take
 * now (correcting the height it was created with when they grew as they filled in, which costs a
 * second paint only then) and again whenever the window is resized. Returns the function that
 * stops following.
 *
 * @example
 * const graph = createFlamegraph(el, tree, options, { fitHeight: (chrome) => fillHeight(el, chrome) });
 * const stop = fillWindow(el, graph);
 */
export function fillWindow(el: HTMLElement, graph: FlamegraphHandle): () => void {
  const win = el.ownerDocument.defaultView;
  let frame = 0;
  const fit = () => {
    frame = 0;
    const root = el.firstElementChild as HTMLElement | null;
    if (!root) return;
    const chrome = root.getBoundingClientRect().height - graph.options.height;
    const want = fillHeight(el, chrome);
    // (a pixel either way is rounding: the toolbar's height has fractions)
    if (Math.abs(want - graph.options.height) > 1) graph.update({ height: want });
  };
  fit();
  const onResize = () => {
    if (!frame && win) frame = win.requestAnimationFrame(fit);
  };
  win?.addEventListener("resize", onResize);
  return () => {
    win?.removeEventListener("resize", onResize);
    if (frame) win?.cancelAnimationFrame(frame);
  };
}
