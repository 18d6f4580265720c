// Paints one pane of boxes on a canvas: only the rows and boxes in view, boxes narrower than a
// pixel merged per row into runs (skipped over by binary search, so a paint costs what is visible),
// labels cut to fit with shorter forms of the name first.
import { firstFrom, nextPast, rowRanks, type BoxSet, type RowIndex } from "./boxes.js";
import type { BoxColors, Palette } from "./palette.js";
import type { ThemeColors } from "./theme.js";

/** A pane as the painter sees it. */
export interface DrawPane {
  readonly boxes: BoxSet;
  readonly rows: RowIndex;
  /** Colour id per box (see palette.ts). */
  readonly color: BoxColors;
  /** Per box 1 when it matches the search, 0 when it is dimmed; null when nothing is searched. */
  readonly match: Uint8Array | null;
  /** The x range in view, in the boxes' units. */
  readonly domain: readonly [number, number];
  /** Canvas y (CSS px) of the top of row `depth`. */
  rowY(depth: number): number;
  /** Canvas y range the pane may paint in. */
  readonly clipTop: number;
  readonly clipBottom: number;
  /** Label forms of a box, longest first (see `labelForms`). */
  labelOf(box: number): readonly string[];
  readonly selected: number;
  readonly hovered: number;
}

/** How the painter draws. */
export interface DrawStyle {
  readonly palette: Palette;
  readonly theme: ThemeColors;
  /** Row pitch in CSS px; boxes are one pixel less, leaving a gap. */
  readonly rowHeight: number;
  readonly font: string;
  /** Advance of one character of the (monospace) font. */
  readonly charWidth: number;
}

/** What a paint did (exposed on the canvas as data attributes, for tests and benchmarks). */
export interface DrawStats {
  boxes: number;
  merged: number;
  labels: number;
}

/**
 * The canvas's pixels, for painting boxes directly (one `putImageData` per pane instead of
 * thousands of `fillRect`s: without a GPU, each of those costs more than the pixels it sets).
 */
export interface PixelBuffer {
  readonly image: ImageData;
  /** `image.data` as one 32-bit RGBA word per pixel (little-endian: 0xAABBGGRR). */
  readonly px: Uint32Array;
  /** Device pixels per CSS px. */
  readonly dpr: number;
}

/**
 * A pixel buffer over an ImageData, or null where 32-bit words are not RGBA in memory order
 * (big-endian machines), so the caller paints with `fillRect`.
 *
 * @example
 * const buf = pixelBuffer(ctx.createImageData(canvas.width, canvas.height), 2);
 */
export function pixelBuffer(image: ImageData, dpr: number): PixelBuffer | null {
  if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) return null;
  return { image, px: new Uint32Array(image.data.buffer, image.data.byteOffset, image.data.byteLength >> 2), dpr };
}

const words = new Map<string, number>();

/**
 * A CSS colour `#rgb` or `#rrggbb` as an opaque little-endian RGBA word (0xffBBGGRR); -1 for
 * anything else.
 *
 * @example
 * colorWord("#ff8000"); // 0xff0080ff
 */
export function colorWord(css: string): number {
  let w = words.get(css);
  if (w !== undefined) return w;
  let m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (!m) {
    const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(css);
    if (short) m = [css, short[1]! + short[1]!, short[2]! + short[2]!, short[3]! + short[3]!] as unknown as RegExpExecArray;
  }
  w = m ? (0xff000000 | (parseInt(m[3]!, 16) << 16) | (parseInt(m[2]!, 16) << 8) | parseInt(m[1]!, 16)) >>> 0 : -1;
  words.set(css, w);
  return w;
}

/** Boxes narrower than this (CSS px) are merged with their row neighbours. */
export const MERGE_BELOW = 1;
/** Labels need at least this much room (CSS px). */
const LABEL_MIN = 22;
const LABEL_PAD = 4;

/**
 * Paints a pane onto a canvas context whose transform maps CSS pixels (call after clearing).
 * O(boxes wider than a pixel in view + pixels per row): rows outside `clipTop…clipBottom` are
 * skipped, and runs of sub-pixel boxes are jumped over, not walked.
 *
 * @example
 * const stats = drawPane(ctx, 1200, pane, style);
 * stats.merged; // how many runs of sub-pixel frames were drawn as one
 */
export function drawPane(ctx: CanvasRenderingContext2D, width: number, pane: DrawPane, style: DrawStyle, pixels: PixelBuffer | null = null): DrawStats {
  const { boxes, rows, color, match, domain } = pane;
  const { palette, rowHeight } = style;
  const stats: DrawStats = { boxes: 0, merged: 0, labels: 0 };
  const [d0, d1] = domain;
  if (!(d1 > d0) || width <= 0) return stats;
  const scale = width / (d1 - d0);
  const h = rowHeight - 1;
  const labels: [number, number, number, number, boolean][] = []; // box, x, y, room, dim
  const ranks = match === null ? null : matchRanks(rows, match);
  // Rectangles are gathered row by row (x, width, fill key: colour id, + nFill when dimmed), then
  // drawn: into the pixel buffer (one line per row, copied down), else with fillRect.
  const nFill = palette.fill.length;
  const drawn: { y: number; rects: number[] }[] = [];
  let list: number[] = [];
  const add = (key: number, x: number, w: number) => {
    list.push(x, w, key);
  };
  for (let d = 0; d <= boxes.maxDepth; d++) {
    const y = pane.rowY(d);
    if (y + rowHeight < pane.clipTop || y > pane.clipBottom) continue;
    drawn.push({ y, rects: (list = []) });
    const end = rows.start[d + 1]!;
    let runStart = -1;
    let runEnd = -1;
    let runColor = 0;
    let runMatch = false;
    const flush = () => {
      if (runStart < 0) return;
      add(match !== null && !runMatch ? runColor + nFill : runColor, runStart, Math.max(1, runEnd - runStart));
      stats.merged++;
      runStart = -1;
    };
    for (let k = firstFrom(boxes, rows, d, d0); k < end; ) {
      const b = rows.order[k]!;
      const bx0 = boxes.x0[b]!;
      if (bx0 >= d1) break;
      const bx1 = boxes.x1[b]!;
      if (!(bx1 > bx0)) {
        k++;
        continue;
      }
      const px0 = Math.max(-1, (bx0 - d0) * scale);
      const px1 = Math.min(width + 1, (bx1 - d0) * scale);
      const w = px1 - px0;
      if (w < MERGE_BELOW) {
        // Every box of the row that ends within a pixel of this one's left edge is narrower than a
        // pixel too: jump past them all at once (binary search), so the cost follows the pixels
        // drawn, not the frames (a 100k-node tree has tens of thousands of them).
        const next = nextPast(boxes, rows, k + 1, end, d0 + (px0 + 1) / scale);
        const last = rows.order[next - 1]!;
        const lastPx = Math.min(width + 1, (boxes.x1[last]! - d0) * scale);
        const m = ranks !== null && ranks[next]! - ranks[k]! > 0;
        if (runStart >= 0 && px0 <= runEnd + 0.5) {
          runEnd = Math.max(runEnd, lastPx);
          runMatch ||= m;
        } else {
          flush();
          runStart = px0;
          runEnd = lastPx;
          runColor = color.of(b);
          runMatch = m;
        }
        k = next;
        continue;
      }
      k++;
      flush();
      const dim = match !== null && match[b] !== 1;
      add(dim ? color.of(b) + nFill : color.of(b), px0, w > 2 ? w - 1 : w);
      stats.boxes++;
      const left = Math.max(px0, 0);
      const room = Math.min(px1, width) - left - 2 * LABEL_PAD;
      if (room >= LABEL_MIN - 2 * LABEL_PAD) labels.push([b, left + LABEL_PAD, y, room, dim]);
    }
    flush();
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, pane.clipTop, width, pane.clipBottom - pane.clipTop);
  ctx.clip();
  let lastFill = "";
  const setFill = (f: string) => {
    if (f !== lastFill) {
      ctx.fillStyle = f;
      lastFill = f;
    }
  };
  const fillOf = (key: number) => (key >= nFill ? palette.dim[key - nFill]! : palette.fill[key]!);
  if (!(pixels && putPixels(ctx, pixels, pane, drawn, fillOf, h, style.theme.background))) {
    for (const { y, rects } of drawn) {
      for (let i = 0; i < rects.length; i += 3) {
        setFill(fillOf(rects[i + 2]!));
        ctx.fillRect(rects[i]!, y, rects[i + 1]!, h);
      }
    }
  }
  ctx.font = style.font;
  ctx.textBaseline = "middle";
  for (const [b, x, y, room, dim] of labels) {
    const text = fitLabel(ctx, pane.labelOf(b), room, style.charWidth);
    if (text === "") continue;
    setFill(dim ? style.theme.dimText : "#111111");
    ctx.fillText(text, x, y + h / 2 + 0.5);
    stats.labels++;
  }
  outline(ctx, pane, pane.hovered, style.theme.hover, 1, scale, h);
  outline(ctx, pane, pane.selected, style.theme.accent, 2, scale, h);
  ctx.restore();
  return stats;
}

/**
 * Sets the pane's rows in the pixel buffer (its background, then every rectangle, snapped to
 * device pixels) and puts them on the canvas; false (nothing drawn) when a colour is not `#rrggbb`.
 * Costs one `fill` per rectangle and one copy per line, whatever the boxes' heights.
 */
function putPixels(ctx: CanvasRenderingContext2D, buf: PixelBuffer, pane: DrawPane, drawn: readonly { y: number; rects: number[] }[], fillOf: (key: number) => string, h: number, background: string): boolean {
  const { px, dpr } = buf;
  const W = buf.image.width;
  const H = buf.image.height;
  const bg = colorWord(background);
  if (bg < 0) return false;
  const word = new Map<number, number>();
  for (const { rects } of drawn) {
    for (let i = 2; i < rects.length; i += 3) {
      const key = rects[i]!;
      if (word.has(key)) continue;
      const c = colorWord(fillOf(key));
      if (c < 0) return false;
      word.set(key, c);
    }
  }
  const top = Math.max(0, Math.floor(pane.clipTop * dpr));
  const bottom = Math.min(H, Math.ceil(pane.clipBottom * dpr));
  if (bottom <= top) return true;
  px.fill(bg, top * W, bottom * W);
  for (const { y, rects } of drawn) {
    // Every box of a row spans the same lines: set the first line in view, copy it to the others.
    const y0 = Math.max(top, Math.round(y * dpr));
    const y1 = Math.min(bottom, Math.round((y + h) * dpr));
    if (y1 <= y0) continue;
    const line = y0 * W;
    for (let i = 0; i < rects.length; i += 3) {
      const x = rects[i]! * dpr;
      const x0 = Math.max(0, Math.round(x));
      const x1 = Math.min(W, Math.max(Math.round(x) + 1, Math.round(x + rects[i + 1]! * dpr)));
      if (x1 > x0) px.fill(word.get(rects[i + 2]!)!, line + x0, line + x1);
    }
    for (let r = y0 + 1; r < y1; r++) px.copyWithin(r * W, line, line + W);
  }
  ctx.putImageData(buf.image, 0, 0, 0, top, W, bottom - top);
  return true;
}

const rankCache = new WeakMap<RowIndex, WeakMap<Uint8Array, Int32Array>>();

/** The row-order running counts of a pane's search matches (see `rowRanks`), made once per search and pane. */
function matchRanks(rows: RowIndex, match: Uint8Array): Int32Array {
  let byMatch = rankCache.get(rows);
  if (!byMatch) rankCache.set(rows, (byMatch = new WeakMap()));
  let ranks = byMatch.get(match);
  if (!ranks) byMatch.set(match, (ranks = rowRanks(rows, match)));
  return ranks;
}

/** Strokes the outline of one box, if it is in view. */
function outline(ctx: CanvasRenderingContext2D, pane: DrawPane, b: number, stroke: string, lineWidth: number, scale: number, h: number): void {
  if (b < 0 || b >= pane.boxes.count) return;
  const { boxes, domain } = pane;
  const x0 = (boxes.x0[b]! - domain[0]) * scale;
  const x1 = (boxes.x1[b]! - domain[0]) * scale;
  if (x1 < 0 || x0 > (domain[1] - domain[0]) * scale) return;
  const y = pane.rowY(boxes.depth[b]!);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = lineWidth;
  const inset = lineWidth / 2;
  ctx.strokeRect(Math.max(x0, -2) + inset, y + inset, Math.max(1, Math.min(x1, (domain[1] - domain[0]) * scale + 2) - Math.max(x0, -2) - 2 * inset - (lineWidth > 1 ? 0 : 1)), h - 2 * inset);
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * The longest label form that fits `room` CSS px, or the shortest one cut with "…", or "" when
 * not even three characters fit. Monospace ASCII is measured by character count; other text
 * with `measureText`.
 *
 * @example
 * fitLabel(ctx, ["alloc::vec::Vec<T>::push", "Vec<T>::push", "Vec::push"], 80, 7); // "Vec::push"
 */
export function fitLabel(ctx: Pick<CanvasRenderingContext2D, "measureText"> | null, forms: readonly string[], room: number, charWidth: number): string {
  const fits = Math.floor(room / charWidth);
  if (fits < 3) return "";
  for (const f of forms) {
    if (f.length <= fits && (ASCII.test(f) || !ctx || ctx.measureText(f).width <= room)) return f;
  }
  const last = forms[forms.length - 1] ?? "";
  const chars = Array.from(last).slice(0, fits - 1);
  // ASCII is as wide as its characters (monospace): only other text is measured, shortened until it fits.
  if (!ctx || ASCII.test(chars.join(""))) return chars.join("") + "…";
  while (chars.length > 1 && ctx.measureText(chars.join("") + "…").width > room) chars.pop();
  return chars.join("") + "…";
}
