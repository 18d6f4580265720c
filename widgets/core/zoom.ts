// Animated zoom: moves a pane's x range to a new one in about 250 ms (d3-timer, d3-ease), with the
// width changing geometrically so deep zooms run at an even pace.
import { timer } from "d3-timer";
import { easeCubicOut } from "d3-ease";
import { interpolateNumber } from "d3-interpolate";

/** How long a zoom takes, in milliseconds. */
export const ZOOM_MS = 250;

/** An x range [left, right] in a pane's units. */
export type Domain = readonly [number, number];

/**
 * The range at progress `t` (0…1) of a zoom from `a` to `b`: both edges move together along one
 * line (so the point that stays put on screen stays put all the way), at a pace that makes the
 * width change geometrically.
 *
 * @example
 * zoomStep([0, 100], [40, 41], 1);   // [40, 41]
 * zoomStep([0, 100], [40, 41], 0.5); // width 10: [36.4, 46.4]
 */
export function zoomStep(a: Domain, b: Domain, t: number): Domain {
  const wa = a[1] - a[0];
  const wb = b[1] - b[0];
  let s = t;
  if (wa > 0 && wb > 0 && Math.abs(wa - wb) > 1e-12 * Math.max(wa, wb)) {
    const w = wa * Math.pow(wb / wa, t);
    s = (w - wa) / (wb - wa);
  }
  const left = interpolateNumber(a[0], b[0]);
  const right = interpolateNumber(a[1], b[1]);
  return [left(s), right(s)];
}

/**
 * Runs a zoom from `from` to `to`, calling `frame` with each intermediate range and `done` at the
 * end. It eases out: the first frame already moves a fifth of the way (the click shows at once),
 * then it slows into place; `ms` 0 jumps at once (synchronously). Returns a function that stops it where it is.
 *
 * @example
 * const stop = animateDomain(pane.domain, [x0, x1], (d) => { pane.domain = d; draw(); }, () => {});
 */
export function animateDomain(from: Domain, to: Domain, frame: (d: Domain) => void, done: () => void, ms = ZOOM_MS): () => void {
  if (ms <= 0) {
    frame(to);
    done();
    return () => {};
  }
  const t = timer((elapsed) => {
    const p = Math.min(1, elapsed / ms);
    frame(p >= 1 ? to : zoomStep(from, to, easeCubicOut(p)));
    if (p >= 1) {
      t.stop();
      done();
    }
  });
  return () => t.stop();
}

/**
 * A range moved or cut to lie within `full`.
 *
 * @example
 * clampDomain([-5, 5], [0, 100]); // [0, 10]
 */
export function clampDomain(d: Domain, full: Domain): Domain {
  const w = Math.min(d[1] - d[0], full[1] - full[0]);
  let a = Math.max(full[0], d[0]);
  if (a + w > full[1]) a = full[1] - w;
  return [a, a + w];
}

/**
 * The range after a wheel event at `at` (0…1 across a canvas `width` px wide): Ctrl/⌘ + wheel
 * zooms around the pointer, a sideways wheel pans a zoomed range; null when the event is the
 * page's (plain vertical scrolling).
 *
 * @example
 * wheelDomain([0, 100], [0, 100], 0.5, 1000, { deltaX: 0, deltaY: -100, ctrlKey: true }); // narrower, centred on 50
 */
export function wheelDomain(d: Domain, full: Domain, at: number, width: number, e: { deltaX: number; deltaY: number; ctrlKey?: boolean; metaKey?: boolean }): Domain | null {
  const w = d[1] - d[0];
  const fullW = full[1] - full[0];
  if (e.ctrlKey || e.metaKey) {
    const k = Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.01)) * 0.35);
    const nw = Math.min(fullW, Math.max(fullW * 1e-9, w * k));
    const x = d[0] + at * w;
    const left = x - at * nw;
    return clampDomain([left, left + nw], full);
  }
  if (Math.abs(e.deltaX) > Math.abs(e.deltaY) && w < fullW) {
    const shift = (e.deltaX / Math.max(1, width)) * w;
    return clampDomain([d[0] + shift, d[1] + shift], full);
  }
  return null;
}
