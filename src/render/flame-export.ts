import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { escapeHtml, scriptJson } from "./flame-html.js";
import { printable } from "./flame-text.js";
import { flameWidgetState, widgetStateJson } from "./flame-widget-state.js";

/** Where an exported widget page loads its scripts from (relative URLs by default). */
export interface WidgetPageScripts {
  /** require.js (npm `requirejs`). Default "require.js". */
  requirejs?: string;
  /** `@jupyter-widgets/html-manager/dist/embed-amd.js`. Default "embed-amd.js". */
  htmlManager?: string;
  /** flamebook's AMD widget module (`dist/widgets/jupyter-widgets.js`). Default "flamebook-widgets.js". */
  flamebook?: string;
}

/**
 * An HTML page that renders flamegraphs as real Jupyter widgets with
 * `@jupyter-widgets/html-manager`, from widget state saved in the page
 * (`application/vnd.jupyter.widget-state+json`) and one widget-view block per graph, the way
 * nbconvert exports a notebook with widgets. The three scripts are served next to the page (or
 * wherever `scripts` says); the flamebook module is defined before html-manager looks for it, so
 * its CDN fallback (jsDelivr) is never used.
 *
 * @example
 * await writeFile("out/index.html", widgetPage([{ tree }]));
 * // then copy require.js, embed-amd.js and dist/widgets/jupyter-widgets.js next to it
 */
export function widgetPage(graphs: readonly { tree: FlameTree; options?: Partial<FlameOptions> }[], opts: { title?: string; scripts?: WidgetPageScripts } = {}): string {
  const s = { requirejs: "require.js", htmlManager: "embed-amd.js", flamebook: "flamebook-widgets.js", ...opts.scripts };
  const models: Record<string, ReturnType<typeof flameWidgetState>> = {};
  const views = graphs.map((g, i) => {
    const id = `flamebook-${i + 1}`;
    models[id] = flameWidgetState(g.tree, { host: "flamebook", options: g.options ?? {} });
    return `<script type="application/vnd.jupyter.widget-view+json">${scriptJson({ version_major: 2, version_minor: 0, model_id: id })}</script>`;
  });
  const title = printable(opts.title ?? graphs[0]?.tree.title ?? "flamegraph"); // shown as text: see printable
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<script src="${escapeHtml(s.requirejs)}"></script>
<script src="${escapeHtml(s.flamebook)}"></script>
<script src="${escapeHtml(s.htmlManager)}"></script>
<script type="application/vnd.jupyter.widget-state+json">${scriptJson(widgetStateJson(models))}</script>
</head><body>
<h1>${escapeHtml(title)}</h1>
${views.join("\n")}
</body></html>
`;
}
