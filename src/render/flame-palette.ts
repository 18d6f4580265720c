import { CATEGORIES, nameHash, type FrameCategory } from "../model/frame-category.js";

export { frameCategory, moduleOrigin, nameHash, type FrameCategory } from "../model/frame-category.js";

/** Legend labels of the categories, in legend order (the model's `CATEGORIES`). */
export const CATEGORY_LABELS: Readonly<Record<FrameCategory, string>> = Object.fromEntries(CATEGORIES) as Record<FrameCategory, string>;

/** The colours of one theme; frame fills are the same in both so labels stay black on them. */
export interface FlameThemeColors {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly label: string;
  readonly hover: string;
  /** Fill of a diff frame whose change is within noise (or zero). */
  readonly same: string;
}

/** The light and dark themes of the static flamegraph. */
export const THEME_COLORS: Readonly<Record<"light" | "dark", FlameThemeColors>> = {
  light: { background: "#ffffff", text: "#000000", muted: "#555555", label: "#000000", hover: "#000000", same: "#c8c8c8" },
  dark: { background: "#1e1e22", text: "#e6e6e6", muted: "#a0a0a0", label: "#000000", hover: "#ffffff", same: "#8c8c8c" },
};

/**
 * `#rrggbb` of three channel values (rounded, clamped to 0–255).
 *
 * @example
 * hexColor(255, 127.6, -3); // "#ff8000"
 */
export function hexColor(r: number, g: number, b: number): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, "0");
  return `#${c(r)}${c(g)}${c(b)}`;
}

/**
 * The fill of a frame: a warm flamegraph.pl-style hue per category (user red, std orange,
 * Rust toolchain pink, C/C++ yellow, kernel purple, unknown tan) varied slightly and deterministically by a hash of
 * the name, so neighbouring frames are told apart and the same function keeps its colour.
 *
 * @example
 * categoryFill("user", "wordfreq::main"); // "#df5454" (a red), the same on every call
 */
export function categoryFill(category: FrameCategory, name: string): string {
  const v = (nameHash(name) & 0xffff) / 0xffff;
  switch (category) {
    case "user":
      return hexColor(200 + 55 * v, 50 + 80 * v, 50 + 80 * v);
    case "std":
      return hexColor(190 + 65 * v, 90 + 65 * v, 0);
    case "rust":
      return hexColor(215 + 40 * v, 100 + 50 * v, 140 + 50 * v);
    case "c":
      return hexColor(175 + 55 * v, 175 + 55 * v, 50 + 20 * v);
    case "kernel":
      return hexColor(190 + 65 * v, 80 + 60 * v, 190 + 65 * v);
    case "unknown":
      return hexColor(175 + 40 * v, 165 + 40 * v, 145 + 40 * v);
  }
}

/**
 * The fill of a diff frame: red when it grew, blue when it shrank, deeper the larger
 * `|change| / maxChange` (from #ffd2d2 to #ff5a5a, so black labels stay legible); the theme's grey when the change is not significant (`sig === 0`)
 * or zero. `sig` 255 (no test) is coloured by the change alone.
 *
 * @example
 * diffFill(5, 10, 1, "light");  // "#ff9696": grew by half the largest change
 * diffFill(-5, 10, 0, "light"); // "#c8c8c8": within noise
 */
export function diffFill(change: number, maxChange: number, sig: number, theme: "light" | "dark"): string {
  if (sig === 0 || change === 0 || !(maxChange > 0)) return THEME_COLORS[theme].same;
  const pale = 90 + 120 * (1 - Math.min(1, Math.abs(change) / maxChange));
  return change > 0 ? hexColor(255, pale, pale) : hexColor(pale, pale, 255);
}
