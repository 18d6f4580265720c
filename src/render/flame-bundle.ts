import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { flameHtml } from "./flame-html.js";
import { flameSvg } from "./flame-svg.js";
import { flameText } from "./flame-text.js";
import type { MimeBundle } from "./table-bundle.js";

/** Options of {@link flameBundle}. */
export interface FlameBundleOptions {
  /** Display options the graph starts with. */
  options?: Partial<FlameOptions>;
  /** The comm id of a widget model showing this tree (a kernel with comms passes it). */
  modelId?: string;
}

/**
 * Every representation of a flamegraph output, best first for the front end to choose from:
 * the live widget view (when a kernel opened a widget model for it), a self-contained interactive
 * `text/html` page fragment (nbconvert, VS Code and any front end without the widget), a static
 * `image/svg+xml` picture with `<title>` tooltips (GitHub, nbviewer) and a `text/plain` summary.
 *
 * @example
 * const bundle = flameBundle(flameTree(profile)); // { "text/html": …, "image/svg+xml": …, "text/plain": … }
 */
export function flameBundle(tree: FlameTree, opts: FlameBundleOptions = {}): MimeBundle {
  const layout = opts.options?.layout ?? "flame";
  const bundle: MimeBundle = {
    "text/plain": flameText(tree, opts.options?.diffMode ? { diffMode: opts.options.diffMode } : {}),
    "image/svg+xml": flameSvg(tree, { layout, ...(opts.options?.diffMode ? { diffMode: opts.options.diffMode } : {}) }),
    "text/html": flameHtml(tree, { options: opts.options ?? {} }),
  };
  if (opts.modelId) bundle["application/vnd.jupyter.widget-view+json"] = { version_major: 2, version_minor: 1, model_id: opts.modelId };
  return bundle;
}
