import { printable } from "./flame-text.js";
import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { flameSvg } from "./flame-svg.js";
import { flameTreeJson } from "./flame-wire.js";
import { widgetAsset } from "./widget-assets.js";

/** Options of {@link flameHtml}. */
export interface FlameHtmlOptions {
  /** Display options the graph starts with (default: the widget's defaults). */
  options?: Partial<FlameOptions>;
  /**
   * Include the renderer bundle (default true). A page with several graphs includes it once, with
   * the first; every notebook output includes it, so any one output renders on its own.
   */
  bundle?: boolean;
  /**
   * The static picture inside the mount point, shown until the renderer draws and wherever scripts
   * do not run: a sanitizer dropped them (JupyterLab's untrusted notebooks, GitHub), JavaScript is
   * off, or the front end shows HTML without running it. Default: the tree's `flameSvg` with the
   * same layout and diff mode (a caller that already has it passes it); null for none.
   */
  still?: string | null;
  /**
   * The graph has a page of its own (`flamePage` with one graph): it takes the window's height,
   * showing as many rows as fit, instead of `options.height`.
   */
  fill?: boolean;
}

/**
 * A self-contained `text/html` block that draws an interactive flamegraph with no server and no
 * CDN: a mount point holding a static picture (see `still`), the packed tree as JSON, and the
 * renderer, which replaces the picture. The JSON is escaped so that no frame name can close the
 * script element.
 *
 * @example
 * const html = flameHtml(flameTree(profile)); // put it in a mimebundle or a page
 */
export function flameHtml(tree: FlameTree, opts: FlameHtmlOptions = {}): string {
  const block = { ...flameTreeJson(tree), options: opts.options ?? {} };
  const still = opts.still === undefined ? flameSvg(tree, svgOptions(opts.options)) : opts.still;
  const parts = [
    opts.fill
      ? `<div class="flamebook" data-flamebook data-flamebook-fill>${still === null ? "" : stillPicture(still, tree.title)}</div>`
      : `<div class="flamebook" data-flamebook style="min-height:${(opts.options?.height ?? 420) + 60}px">${still === null ? "" : stillPicture(still, tree.title)}</div>`,
    `<script type="application/vnd.flamebook.flametree+json">${scriptJson(block)}</script>`,
  ];
  if (opts.bundle !== false) parts.push(`<script>${widgetAsset("standalone.js")}</script>`);
  else parts.push(`<script>window.flamebook&&window.flamebook.mountAll(document.currentScript.parentNode)</script>`);
  return `<div class="flamebook-output">${parts.join("")}</div>`;
}

/**
 * The `flameSvg` options that match a graph's display options (layout, diff mode).
 *
 * @example
 * flameSvg(tree, svgOptions({ layout: "icicle" })); // the picture of what the widget starts with
 */
export function svgOptions(options: Partial<FlameOptions> | undefined): { layout: FlameOptions["layout"]; diffMode?: FlameOptions["diffMode"] } {
  return { layout: options?.layout ?? "flame", ...(options?.diffMode ? { diffMode: options.diffMode } : {}) };
}

/** Says, under the static picture, why it is not the interactive graph. */
export const STILL_NOTE = "Static picture: the interactive flamegraph needs JavaScript (in Jupyter, trust the notebook).";

/**
 * The static picture of a flamegraph output: the SVG as a base64 `data:` image (an `<img>`, which
 * JupyterLab's HTML sanitizer keeps, unlike inline `<svg>`, whose frame labels it would turn into
 * loose text) and a one-line note.
 *
 * @example
 * stillPicture(flameSvg(tree), tree.title); // '<img alt="flamegraph: …" src="data:image/svg+xml;base64,…" …><p …>Static picture: …</p>'
 */
export function stillPicture(svg: string, title: string): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
  return (
    `<img alt="${escapeHtml(`flamegraph: ${printable(title)}`)}" src="${src}" style="max-width:100%;height:auto">` +
    `<p style="margin:4px 0;font-size:12px;opacity:0.7">${escapeHtml(STILL_NOTE)}</p>`
  );
}

/**
 * A whole HTML page with one or more flamegraphs sharing one copy of the renderer: what
 * `flamebook open` writes and what reports embed. A page of one graph gives it the window's
 * height (see `FlameHtmlOptions.fill`); `still: null` leaves the static pictures out.
 *
 * @example
 * await writeFile("flame.html", flamePage([{ tree }], { title: "wordfreq" }));
 */
export function flamePage(graphs: readonly { tree: FlameTree; heading?: string; options?: Partial<FlameOptions> }[], opts: { title?: string; still?: null } = {}): string {
  // Shown as text: control characters dropped, bidi controls made visible (they could reorder the page's text).
  const title = printable(opts.title ?? graphs[0]?.tree.title ?? "flamegraph");
  const fill = graphs.length === 1;
  const body = graphs
    .map((g, i) => (g.heading ? `<h2>${escapeHtml(printable(g.heading))}</h2>` : "") + flameHtml(g.tree, { options: g.options ?? {}, bundle: i === 0, fill, ...(opts.still === null ? { still: null } : {}) }))
    .join("\n");
  // A page of one graph: tight margins and a one-line title, so the graph gets the window.
  const margins = fill ? "body{margin:8px 12px}h1{font-size:1.1em;margin:0 0 6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}" : "body{margin:16px 24px}h1{font-size:1.3em}";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="flamebook">
<title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif}${margins}h2{font-size:1.1em}
@media (prefers-color-scheme: dark){body{background:#1b1b1f;color:#ddd}}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>`, `&` and the JS line separators are
 * written as \u escapes (still the same JSON).
 *
 * @example
 * scriptJson({ name: "</script>" }); // '{"name":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * escapeHtml('<b a="1">'); // "&lt;b a=&quot;1&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
