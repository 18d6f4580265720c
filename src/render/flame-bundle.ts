import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { flameHtml, svgOptions } from "./flame-html.js";
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
 * `text/html` page fragment (nbconvert, VS Code and any front end without the widget; it holds the
 * static picture too, for front ends that show HTML but drop its scripts), a static
 * `image/svg+xml` picture with `<title>` tooltips (GitHub, nbviewer) and a `text/plain` summary.
 *
 * @example
 * const bundle = flameBundle(flameTree(profile)); // { "text/html": …, "image/svg+xml": …, "text/plain": … }
 */
export function flameBundle(tree: FlameTree, opts: FlameBundleOptions = {}): MimeBundle {
  const svg = flameSvg(tree, svgOptions(opts.options));
  const bundle: MimeBundle = {
    "text/plain": flameText(tree, opts.options?.diffMode ? { diffMode: opts.options.diffMode } : {}),
    "image/svg+xml": svg,
    "text/html": flameHtml(tree, { options: opts.options ?? {}, still: svg }),
  };
  if (opts.modelId) bundle["application/vnd.jupyter.widget-view+json"] = { version_major: 2, version_minor: 1, model_id: opts.modelId };
  return bundle;
}
