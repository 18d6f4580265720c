import type { FlameOptions } from "../../src/model/flame-tree.js";

const DEFAULTS: FlameOptions = {
  layout: "flame",
  view: "tree",
  focus: 0,
  search: "",
  sandwich: -1,
  thread: -1,
  diffMode: "proportional",
  theme: "auto",
  height: 420,
};

/**
 * Complete display options from whatever a model or page holds (missing keys take the defaults,
 * which match `DEFAULT_FLAME_OPTIONS` on the kernel side; a test checks they agree).
 *
 * @example
 * withDefaults({ layout: "icicle" }).height; // 420
 */
export function withDefaults(value: unknown): FlameOptions {
  const given = value && typeof value === "object" ? (value as Partial<FlameOptions>) : {};
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof FlameOptions)[]) {
    if (given[key] !== undefined && typeof given[key] === typeof DEFAULTS[key]) out[key] = given[key];
  }
  return out as unknown as FlameOptions;
}
