// Frame colours: by kind of code for plain trees, by change for diff trees. Pure; no DOM.
import { interpolateRgb } from "d3-interpolate";
import type { FrameKind } from "../../src/model/profile.js";
import { nameHash, type FrameCategory } from "../../src/model/frame-category.js";

export { CATEGORIES, firstCrate, frameCategory, moduleOrigin, nameHash, type FrameCategory } from "../../src/model/frame-category.js";

/** The wire numbering of frame kinds (the same as the model's `FLAME_KINDS`). */
export const KINDS: readonly FrameKind[] = ["unknown", "rust", "c", "kernel"];

/** `#rrggbb` of three channel values (rounded, clamped to 0–255). */
function hex(r: number, g: number, b: number): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, "0");
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** How many jitter steps each category has; fills are quantised so a palette stays small. */
export const JITTER_STEPS = 12;

/**
 * The fill of a frame: a warm flamegraph-style hue per category (your crates red, std orange,
 * the Rust toolchain pink, C/C++ yellow, kernel purple, unknown tan), varied slightly by a hash of the name so neighbours are
 * told apart and a function keeps its colour everywhere. Black labels stay legible on all of them.
 *
 * @example
 * categoryFill("user", "wordfreq::main"); // a red such as "#e35a4f", the same on every call
 */
export function categoryFill(category: FrameCategory, name: string): string {
  return categoryShade(category, (nameHash(name) % JITTER_STEPS) / (JITTER_STEPS - 1));
}

/**
 * The fill of a category at jitter `v` (0–1); {@link categoryFill} picks `v` from the name.
 *
 * @example
 * categoryShade("std", 0); // "#e68c1e"
 */
export function categoryShade(category: FrameCategory, v: number): string {
  switch (category) {
    case "user":
      return hex(222 + 30 * v, 78 + 60 * v, 62 + 40 * v);
    case "std":
      return hex(230 + 22 * v, 140 + 50 * v, 30 + 40 * v);
    case "rust":
      return hex(226 + 24 * v, 112 + 40 * v, 150 + 40 * v);
    case "c":
      return hex(205 + 30 * v, 195 + 30 * v, 80 + 30 * v);
    case "kernel":
      return hex(196 + 40 * v, 128 + 40 * v, 214 + 30 * v);
    case "unknown":
      return hex(190 + 30 * v, 176 + 30 * v, 150 + 30 * v);
  }
}

/** The fill of the root frame ("all"). */
export const ROOT_FILL = "#b9bcc2";

/** Fill of a diff frame whose change is within noise. */
export const SAME_FILL: Readonly<Record<"light" | "dark", string>> = { light: "#cfd2d6", dark: "#8d9096" };

/** How many intensity steps the diff colours have on each side. */
export const DIFF_STEPS = 16;

const GREW = interpolateRgb("#ffe0dc", "#f0302a");
const SHRANK = interpolateRgb("#dde6ff", "#3f6ff0");

/**
 * The fill of a diff frame: red when it grew, blue when it shrank, deeper the larger
 * `|change| / maxChange` (quantised to {@link DIFF_STEPS} steps, square-root scaled so small
 * changes stay visible); grey when the change is not significant (`sig === 0`) or zero.
 * `sig` 255 (untested) is coloured by the change alone.
 *
 * @example
 * diffFill(5, 10, 1, "light");  // a mid red
 * diffFill(-5, 10, 0, "light"); // "#cfd2d6": within noise
 */
export function diffFill(change: number, maxChange: number, sig: number, theme: "light" | "dark"): string {
  const step = diffStep(change, maxChange, sig);
  return diffStepFill(step, theme);
}

/**
 * The quantised diff colour of a change: 0 for grey, 1…DIFF_STEPS for grew, -1…-DIFF_STEPS for shrank.
 *
 * @example
 * diffStep(10, 10, 1);  // 16
 * diffStep(-1, 10, 255); // about -5
 */
export function diffStep(change: number, maxChange: number, sig: number): number {
  if (sig === 0 || change === 0 || !(maxChange > 0) || !Number.isFinite(change)) return 0;
  const m = Math.sqrt(Math.min(1, Math.abs(change) / maxChange));
  const step = Math.max(1, Math.round(m * DIFF_STEPS));
  return change > 0 ? step : -step;
}

/**
 * The fill of a quantised diff step (see {@link diffStep}).
 *
 * @example
 * diffStepFill(0, "dark"); // "#8d9096"
 */
export function diffStepFill(step: number, theme: "light" | "dark"): string {
  if (step === 0) return SAME_FILL[theme];
  const t = Math.abs(step) / DIFF_STEPS;
  return toHex(step > 0 ? GREW(t) : SHRANK(t));
}

/**
 * A colour mixed toward another by `t` (0 = `a`, 1 = `b`), as `#rrggbb`: dimmed frames are their
 * fill mixed toward the background.
 *
 * @example
 * mix("#000000", "#ffffff", 0.5); // "#808080"
 */
export function mix(a: string, b: string, t: number): string {
  return toHex(interpolateRgb(a, b)(t));
}

/** `#rrggbb` of a CSS `rgb(r, g, b)` string (what d3-interpolate returns). */
function toHex(rgb: string): string {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
  return m ? hex(Number(m[1]), Number(m[2]), Number(m[3])) : rgb;
}
