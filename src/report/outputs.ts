// Code cell outputs as report HTML, in the order the notebook has them. A display output shows its
// best representation: a flamebook widget view (from the saved widget state, else through its
// text/html fallback), text/html,
// image/svg+xml, image/png, image/jpeg, text/markdown, text/plain.
import { escapeHtml } from "../render/flame-html.js";
import { ansiToHtml } from "./ansi.js";
import { flameFragment, flameMount } from "./flame-fragment.js";
import type { MarkdownRenderer } from "./markdown.js";
import { mimeText, type NotebookMimeData, type NotebookOutput } from "./notebook.js";
import { untrustedHtml } from "./sanitize.js";
import { widgetFlame } from "./widget-state.js";

/** What rendering the outputs of a report needs and counts. */
export interface OutputContext {
  readonly markdown: MarkdownRenderer;
  /** The notebook's `metadata.widgets` (saved widget state), if any. */
  readonly widgets?: Readonly<Record<string, unknown>> | undefined;
  /** Flamegraphs mounted so far (the page includes the renderer when > 0). */
  flamegraphs: number;
  /** Untrusted HTML outputs so far (the page includes the sanitiser when > 0). */
  htmlOutputs: number;
}

const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;
const FLAME_MARKER = /data-flamebook|application\/vnd\.flamebook\.flametree\+json/;

/**
 * Terminal text after carriage returns: each line keeps what was written after its last `\r`
 * (progress bars), as a terminal would show it.
 *
 * @example
 * overwriteCarriageReturns("10%\r50%\r100%\ndone"); // "100%\ndone"
 */
export function overwriteCarriageReturns(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const l = line.endsWith("\r") ? line.slice(0, -1) : line;
      return l.slice(l.lastIndexOf("\r") + 1);
    })
    .join("\n");
}

/**
 * Adjacent stream outputs of the same stream merged into one, as notebook front ends show them.
 *
 * @example
 * mergeStreams([{ output_type: "stream", name: "stdout", text: "a" }, { output_type: "stream", name: "stdout", text: "b" }]);
 * // [{ output_type: "stream", name: "stdout", text: "ab" }]
 */
export function mergeStreams(outputs: readonly NotebookOutput[]): NotebookOutput[] {
  const out: NotebookOutput[] = [];
  for (const o of outputs) {
    const prev = out.at(-1);
    if (o.output_type === "stream" && prev?.output_type === "stream" && prev.name === o.name) out[out.length - 1] = { ...prev, text: prev.text + o.text };
    else out.push(o);
  }
  return out;
}

/**
 * One output as HTML.
 *
 * @example
 * renderOutput({ output_type: "stream", name: "stdout", text: "hi\n" }, ctx); // '<pre class="fb-stream fb-stdout">hi\n</pre>'
 */
export function renderOutput(o: NotebookOutput, ctx: OutputContext): string {
  switch (o.output_type) {
    case "stream": {
      const cls = o.name === "stderr" ? "fb-stderr" : "fb-stdout";
      return `<pre class="fb-stream ${cls}">${ansiToHtml(overwriteCarriageReturns(o.text))}</pre>`;
    }
    case "error": {
      const head = `<div class="fb-ename"><b>${escapeHtml(o.ename)}</b>${o.evalue ? `: ${ansiToHtml(o.evalue)}` : ""}</div>`;
      const tb = o.traceback.length ? `<pre class="fb-traceback">${ansiToHtml(o.traceback.join("\n"))}</pre>` : "";
      return `<div class="fb-error" role="alert">${head}${tb}</div>`;
    }
    default: {
      const prompt = o.output_type === "execute_result" && o.execution_count != null ? `<div class="fb-prompt">Out [${o.execution_count}]</div>` : "";
      return `<div class="fb-output fb-${o.output_type}">${prompt}${renderData(o.data, ctx)}</div>`;
    }
  }
}

/**
 * The best representation of a mimebundle as HTML (see the file comment for the order).
 *
 * @example
 * renderData({ "text/plain": "42" }, ctx); // '<pre class="fb-text">42</pre>'
 */
export function renderData(data: NotebookMimeData, ctx: OutputContext): string {
  const text = mimeText(data["text/plain"]);
  const plain = text === undefined ? "" : `<pre class="fb-text">${ansiToHtml(text)}</pre>`;
  const html = mimeText(data["text/html"]);
  const flame = (data[WIDGET_VIEW] === undefined ? null : widgetFlame(data[WIDGET_VIEW], ctx.widgets)) ?? (html === undefined ? null : flameFragment(html));
  if (flame) {
    ctx.flamegraphs++;
    const noscript = plain ? `<noscript>${plain}</noscript>` : "";
    return `<div class="fb-flame">${flameMount(flame)}${noscript}</div>`;
  }
  // A flamegraph this flamebook does not recognise (another version's markup) falls through to its
  // static picture or text, which show more than its inert markup would.
  if (html !== undefined && !FLAME_MARKER.test(html)) {
    ctx.htmlOutputs++;
    return untrustedHtml(html, plain || `<p class="fb-note">(HTML output: shown when scripts run)</p>`);
  }
  const svg = mimeText(data["image/svg+xml"]);
  if (svg !== undefined) return `<img class="fb-image" alt="SVG output" src="data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}">`;
  for (const type of ["image/png", "image/jpeg"] as const) {
    const b64 = mimeText(data[type]);
    if (b64 !== undefined && BASE64.test(b64)) return `<img class="fb-image" alt="${type} output" src="data:${type};base64,${b64.replace(/\s+/g, "")}">`;
  }
  const md = mimeText(data["text/markdown"]);
  if (md !== undefined) return `<div class="fb-markdown">${ctx.markdown.render(md)}</div>`;
  if (plain) return plain;
  if (data[WIDGET_VIEW] !== undefined) return `<p class="fb-note">(an interactive widget with no static form: not shown in a report)</p>`;
  const types = Object.keys(data);
  return `<p class="fb-note">(output of type ${escapeHtml(types.join(", ") || "none")}: not shown in a report)</p>`;
}
