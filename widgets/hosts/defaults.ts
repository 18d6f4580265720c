import type { FlameOptions } from "../../src/model/flame-tree.js";
import { normalizeFlameOptions } from "../../src/model/flame-options.js";

/**
 * Complete display options from whatever a model or page holds: missing keys, and values of the
 * wrong kind, take the defaults (`normalizeFlameOptions`; the renderer then checks indices against
 * the tree).
 *
 * @example
 * withDefaults({ layout: "icicle" }).height; // 420
 */
export function withDefaults(value: unknown): FlameOptions {
  return normalizeFlameOptions(value);
}
