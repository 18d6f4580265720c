// Markdown cells and text/markdown outputs, rendered with marked (GFM) on the server side. Notebook
// markdown is untrusted, so the renderer is restricted (see sanitize.ts for the whole policy):
// - raw HTML is shown as text, except a few attribute-less inline tags (<b>, <br>, <sub>, …), which
//   are kept balanced within the cell;
// - links keep only http(s), mailto and #fragment targets, and never open with the page as opener;
// - images are embedded only from data:image URIs and the cell's attachments; any other source is
//   shown as a labelled placeholder, so nothing is loaded.
import { Marked, type Tokens } from "marked";
import { escapeHtml } from "../render/flame-html.js";
import { asJsonObject, get } from "../samples/json-input.js";

/** A heading met while rendering, for the table of contents. */
export interface Heading {
  readonly depth: number;
  /** The heading as HTML (already escaped; no links or images). */
  readonly html: string;
  /** The heading as plain text. */
  readonly text: string;
  readonly id: string;
}

/** Cell attachments: file name -> mimebundle (base64 image data); entries of another shape are ignored. */
export type Attachments = Readonly<Record<string, unknown>>;

/** Tags kept from raw HTML in markdown: inline, without attributes. */
const KEPT_TAGS = new Set(["b", "i", "em", "strong", "u", "s", "sub", "sup", "kbd", "code", "mark", "small", "del", "ins", "br"]);
const TAG = /^<(\/?)([a-z]+)\s*(\/?)>$/i;
const IMAGE_DATA = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

/**
 * Text from escaped HTML: tags removed, the five entities escapeHtml writes decoded.
 *
 * @example
 * htmlText("<em>a &amp; b</em>"); // "a & b"
 */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!);
}

/**
 * Renders notebook markdown to safe HTML, giving headings unique ids (shared across every call,
 * so one renderer serves a whole report) and collecting them for a table of contents.
 *
 * @example
 * const md = new MarkdownRenderer();
 * md.render("# Title\n<script>alert(1)</script>"); // '<h1 id="title">Title</h1>\n<p>&lt;script&gt;…'
 * md.headings; // [{ depth: 1, text: "Title", id: "title", html: "Title" }]
 */
export class MarkdownRenderer {
  readonly headings: Heading[] = [];
  private readonly ids = new Map<string, number>();
  private readonly marked: Marked;
  private attachments: Attachments = {};
  private open: string[] = [];

  constructor() {
    const self = this;
    this.marked = new Marked({ gfm: true, async: false });
    this.marked.use({
      renderer: {
        html(token: Tokens.HTML | Tokens.Tag): string {
          const html = self.rawHtml(token.text);
          if (!token.block || !html.startsWith("&lt;")) return html;
          return `<pre class="fb-raw-html" title="raw HTML from the notebook, shown as text">${html}</pre>\n`;
        },
        link(token: Tokens.Link): string {
          const inner = this.parser.parseInline(token.tokens);
          const href = safeHref(token.href);
          if (href === null) return `<span class="fb-link-dropped" title="link not kept: ${escapeHtml(token.href)}">${inner}</span>`;
          const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
          return `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer">${inner}</a>`;
        },
        image(token: Tokens.Image): string {
          return self.image(token.href, token.text, token.title);
        },
        paragraph(token: Tokens.Paragraph): string {
          return `<p>${this.parser.parseInline(token.tokens)}${self.closeOpen()}</p>\n`;
        },
        heading(token: Tokens.Heading): string {
          const html = (this.parser.parseInline(token.tokens) + self.closeOpen()).replace(/<\/?a\b[^>]*>/g, "");
          const text = htmlText(html).trim();
          const id = self.uniqueId(text);
          self.headings.push({ depth: token.depth, html, text, id });
          return `<h${token.depth} id="${id}">${html}<a class="fb-anchor" href="#${id}" aria-label="link to this section">#</a></h${token.depth}>\n`;
        },
      },
    });
  }

  /**
   * One cell's (or output's) markdown as HTML; `attachments` resolves `attachment:` image sources.
   *
   * @example
   * md.render("![plot](attachment:plot.png)", { "plot.png": { "image/png": "iVBORw0…" } });
   */
  render(source: string, attachments: Attachments = {}): string {
    this.attachments = attachments;
    this.open = [];
    return (this.marked.parse(source) as string) + this.closeOpen();
  }

  /** End tags for the kept tags left open (an inline block ends). */
  private closeOpen(): string {
    const close = this.open.reverse().map((t) => `</${t}>`).join("");
    this.open = [];
    return close;
  }

  /** Raw HTML in markdown: a kept tag (balanced), or the text itself, escaped. */
  private rawHtml(text: string): string {
    const m = TAG.exec(text.trim());
    const name = m?.[2]?.toLowerCase();
    if (!m || name === undefined || !KEPT_TAGS.has(name)) return escapeHtml(text);
    if (name === "br") return "<br>";
    if (m[3]) return escapeHtml(text); // <b/>: not a real element
    if (!m[1]) {
      this.open.push(name);
      return `<${name}>`;
    }
    if (this.open.at(-1) !== name) return escapeHtml(text); // unbalanced end tag
    this.open.pop();
    return `</${name}>`;
  }

  private image(href: string, alt: string, title: string | null): string {
    let src: string | null = null;
    if (IMAGE_DATA.test(href)) src = href.replace(/\s+/g, "");
    else if (href.startsWith("attachment:")) {
      const bundle = asJsonObject(get(this.attachments, decodeURIComponent(href.slice("attachment:".length))));
      for (const type of IMAGE_TYPES) {
        const data = bundle && get(bundle, type);
        const b64 = typeof data === "string" ? data : Array.isArray(data) ? data.join("") : undefined;
        if (b64 !== undefined && /^[A-Za-z0-9+/=\s]+$/.test(b64)) {
          src = `data:${type};base64,${b64.replace(/\s+/g, "")}`;
          break;
        }
      }
    }
    const t = title ? ` title="${escapeHtml(title)}"` : "";
    if (src !== null) return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${t}>`;
    return `<span class="fb-blocked" title="${escapeHtml(`not embedded: ${href}`)}">[image${alt ? `: ${escapeHtml(alt)}` : ""} (external, not loaded)]</span>`;
  }

  private uniqueId(text: string): string {
    const base = `s-${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "") || "section"}`;
    const n = (this.ids.get(base) ?? 0) + 1;
    this.ids.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }
}

/**
 * The link target kept in a report: http(s), mailto and in-page fragments; null for anything
 * else (javascript:, data:, relative paths that would not resolve next to the report).
 *
 * @example
 * safeHref("javascript:alert(1)"); // null
 * safeHref("https://doc.rust-lang.org/std/"); // "https://doc.rust-lang.org/std/"
 */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (h.startsWith("#")) return h;
  return /^(https?:\/\/|mailto:)/i.test(h) ? h : null;
}
