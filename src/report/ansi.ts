// ANSI escape sequences (ECMA-48) in tracebacks and streams: SGR colours become classed spans,
// everything else (cursor moves, OSC titles and links) is dropped. The text is HTML-escaped.
import { escapeHtml } from "../render/flame-html.js";

// CSI sequences, OSC sequences (ended by BEL or ST), and lone two-byte escapes.
const ESCAPES = /\x1b\[([0-9;?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

interface Style {
  fg: number | null;
  bg: number | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

const plain = (): Style => ({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });

/** Applies one SGR parameter list to a style (16 colours; 256/true colours are dropped to default). */
function applySgr(s: Style, params: string): void {
  const codes = params === "" ? [0] : params.split(";").map((p) => (p === "" ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) Object.assign(s, plain());
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) s.bold = s.dim = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c === 39) s.fg = null;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 49) s.bg = null;
    else if (c === 38 || c === 48) {
      // 38;5;n or 38;2;r;g;b: skip the arguments, keep the default colour.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    }
  }
}

function classes(s: Style): string {
  const c: string[] = [];
  if (s.fg !== null) c.push(`ansi-fg${s.fg}`);
  if (s.bg !== null) c.push(`ansi-bg${s.bg}`);
  if (s.bold) c.push("ansi-bold");
  if (s.dim) c.push("ansi-dim");
  if (s.italic) c.push("ansi-italic");
  if (s.underline) c.push("ansi-underline");
  return c.join(" ");
}

/**
 * Terminal text as HTML: escaped, with SGR colours and bold/italic/underline as `ansi-*` classed
 * spans (the page's stylesheet gives the 16 colours for light and dark), other escapes removed.
 *
 * @example
 * ansiToHtml("\x1b[31mError\x1b[0m: <x>"); // '<span class="ansi-fg1">Error</span>: &lt;x&gt;'
 */
export function ansiToHtml(text: string): string {
  const style = plain();
  let out = "";
  let last = 0;
  const emit = (chunk: string) => {
    if (chunk === "") return;
    const cls = classes(style);
    out += cls ? `<span class="${cls}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (const m of text.matchAll(ESCAPES)) {
    emit(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === "m") applySgr(style, m[1] ?? "");
  }
  emit(text.slice(last));
  return out;
}

/**
 * Terminal text without any escape sequence.
 *
 * @example
 * stripAnsi("\x1b[1mbold\x1b[0m"); // "bold"
 */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, "");
}
