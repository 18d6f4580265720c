// Keyboard commands and moving the selection between boxes. Pure; no DOM.
import { firstFrom, type BoxSet, type RowIndex } from "./boxes.js";

/** A move of the selection: to the parent, the first child, or the previous/next sibling. */
export type Move = "parent" | "child" | "prev" | "next";

/** What a key press asks for. */
export type KeyCommand =
  | { readonly kind: "move"; readonly move: Move }
  | { readonly kind: "zoom" }
  | { readonly kind: "escape" }
  | { readonly kind: "search" }
  | { readonly kind: "copy" }
  | { readonly kind: "sandwich" }
  | { readonly kind: "layout" };

/** The keys, for the help line. */
export const KEY_HELP = "←→↑↓ move · Enter zoom · Esc reset · / search · s sandwich · c copy name · f flame/icicle";

/**
 * The command of a key (`KeyboardEvent.key`), or null. Arrow keys follow the drawing: in a
 * graph that grows upwards (flame) ↑ goes to the first child, in one that grows downwards
 * (icicle) to the parent. Keys with Ctrl/Meta/Alt are left to the host.
 *
 * @example
 * keyCommand({ key: "ArrowUp" }, "up");  // { kind: "move", move: "child" }
 * keyCommand({ key: "c", ctrlKey: true }, "up"); // null: that is the host's copy
 */
export function keyCommand(e: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean }, grow: "up" | "down"): KeyCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case "ArrowUp":
      return { kind: "move", move: grow === "up" ? "child" : "parent" };
    case "ArrowDown":
      return { kind: "move", move: grow === "up" ? "parent" : "child" };
    case "ArrowLeft":
      return { kind: "move", move: "prev" };
    case "ArrowRight":
      return { kind: "move", move: "next" };
    case "Enter":
      return { kind: "zoom" };
    case "Escape":
      return { kind: "escape" };
    case "/":
      return { kind: "search" };
    case "c":
      return { kind: "copy" };
    case "s":
      return { kind: "sandwich" };
    case "f":
      return { kind: "layout" };
    default:
      return null;
  }
}

const wide = (boxes: BoxSet, b: number) => boxes.x1[b]! > boxes.x0[b]!;

/** The position of box `b` in its row of `rows.order`. */
function rowPosition(boxes: BoxSet, rows: RowIndex, b: number): number {
  const d = boxes.depth[b]!;
  const end = rows.start[d + 1]!;
  for (let k = firstFrom(boxes, rows, d, boxes.x0[b]!); k < end; k++) if (rows.order[k] === b) return k;
  // Zero-width boxes sit at their left edge; search the whole row as a last resort.
  for (let k = rows.start[d]!; k < end; k++) if (rows.order[k] === b) return k;
  return -1;
}

/**
 * Where the selection goes from box `b`: its parent, its first (leftmost) child, or its previous /
 * next sibling, falling back to the nearest box of the same row when it has no sibling that way.
 * Zero-width boxes are skipped. Returns `b` when there is nowhere to go.
 *
 * @example
 * moveSelection(boxes, rows, 44, "parent"); // 43
 * moveSelection(boxes, rows, 43, "child");  // 44
 */
export function moveSelection(boxes: BoxSet, rows: RowIndex, b: number, move: Move): number {
  if (b < 0 || b >= boxes.count) return b;
  if (move === "parent") return boxes.parent[b]! >= 0 ? boxes.parent[b]! : b;
  const d = boxes.depth[b]!;
  if (move === "child") {
    if (d + 1 >= rows.start.length - 1) return b;
    const end = rows.start[d + 2]!;
    for (let k = firstFrom(boxes, rows, d + 1, boxes.x0[b]!); k < end; k++) {
      const c = rows.order[k]!;
      if (boxes.x0[c]! >= boxes.x1[b]!) break;
      if (boxes.parent[c] === b && wide(boxes, c)) return c;
    }
    return b;
  }
  const k = rowPosition(boxes, rows, b);
  if (k < 0) return b;
  const step = move === "next" ? 1 : -1;
  const lo = rows.start[d]!;
  const hi = rows.start[d + 1]!;
  // Siblings are next to each other in a row, so the first box that way is the sibling, or the
  // nearest box of a neighbouring parent when there is no sibling left.
  for (let j = k + step; j >= lo && j < hi; j += step) {
    const c = rows.order[j]!;
    if (wide(boxes, c)) return c;
  }
  return b;
}
