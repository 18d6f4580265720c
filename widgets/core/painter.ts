// When the widget paints: now, on the next animation frame (at most one pending), or every frame
// of a zoom animation; and stopping all of it when the widget goes away.
import type { Pane } from "./views.js";
import { animateDomain, type Domain } from "./zoom.js";

/**
 * Paint scheduling and zoom animations of one widget.
 *
 * @example
 * const painter = new Painter(window, () => surface.paint(input(), width));
 * painter.request();                       // paints once on the next frame
 * painter.animate(0, pane, [x0, x1]);      // zooms pane 0, painting each step
 */
export class Painter {
  private frame = 0;
  private readonly zooms = new Map<number, () => void>();
  private stopped = false;

  constructor(
    private readonly win: Window | null,
    private readonly paint: () => void,
  ) {}

  /**
   * Paints now; while a zoom animates, its next frame paints instead (a paint here would only
   * delay that frame: the first frame after a click would carry two paints).
   */
  draw(): void {
    if (!this.stopped && this.zooms.size === 0) this.paint();
  }

  /** Paints on the next animation frame (now when there is no window); a zoom's frames paint anyway. */
  request(): void {
    if (this.frame || this.stopped || this.zooms.size > 0) return;
    if (!this.win) return this.draw();
    this.frame = this.win.requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Animates pane number `p` to `target` (at once when the user prefers reduced motion). */
  animate(p: number, pane: Pane, target: Domain): void {
    this.stop(p);
    if (this.stopped || (pane.domain[0] === target[0] && pane.domain[1] === target[1])) return;
    const reduce = this.win?.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
    const step = (d: Domain) => {
      pane.domain = d;
      if (!this.stopped) this.paint();
    };
    let finished = false; // a zoom without motion ends before animateDomain returns
    const stop = animateDomain(pane.domain, target, step, () => {
      finished = true;
      this.zooms.delete(p);
    }, reduce ? 0 : undefined);
    if (!finished) this.zooms.set(p, stop);
  }

  /** Stops the animation of pane `p` where it is. */
  stop(p: number): void {
    this.zooms.get(p)?.();
    this.zooms.delete(p);
  }

  /** Stops every animation (the panes are about to be replaced). */
  stopAll(): void {
    for (const stop of this.zooms.values()) stop();
    this.zooms.clear();
  }

  /** Stops everything for good. */
  destroy(): void {
    this.stopAll();
    this.stopped = true;
    if (this.frame) this.win?.cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
