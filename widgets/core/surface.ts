// The drawing surface: a scrolling viewport with a sticky HiDPI canvas (only the rows in view are
// painted) and a transparent canvas over it for the hover outline (moving the pointer repaints
// that one box's outline, not the frames), hit testing, and where a box is on screen.
import { boxAt, trunkTop } from "./boxes.js";
import { drawPane, pixelBuffer, type DrawStats, type PixelBuffer } from "./draw.js";
import type { Palette } from "./palette.js";
import { MONO } from "./styles.js";
import type { ThemeColors } from "./theme.js";
import { h } from "./toolbar.js";
import { BAND, ROW, rowAt, rowTop, type Pane, type Scene, type Spot } from "./views.js";

/** A rectangle in CSS pixels relative to the canvas. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Everything one paint needs besides the geometry. */
export interface PaintInput {
  readonly scene: Scene;
  readonly palette: Palette;
  readonly theme: ThemeColors;
  /** Per pane, the search matches of its boxes (null: no search). */
  readonly match: readonly (Uint8Array | null)[];
  readonly selected: Spot | null;
  readonly hovered: Spot | null;
  labelOf(pane: Pane, box: number): readonly string[];
  /** The sandwich band's bold title and muted details, when the scene is a sandwich. */
  readonly band: readonly [string, string] | null;
  /** A message drawn instead of frames (e.g. no samples), or null. */
  readonly empty: string | null;
}

/** The font of frame labels. */
export const FONT = `12px ${MONO}`;
const FALLBACK_WIDTH = 800;

/**
 * The viewport, its sticky canvas and the spacer that gives it the content's height.
 *
 * @example
 * const surface = new Surface(document);
 * root.append(surface.viewport);
 * surface.setContent(scene.contentHeight, 420);
 * surface.paint(input, surface.measuredWidth(el));
 */
export class Surface {
  readonly viewport: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  /** The hover outline's layer, over `canvas` (events pass through it). */
  readonly overlay: HTMLCanvasElement;
  private readonly stage: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  /** What the overlay shows: the scene, pane and box outlined (box -1: nothing). */
  private hoverDrawn: { scene: Scene | null; pane: number; box: number; scroll: number; width: number } = { scene: null, pane: -1, box: -1, scroll: 0, width: 0 };
  private hoverStroke = "#000000";
  /** The canvas's pixels for painting boxes (reused while the size stays), null before the first paint or where unavailable. */
  private pixels: PixelBuffer | null = null;
  /** Canvas size in CSS px as of the last paint. */
  width = 0;
  /** The viewport's scroll position at the last paint. */
  paintedScroll = NaN;
  height = 0;
  /** Advance of one label character. */
  charWidth = 7.2;

  constructor(private readonly doc: Document) {
    this.viewport = h(doc, "div", "fb-viewport");
    this.canvas = h(doc, "canvas", "fb-canvas");
    this.canvas.setAttribute("role", "img");
    this.overlay = h(doc, "canvas", "fb-overlay");
    this.overlay.setAttribute("aria-hidden", "true");
    this.stage = h(doc, "div", "fb-stage");
    this.stage.append(this.canvas, this.overlay);
    this.spacer = h(doc, "div", "fb-spacer");
    this.viewport.append(this.stage, this.spacer);
    const ctx = this.canvas.getContext("2d");
    if (ctx) {
      ctx.font = FONT;
      const w = ctx.measureText("abcdefghijklmnopqrstuvwxyz0123").width / 30;
      if (w > 0) this.charWidth = w;
    }
  }

  /** Sets the viewport height and how tall the content is (the spacer makes it scroll). */
  setContent(contentHeight: number, height: number): void {
    this.height = height;
    this.viewport.style.height = `${height}px`;
    // The canvas must have its height before anything scrolls (it is part of the scroll height).
    this.canvas.style.height = `${height}px`;
    this.overlay.style.height = `${height}px`;
    this.spacer.style.height = `${Math.max(0, contentHeight - height)}px`;
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(v: number) {
    this.viewport.scrollTop = v;
  }

  /** The viewport's current width in CSS px (a fallback before it is laid out). */
  measuredWidth(fallbackEl: HTMLElement): number {
    return this.viewport.clientWidth || fallbackEl.clientWidth || FALLBACK_WIDTH;
  }

  /** Paints the scene; returns what was drawn (also put on the canvas as data attributes). */
  paint(input: PaintInput, cssW: number): DrawStats {
    const dpr = this.doc.defaultView?.devicePixelRatio || 1;
    const cssH = this.height;
    this.width = cssW;
    const pw = Math.round(cssW * dpr);
    const ph = Math.round(cssH * dpr);
    if (this.canvas.width !== pw || this.canvas.height !== ph) {
      for (const c of [this.canvas, this.overlay]) {
        c.width = pw;
        c.height = ph;
        c.style.width = `${cssW}px`;
        c.style.height = `${cssH}px`;
      }
    }
    const stats: DrawStats = { boxes: 0, merged: 0, labels: 0 };
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return stats;
    const { theme, scene } = input;
    if (!this.pixels || this.pixels.image.width !== pw || this.pixels.image.height !== ph) {
      this.pixels = pw > 0 && ph > 0 && typeof ctx.createImageData === "function" ? pixelBuffer(ctx.createImageData(pw, ph), dpr) : null;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, cssW, cssH);
    const scroll = this.viewport.scrollTop;
    this.paintedScroll = scroll;
    const style = { palette: input.palette, theme, rowHeight: ROW, font: FONT, charWidth: this.charWidth };
    scene.panes.forEach((pane, p) => {
      const s = drawPane(
        ctx,
        cssW,
        {
          boxes: pane.boxes,
          rows: pane.rows,
          color: pane.color,
          match: input.match[p] ?? null,
          domain: pane.domain,
          rowY: (d) => rowTop(pane, d) - scroll,
          clipTop: pane.top - scroll,
          clipBottom: pane.top + pane.height - scroll,
          labelOf: (b) => input.labelOf(pane, b),
          selected: input.selected?.pane === p ? input.selected.box : -1,
          hovered: -1, // on the overlay
        },
        style,
        this.pixels?.dpr === dpr ? this.pixels : null,
      );
      stats.boxes += s.boxes;
      stats.merged += s.merged;
      stats.labels += s.labels;
    });
    if (input.band && scene.panes.length > 1) this.paintBand(ctx, input.band, scene.panes[0]!, theme, scroll);
    this.paintScrollHints(ctx, scene, theme, scroll);
    if (input.empty) {
      ctx.fillStyle = theme.muted;
      ctx.font = `13px ${MONO}`;
      ctx.textBaseline = "middle";
      ctx.fillText(input.empty, 12, cssH / 2);
    }
    this.hoverStroke = theme.hover;
    this.paintHover(scene, input.hovered, true);
    this.canvas.setAttribute("data-boxes", String(stats.boxes));
    this.canvas.setAttribute("data-merged", String(stats.merged));
    this.canvas.setAttribute("data-labels", String(stats.labels));
    return stats;
  }

  /**
   * Outlines the hovered box on the overlay (clearing the last outline); does nothing when that
   * box is outlined already, unless `force` (the frames were repainted: zoom, scroll, resize).
   */
  paintHover(scene: Scene, hovered: Spot | null, force = false): void {
    const pane = hovered?.pane ?? -1;
    const box = hovered?.box ?? -1;
    const scroll = this.viewport.scrollTop;
    const last = this.hoverDrawn;
    if (!force && last.scene === scene && last.pane === pane && last.box === box && last.scroll === scroll && last.width === this.width) return;
    if (box < 0 && last.box < 0) {
      this.hoverDrawn = { ...last, scene, scroll, width: this.width }; // nothing drawn, nothing to draw
      return;
    }
    const ctx = this.overlay.getContext("2d");
    if (!ctx) return;
    const dpr = this.doc.defaultView?.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.hoverDrawn = { scene, pane, box, scroll, width: this.width };
    if (box < 0 || pane < 0 || pane >= scene.panes.length) return;
    const r = this.boxRect(scene, pane, box);
    if (!r) return;
    const p = scene.panes[pane]!;
    // Within the pane's rows, as the frames are drawn.
    const top = Math.max(0, p.top - scroll);
    const bottom = Math.min(this.height, p.top + p.height - scroll);
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.beginPath();
    ctx.rect(0, top, this.width, bottom - top);
    ctx.clip();
    ctx.strokeStyle = this.hoverStroke;
    ctx.lineWidth = 1;
    // The frames' own outline geometry (draw.ts): a 1 px line inside the box.
    const x0 = Math.max(r.x, -2);
    const x1 = Math.min(r.x + r.width, this.width + 2);
    ctx.strokeRect(x0 + 0.5, r.y + 0.5, Math.max(1, x1 - x0 - 2), r.height - 1);
    ctx.restore();
  }

  /** Pills saying how many rows are scrolled out of view above and below. */
  private paintScrollHints(ctx: CanvasRenderingContext2D, scene: Scene, theme: ThemeColors, scroll: number): void {
    let above = 0;
    let below = 0;
    for (const pane of scene.panes) {
      for (let d = 0; d <= pane.boxes.maxDepth; d++) {
        const y = rowTop(pane, d) - scroll;
        if (y < 0) above++;
        else if (y + ROW - 1 > this.height) below++;
      }
    }
    const pill = (text: string, y: number) => {
      ctx.font = `11px ${MONO}`;
      const w = ctx.measureText(text).width + 12;
      ctx.globalAlpha = 0.88;
      ctx.fillStyle = theme.panel;
      ctx.fillRect(this.width - w - 6, y, w, 16);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = theme.border;
      ctx.lineWidth = 1;
      ctx.strokeRect(this.width - w - 5.5, y + 0.5, w - 1, 15);
      ctx.fillStyle = theme.muted;
      ctx.textBaseline = "middle";
      ctx.fillText(text, this.width - w, y + 8.5);
    };
    if (above > 0) pill(`▲ ${above} more row${above === 1 ? "" : "s"} (scroll)`, 4);
    if (below > 0) pill(`▼ ${below} more row${below === 1 ? "" : "s"} (scroll)`, this.height - 20);
  }

  /** The titles in the band between the sandwich's halves. */
  private paintBand(ctx: CanvasRenderingContext2D, [title, info]: readonly [string, string], up: Pane, theme: ThemeColors, scroll: number): void {
    const y = up.top + up.height - scroll + BAND / 2;
    if (y < -BAND || y > this.height + BAND) return;
    ctx.font = `600 ${FONT}`;
    ctx.textBaseline = "middle";
    ctx.fillStyle = theme.text;
    ctx.fillText(title, 8, y);
    const x = 8 + ctx.measureText(title).width;
    ctx.font = FONT;
    ctx.fillStyle = theme.muted;
    const fits = Math.floor(Math.max(0, this.width - x - 8) / this.charWidth);
    ctx.fillText(info.length > fits ? info.slice(0, Math.max(0, fits - 1)) + "…" : info, x, y);
  }

  /** A box's rectangle on the canvas now, or null when it is out of view or has no width. */
  boxRect(scene: Scene, p: number, b: number): Rect | null {
    const pane = scene.panes[p]!;
    const { boxes, domain } = pane;
    if (!(boxes.x1[b]! > boxes.x0[b]!)) return null;
    const scale = this.width / (domain[1] - domain[0]);
    const x = (boxes.x0[b]! - domain[0]) * scale;
    const width = (boxes.x1[b]! - boxes.x0[b]!) * scale;
    const y = rowTop(pane, boxes.depth[b]!) - this.viewport.scrollTop;
    const height = ROW - 1;
    if (x + width <= 0 || x >= this.width || y + height <= 0 || y >= this.height) return null;
    return { x, y, width, height };
  }

  /** The box under canvas point (x, y), or null; frames narrower than a pixel are hit within a pixel. */
  hit(scene: Scene, x: number, y: number): Spot | null {
    const p = this.paneAt(scene, y);
    if (p < 0) return null;
    const pane = scene.panes[p]!;
    const row = rowAt(pane, y + this.viewport.scrollTop);
    if (row < 0 || row > pane.boxes.maxDepth) return null;
    const [d0, d1] = pane.domain;
    const per = (d1 - d0) / Math.max(1, this.width);
    const b = boxAt(pane.boxes, pane.rows, row, d0 + x * per, per);
    return b >= 0 ? { pane: p, box: b } : null;
  }

  /** The pane at canvas y, or -1. */
  paneAt(scene: Scene, y: number): number {
    const cy = y + this.viewport.scrollTop;
    return scene.panes.findIndex((p) => cy >= p.top && cy < p.top + p.height);
  }

  /** Scrolls so that row `depth` of a pane is in view, with two rows of context toward its base. */
  revealRow(scene: Scene, p: number, depth: number): void {
    const pane = scene.panes[p]!;
    const H = this.height;
    const top = rowTop(pane, depth);
    const s = this.viewport.scrollTop;
    if (top >= s + 2 && top + ROW <= s + H - 2) return;
    const want = pane.grow === "up" ? top + 3 * ROW - H : top - 2 * ROW;
    this.viewport.scrollTop = Math.max(0, Math.min(scene.contentHeight - H, want));
  }

  /** The scroll position a freshly shown scene starts at: the base rows in view. */
  resetScroll(scene: Scene): void {
    const H = this.height;
    const max = Math.max(0, scene.contentHeight - H);
    const first = scene.panes[0]!;
    if (scene.sandwich) this.viewport.scrollTop = Math.max(0, Math.min(max, first.height - H / 2 + BAND / 2));
    else this.viewport.scrollTop = first.grow === "up" ? max : 0;
    if (first.kind !== "tree") return;
    if (first.focus > 0) return this.revealRow(scene, 0, first.boxes.depth[first.focus]!);
    // Too deep to show whole: start where the program branches, three rows of trunk below it.
    const top = rowTop(first, first.boxes.depth[trunkTop(first.boxes)]!);
    const want = first.grow === "up" ? top + 4 * ROW - H : top - 3 * ROW;
    this.viewport.scrollTop = Math.max(0, Math.min(max, want));
  }
}
