// A notebook as one self-contained HTML report: cells in order, markdown rendered, code with its
// outputs, flamegraphs drawn by one shared copy of the renderer, untrusted HTML allow-listed.
import { escapeHtml } from "../render/flame-html.js";
import { flamebookVersion, widgetAsset } from "../render/widget-assets.js";
import { highlight } from "./highlight.js";
import { MarkdownRenderer } from "./markdown.js";
import { cellExecutedAt, notebookFacts, type NotebookCell, type NotebookFacts, type ReportNotebook } from "./notebook.js";
import { mergeStreams, renderOutput, type OutputContext } from "./outputs.js";
import { reportPage } from "./page.js";
import { SANITIZER_SCRIPT } from "./sanitize.js";

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Page title (default: the first `# ` heading, else the source name, else "notebook report"). */
  title?: string;
  /** Where the notebook came from, shown in the header (e.g. its file name). */
  source?: string;
  /** When it ran, when the notebook's cells carry no execution timestamps (e.g. the file's mtime). */
  date?: Date;
  /** Show code cells' source (default true); the page can still toggle it. */
  showCode?: boolean;
  /**
   * The flamegraph renderer script (default: this flamebook's `dist/widgets/standalone.js`).
   * Only needed when the notebook has flamegraphs.
   */
  renderer?: string;
}

/**
 * Renders an executed notebook (see {@link readReportNotebook}) as one self-contained HTML page: no
 * network request, no server; interactive flamegraphs; light and dark themes.
 *
 * @example
 * const nb = readReportNotebook(await readFile("run.ipynb", "utf8"), "run.ipynb");
 * const html = renderReport(nb, { source: "run.ipynb" });
 */
export function renderReport(notebook: ReportNotebook, opts: RenderReportOptions = {}): string {
  const markdown = new MarkdownRenderer();
  const meta = notebookFacts(notebook);
  const ctx: OutputContext = { markdown, widgets: meta.widgets, flamegraphs: 0, htmlOutputs: 0 };
  let cells = notebook.cells.map((cell) => renderCell(cell, ctx, opts.showCode ?? true)).join("\n");
  const firstH1 = markdown.headings.find((h) => h.depth === 1);
  const title = opts.title ?? meta.title ?? (firstH1 ? firstH1.text : undefined) ?? opts.source ?? "notebook report";
  // The heading that names the report becomes the page header, not a second copy below it.
  if (firstH1 && title === firstH1.text) cells = cells.replace(new RegExp(`<h1 id="${firstH1.id}">[\\s\\S]*?</h1>\\n?`), "");
  const scripts: string[] = [];
  if (ctx.htmlOutputs > 0) scripts.push(SANITIZER_SCRIPT);
  if (ctx.flamegraphs > 0) scripts.push(opts.renderer ?? widgetAsset("standalone.js"));
  return reportPage({ title, facts: headerFacts(notebook, meta, opts, ctx), headings: markdown.headings, body: cells, scripts });
}

function renderCell(cell: NotebookCell, ctx: OutputContext, showCode: boolean): string {
  switch (cell.cell_type) {
    case "markdown":
      return `<section class="fb-cell fb-markdown">${ctx.markdown.render(cell.source, cell.attachments ?? {})}</section>`;
    case "raw":
      return cell.source.trim() ? `<section class="fb-cell fb-raw"><pre class="fb-text">${escapeHtml(cell.source)}</pre></section>` : "";
    case "code": {
      const n = cell.execution_count;
      const source =
        showCode && cell.source.trim()
          ? `<pre class="fb-source"><span class="fb-in" aria-hidden="true">[${n ?? " "}]</span><code>${highlight(cell.source)}</code></pre>`
          : "";
      const outputs = mergeStreams(cell.outputs ?? [])
        .map((o) => renderOutput(o, ctx))
        .join("");
      if (!source && !outputs) return "";
      return `<section class="fb-cell fb-code">${source}${outputs ? `<div class="fb-outputs">${outputs}</div>` : ""}</section>`;
    }
  }
}

/** Header facts: source, when it ran, kernel, language, counts, who wrote the report. */
function headerFacts(nb: ReportNotebook, meta: NotebookFacts, opts: RenderReportOptions, ctx: OutputContext): [string, string][] {
  const facts: [string, string][] = [];
  if (opts.source) facts.push(["notebook", opts.source]);
  const ran = executionTime(nb);
  if (ran) facts.push(["executed", formatDate(ran)]);
  else if (opts.date) facts.push(["date", formatDate(opts.date)]);
  if (meta.kernel) facts.push(["kernel", meta.kernel]);
  if (meta.language) facts.push(["language", meta.language]);
  const code = nb.cells.filter((c) => c.cell_type === "code");
  const errors = code.filter((c) => (c.outputs ?? []).some((o) => o.output_type === "error")).length;
  facts.push(["cells", `${nb.cells.length} (${code.length} code${errors ? `, ${errors} with errors` : ""})`]);
  if (ctx.flamegraphs) facts.push(["flamegraphs", String(ctx.flamegraphs)]);
  facts.push(["report by", `flamebook ${flamebookVersion()}`]);
  return facts;
}

/** The latest execution timestamp nbclient/Jupyter recorded in the cells' metadata, if any. */
function executionTime(nb: ReportNotebook): Date | undefined {
  let latest: number | undefined;
  for (const c of nb.cells) {
    const t = cellExecutedAt(c);
    const ms = t === undefined ? NaN : Date.parse(t);
    if (Number.isFinite(ms) && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest === undefined ? undefined : new Date(latest);
}

/** "2026-12-05 07:32 UTC". */
function formatDate(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
