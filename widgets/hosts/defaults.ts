import type { FlameOptions } from "../../src/model/flame-tree.js";
import { DEFAULTS } from "../core/options.js";

/**
 * Complete display options from whatever a model or page holds: missing keys, and values of the
 * wrong type, take the widget's defaults (the renderer then checks ranges against the tree).
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
