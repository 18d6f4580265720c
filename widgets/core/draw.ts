// Paints one pane of boxes on a canvas: only the rows and boxes in view, boxes narrower than a
// pixel merged per row into runs, labels cut to fit with shorter forms of the name first.
import { firstFrom, type BoxSet, type RowIndex } from "./boxes.js";
import type { Palette } from "./palette.js";
import type { ThemeColors } from "./theme.js";

/** A pane as the painter sees it. */
export interface DrawPane {
  readonly boxes: BoxSet;
  readonly rows: RowIndex;
  /** Colour id per box (see palette.ts). */
  readonly color: Uint16Array;
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

/** Boxes narrower than this (CSS px) are merged with their row neighbours. */
export const MERGE_BELOW = 1;
/** Labels need at least this much room (CSS px). */
const LABEL_MIN = 22;
const LABEL_PAD = 4;

/**
 * Paints a pane onto a canvas context whose transform maps CSS pixels (call after clearing).
 * O(boxes in view); rows outside `clipTop…clipBottom` are skipped.
 *
 * @example
 * const stats = drawPane(ctx, 1200, pane, style);
 * stats.merged; // how many runs of sub-pixel frames were drawn as one
 */
export function drawPane(ctx: CanvasRenderingContext2D, width: number, pane: DrawPane, style: DrawStyle): DrawStats {
  const { boxes, rows, color, match, domain } = pane;
  const { palette, rowHeight } = style;
  const stats: DrawStats = { boxes: 0, merged: 0, labels: 0 };
  const [d0, d1] = domain;
  if (!(d1 > d0) || width <= 0) return stats;
  const scale = width / (d1 - d0);
  const h = rowHeight - 1;
  const labels: [number, number, number, number, boolean][] = []; // box, x, y, room, dim
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
  for (let d = 0; d <= boxes.maxDepth; d++) {
    const y = pane.rowY(d);
    if (y + rowHeight < pane.clipTop || y > pane.clipBottom) continue;
    const end = rows.start[d + 1]!;
    let runStart = -1;
    let runEnd = -1;
    let runColor = 0;
    let runMatch = false;
    const flush = () => {
      if (runStart < 0) return;
      const dim = match !== null && !runMatch;
      setFill((dim ? palette.dim : palette.fill)[runColor]!);
      ctx.fillRect(runStart, y, Math.max(1, runEnd - runStart), h);
      stats.merged++;
      runStart = -1;
    };
    for (let k = firstFrom(boxes, rows, d, d0); k < end; k++) {
      const b = rows.order[k]!;
      const bx0 = boxes.x0[b]!;
      if (bx0 >= d1) break;
      const bx1 = boxes.x1[b]!;
      if (!(bx1 > bx0)) continue;
      const px0 = Math.max(-1, (bx0 - d0) * scale);
      const px1 = Math.min(width + 1, (bx1 - d0) * scale);
      const w = px1 - px0;
      const m = match === null || match[b] === 1;
      if (w < MERGE_BELOW) {
        if (runStart >= 0 && px0 <= runEnd + 0.5) {
          runEnd = Math.max(runEnd, px1);
          runMatch ||= m && match !== null;
        } else {
          flush();
          runStart = px0;
          runEnd = px1;
          runColor = color[b]!;
          runMatch = m && match !== null;
        }
        continue;
      }
      flush();
      const dim = !m;
      setFill((dim ? palette.dim : palette.fill)[color[b]!]!);
      ctx.fillRect(px0, y, w > 2 ? w - 1 : w, h);
      stats.boxes++;
      const left = Math.max(px0, 0);
      const room = Math.min(px1, width) - left - 2 * LABEL_PAD;
      if (room >= LABEL_MIN - 2 * LABEL_PAD) labels.push([b, left + LABEL_PAD, y, room, dim]);
    }
    flush();
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
  let cut = Array.from(last).slice(0, fits - 1).join("") + "…";
  if (ctx && !ASCII.test(cut)) {
    let chars = Array.from(last).slice(0, fits - 1);
    while (chars.length > 1 && ctx.measureText(chars.join("") + "…").width > room) chars = chars.slice(0, -1);
    cut = chars.join("") + "…";
  }
  return cut;
}
