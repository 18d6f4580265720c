// A small palette of fills, and a colour id per box into it: canvas fill styles are strings, so
// a few dozen distinct ones are reused instead of one per frame. Pure; no DOM.
import type { DiffMode, FlameTree } from "../../src/model/flame-tree.js";
import type { BoxSet } from "./boxes.js";
import { CATEGORIES, DIFF_STEPS, JITTER_STEPS, KINDS, ROOT_FILL, categoryShade, diffStep, diffStepFill, frameCategory, mix, nameHash, type FrameCategory } from "./colors.js";

/** Fills by colour id, and the same mixed toward the background for frames a search dims. */
export interface Palette {
  readonly fill: readonly string[];
  readonly dim: readonly string[];
}

/** How far dimmed frames are mixed toward the background. */
const DIM = 0.72;

const CATEGORY_IDS = new Map<FrameCategory, number>(CATEGORIES.map(([c], k) => [c, k]));
/** The colour id of the root frame in both palettes. */
export const ROOT_COLOR = CATEGORIES.length * JITTER_STEPS;
/** Colour ids of diff fills: `DIFF_BASE + step`, step from -DIFF_STEPS to DIFF_STEPS. */
const DIFF_BASE = ROOT_COLOR + 1 + DIFF_STEPS;

/**
 * The palette of a theme: every category shade, the root's grey and every diff step.
 *
 * @example
 * const p = buildPalette("light", "#ffffff");
 * p.fill[ROOT_COLOR]; // "#b9bcc2"
 */
export function buildPalette(theme: "light" | "dark", background: string): Palette {
  const fill: string[] = [];
  for (const [c] of CATEGORIES) for (let j = 0; j < JITTER_STEPS; j++) fill.push(categoryShade(c, j / (JITTER_STEPS - 1)));
  fill.push(ROOT_FILL);
  for (let s = -DIFF_STEPS; s <= DIFF_STEPS; s++) fill.push(diffStepFill(s, theme));
  return { fill, dim: fill.map((f) => mix(f, background, DIM)) };
}

/** A colour id not worked out yet. */
const UNSET = 0xffff;

/**
 * The category colour ids of a tree's frames (by name, kind and module, see `frameCategory`),
 * each worked out the first time it is asked for: a first paint colours the few thousand frames
 * it draws, not every frame of a 100k-node tree.
 *
 * @example
 * const ids = new FrameColorIds(tree);
 * ids.of(tree.nodes.frame[17]); // a "your crates" red for wordfreq::main
 */
export class FrameColorIds {
  private readonly ids: Uint16Array;
  /** Category number (index in CATEGORIES) of each frame, 255 until worked out. */
  private readonly cats: Uint8Array;
  private present: ReadonlySet<FrameCategory> | undefined;

  constructor(private readonly tree: FlameTree) {
    this.ids = new Uint16Array(tree.frames.name.length).fill(UNSET);
    this.cats = new Uint8Array(tree.frames.name.length).fill(255);
  }

  /** The colour id of frame `f`. */
  of(f: number): number {
    let id = this.ids[f]!;
    if (id === UNSET) id = this.ids[f] = this.categoryOf(f) * JITTER_STEPS + (nameHash(this.tree.strings[this.tree.frames.name[f]!] ?? "") % JITTER_STEPS);
    return id;
  }

  /** The categories of the frames, if `categories` has worked them out. */
  known(): ReadonlySet<FrameCategory> | undefined {
    return this.present;
  }

  /** The categories of the frames the tree's nodes use (but the root), worked out once. */
  categories(): ReadonlySet<FrameCategory> {
    if (this.present) return this.present;
    const { frame } = this.tree.nodes;
    const seen = new Uint8Array(CATEGORIES.length);
    for (let i = 1; i < frame.length; i++) seen[this.categoryOf(frame[i]!)] = 1;
    return (this.present = new Set(CATEGORIES.filter((_, k) => seen[k]).map(([c]) => c)));
  }

  /** The category number of frame `f`. */
  private categoryOf(f: number): number {
    let k = this.cats[f]!;
    if (k === 255) {
      const { name, kind, module } = this.tree.frames;
      const m = module[f]!;
      const cat = frameCategory(this.tree.strings[name[f]!] ?? "", KINDS[kind[f]!] ?? "unknown", m >= 0 ? (this.tree.strings[m] ?? "") : "");
      k = this.cats[f] = CATEGORY_IDS.get(cat)!;
    }
    return k;
  }
}

/**
 * The category colour id of every frame of a tree (all at once; see {@link FrameColorIds} for
 * the lazy form the renderer uses).
 *
 * @example
 * const ids = frameColors(tree);
 * ids[tree.nodes.frame[17]]; // a "your crates" red for wordfreq::main
 */
export function frameColors(tree: FlameTree): Uint16Array {
  const lazy = new FrameColorIds(tree);
  return Uint16Array.from(tree.frames.name, (_, f) => lazy.of(f));
}

/**
 * The category of a colour id (for the legend), or null for the root and diff colours.
 *
 * @example
 * colorCategory(0); // "user"
 */
export function colorCategory(id: number): FrameCategory | null {
  return id < ROOT_COLOR ? CATEGORIES[Math.floor(id / JITTER_STEPS)]![0] : null;
}

/** The colour id of each box of a pane, possibly worked out when first asked for. */
export interface BoxColors {
  of(box: number): number;
}

/**
 * Colour ids of boxes coloured by kind of code (through their frames, on demand); `rootBox` (the
 * tree's "all", or -1) is grey.
 *
 * @example
 * const color = categoryColorIds(boxes, new FrameColorIds(tree), 0);
 * color.of(0); // ROOT_COLOR
 */
export function categoryColorIds(boxes: BoxSet, byFrame: FrameColorIds, rootBox: number): BoxColors {
  const frame = boxes.frame;
  return { of: (b) => (b === rootBox ? ROOT_COLOR : byFrame.of(frame[b]!)) };
}

/**
 * Box colours from a ready array of ids (diff colours are computed for every box at once).
 *
 * @example
 * fixedColors(diffColorIds(changes, sig)).of(3);
 */
export function fixedColors(ids: Uint16Array): BoxColors {
  return { of: (b) => ids[b]! };
}

/** The weights a diff colouring compares: both sides' totals per box, and the significance. */
export interface DiffWeights {
  readonly after: Float64Array;
  readonly before: Float64Array;
  /** Per box, 1 significant / 0 within noise / 255 untested; absent means untested. */
  readonly sig?: Uint8Array;
}

/**
 * Each box's change, after minus before: in weight ("absolute") or in share of each side's
 * root total ("proportional"); the root totals are those of box 0 unless given (a sandwich
 * compares shares of the whole profile, not of its function).
 *
 * @example
 * diffChanges({ after: Float64Array.of(10, 8), before: Float64Array.of(20, 4) }, "proportional"); // [0, 0.6]
 */
export function diffChanges(w: DiffWeights, mode: DiffMode, rootAfter = w.after[0]!, rootBefore = w.before[0]!): Float64Array {
  const ra = mode === "proportional" && rootAfter > 0 ? 1 / rootAfter : 1;
  const rb = mode === "proportional" && rootBefore > 0 ? 1 / rootBefore : 1;
  const out = new Float64Array(w.after.length);
  for (let i = 0; i < out.length; i++) out[i] = w.after[i]! * ra - w.before[i]! * rb;
  return out;
}

/**
 * Colour ids of diff boxes: red for growth, blue for shrinkage, intensity by the change relative
 * to the largest change of any box but the root; grey when not significant.
 *
 * @example
 * const color = diffColorIds(diffChanges(w, "absolute"), w.sig);
 */
export function diffColorIds(change: Float64Array, sig: Uint8Array | undefined): Uint16Array {
  let max = 0;
  for (let i = 1; i < change.length; i++) max = Math.max(max, Math.abs(change[i]!));
  const out = new Uint16Array(change.length);
  for (let i = 0; i < change.length; i++) out[i] = DIFF_BASE + diffStep(change[i]!, max, sig ? sig[i]! : 255);
  return out;
}

/**
 * The colour id of a diff step (see `diffStep`), for legend swatches.
 *
 * @example
 * diffColorId(DIFF_STEPS); // the deepest red
 */
export function diffColorId(step: number): number {
  return DIFF_BASE + step;
}

/**
 * The colour id of a category's middle shade, for legend swatches.
 *
 * @example
 * buildPalette("light", "#fff").fill[categoryColorId("std")]; // an orange
 */
export function categoryColorId(category: FrameCategory): number {
  return CATEGORY_IDS.get(category)! * JITTER_STEPS + (JITTER_STEPS >> 1);
}
