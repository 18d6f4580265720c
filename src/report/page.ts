// The report page: document head (CSP, title), the stylesheet with its light and dark themes
// (prefers-color-scheme), the header, the table of contents and the scripts at the end.
import { escapeHtml } from "../render/flame-html.js";
import type { Heading } from "./markdown.js";
import { contentSecurityPolicy } from "./sanitize.js";

/** What the page shows around the cells. */
export interface PageParts {
  readonly title: string;
  /** Header facts, label -> text (escaped here). */
  readonly facts: readonly (readonly [string, string])[];
  readonly headings: readonly Heading[];
  /** The cells, as HTML. */
  readonly body: string;
  /** The report's own classic scripts, in order (each allowed by its hash in the CSP). */
  readonly scripts: readonly string[];
}

/**
 * The stylesheet: one set of custom properties per theme, everything else shared. In dark mode the
 * inline colours of flamebook's verdict and experiment cards (GitHub's light palette) are lifted
 * to their dark counterparts so they stay readable.
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--panel:#f6f8fa;--code:#f6f8fa;--accent:#0969da;
--err-bg:#ffebe9;--err-border:#ff8182;--err-fg:#82071e;--stderr:#fff8c5;--kw:#cf222e;--str:#0a3069;--num:#0550ae;--com:#6e7781;
--a0:#24292f;--a1:#cf222e;--a2:#116329;--a3:#7d4e00;--a4:#0550ae;--a5:#8250df;--a6:#1b7c83;--a7:#6e7781;
--a8:#57606a;--a9:#a40e26;--a10:#1a7f37;--a11:#633c01;--a12:#218bff;--a13:#a475f9;--a14:#3192aa;--a15:#8c959f}
@media (prefers-color-scheme: dark){:root{--bg:#16181c;--fg:#e6e7ea;--muted:#9da5b0;--border:#33373e;--panel:#1f2228;--code:#1d2026;--accent:#5ea7ff;
--err-bg:#2d1517;--err-border:#8e2c31;--err-fg:#ffb4b0;--stderr:#2b2714;--kw:#ff7b72;--str:#a5d6ff;--num:#79c0ff;--com:#8b949e;
--a0:#9da5b0;--a1:#ff7b72;--a2:#56d364;--a3:#e3b341;--a4:#79c0ff;--a5:#d2a8ff;--a6:#56d4dd;--a7:#c9d1d9;
--a8:#8b949e;--a9:#ffa198;--a10:#7ee787;--a11:#f2cc60;--a12:#a5d6ff;--a13:#e2c5ff;--a14:#76e3ea;--a15:#f0f6fc}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a[href]{color:var(--accent)}
code,pre,kbd,samp{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px}
.fb-page{max-width:1180px;margin:0 auto;padding:24px 28px 64px}
.fb-header{border-bottom:1px solid var(--border);padding-bottom:12px;margin-bottom:12px}
.fb-header h1{margin:0 0 6px;font-size:1.8em;line-height:1.25}
.fb-facts{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0;color:var(--muted);font-size:13px}
.fb-facts div{display:flex;gap:6px}.fb-facts dt{font-weight:600}.fb-facts dd{margin:0}
.fb-controls{font-size:13px;color:var(--muted);margin:8px 0 0}
.fb-toc{background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:8px 16px;margin:12px 0 20px;font-size:14px}
.fb-toc summary{cursor:pointer;font-weight:600}.fb-toc ul{margin:6px 0;padding-left:18px;list-style:none}
.fb-toc li{margin:2px 0}.fb-toc .d2{padding-left:0}.fb-toc .d3{padding-left:16px}.fb-toc .d4,.fb-toc .d5,.fb-toc .d6{padding-left:32px}
.fb-cell{margin:14px 0}
.fb-markdown h1,.fb-markdown h2,.fb-markdown h3{line-height:1.3;margin:1.2em 0 .4em}
.fb-markdown h2{border-bottom:1px solid var(--border);padding-bottom:4px}
.fb-anchor{margin-left:8px;font-size:.8em;color:var(--muted);text-decoration:none;visibility:hidden}
h1:hover>.fb-anchor,h2:hover>.fb-anchor,h3:hover>.fb-anchor,h4:hover>.fb-anchor{visibility:visible}
.fb-markdown img,.fb-image{max-width:100%;height:auto}
.fb-markdown pre,.fb-raw-html{background:var(--code);border:1px solid var(--border);border-radius:6px;padding:10px 12px;overflow:auto}
.fb-markdown code{background:var(--code);border-radius:4px;padding:1px 4px}.fb-markdown pre code{padding:0;background:none}
.fb-markdown blockquote{margin:0;padding:0 12px;border-left:3px solid var(--border);color:var(--muted)}
table{border-collapse:collapse;margin:6px 0;font-size:13px;font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--border);padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:var(--panel)}
.fb-source{position:relative;margin:0;background:var(--code);border:1px solid var(--border);border-left:3px solid var(--accent);border-radius:6px;padding:10px 12px 10px 64px;overflow:auto;white-space:pre}
.fb-source .fb-in{position:absolute;left:8px;top:10px;color:var(--muted);font-size:12px}
.tok-keyword{color:var(--kw)}.tok-string{color:var(--str)}.tok-number{color:var(--num)}.tok-comment{color:var(--com);font-style:italic}
#fb-hide-code:checked~.fb-page .fb-source{display:none}
.fb-outputs{margin:6px 0 0 0;padding-left:0}
.fb-output,.fb-stream,.fb-error,.fb-html,.fb-flame{margin:6px 0}
.fb-prompt{color:var(--muted);font-size:12px;margin-bottom:2px}
.fb-stream,.fb-text,.fb-traceback{margin:4px 0;white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere}
.fb-stream{padding:6px 10px;border-radius:6px;background:var(--panel)}
.fb-stderr{background:var(--stderr)}
.fb-text{padding:0 2px}
.fb-error{background:var(--err-bg);border:1px solid var(--err-border);border-radius:6px;padding:8px 12px;color:var(--fg)}
.fb-ename{color:var(--err-fg);margin-bottom:4px}
.fb-html{overflow:auto}
@media (prefers-color-scheme: dark){.fb-html [style*="#1a7f37"]{color:#3fb950!important}.fb-html [style*="#cf222e"]{color:#ff7b72!important}
.fb-html [style*="#9a6700"]{color:#d29922!important}.fb-html [style*="#6e7781"]{color:#9da5b0!important}}
.fb-flame{overflow:hidden}
.fb-note,.fb-blocked,.fb-link-dropped{color:var(--muted);font-size:13px}
.fb-blocked{font-style:italic}
.fb-footer{margin-top:40px;border-top:1px solid var(--border);padding-top:8px;color:var(--muted);font-size:12px}
.ansi-bold{font-weight:700}.ansi-dim{opacity:.7}.ansi-italic{font-style:italic}.ansi-underline{text-decoration:underline}
${Array.from({ length: 16 }, (_, i) => `.ansi-fg${i}{color:var(--a${i})}.ansi-bg${i}{background:var(--a${i});color:var(--bg)}`).join("")}
@media print{#fb-hide-code,.fb-controls{display:none}.fb-page{max-width:none}}
`;

/**
 * The whole report document.
 *
 * @example
 * reportPage({ title: "wordfreq", facts: [["kernel", "flamebook"]], headings: [], body: "<p>hi</p>", scripts: [] });
 */
export function reportPage(p: PageParts): string {
  const facts = p.facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("");
  const scripts = p.scripts.map((s) => `<script>${s}</script>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.scripts)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="flamebook report">
<title>${escapeHtml(p.title)}</title>
<style>${REPORT_CSS}</style>
</head><body>
<input type="checkbox" id="fb-hide-code" hidden>
<div class="fb-page">
<header class="fb-header"><h1>${escapeHtml(p.title)}</h1><dl class="fb-facts">${facts}</dl>
<p class="fb-controls"><label for="fb-hide-code" style="cursor:pointer;text-decoration:underline">show/hide code</label></p></header>
${tableOfContents(p.headings)}
<main>
${p.body}
</main>
<footer class="fb-footer">Written by flamebook report. Notebook HTML outputs are shown through an allow-list (no scripts, no network); flamegraphs are drawn by flamebook's own renderer.</footer>
</div>
${scripts}
</body></html>
`;
}

/** A collapsible list of the headings below the title; empty with fewer than two. */
function tableOfContents(headings: readonly Heading[]): string {
  const shown = headings.filter((h) => h.depth >= 2 && h.depth <= 4);
  if (shown.length < 2) return "";
  const items = shown.map((h) => `<li class="d${h.depth}"><a href="#${h.id}">${h.html}</a></li>`).join("");
  return `<nav class="fb-toc" aria-label="contents"><details open><summary>Contents</summary><ul>${items}</ul></details></nav>`;
}
