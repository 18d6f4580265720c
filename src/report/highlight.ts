// Light syntax highlighting of code cells (TypeScript/JavaScript, which flamebook notebooks hold):
// comments, strings and template literals, numbers and keywords. One regex pass; the text is
// escaped and every token stays its own text, so nothing from the source becomes markup.
import { escapeHtml } from "../render/flame-html.js";

const KEYWORDS = new Set(
  "as async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof let new null of return static super switch this throw true try type typeof undefined var void while yield interface".split(" "),
);

const TOKEN = /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b)|([A-Za-z_$][\w$]*)/g;

/**
 * Code as HTML with `tok-comment`, `tok-string`, `tok-number` and `tok-keyword` spans.
 *
 * @example
 * highlight('const a = "<b>"; // hi'); // '<span class="tok-keyword">const</span> a = <span class="tok-string">&quot;&lt;b&gt;&quot;</span>; <span class="tok-comment">// hi</span>'
 */
export function highlight(code: string): string {
  let out = "";
  let last = 0;
  for (const m of code.matchAll(TOKEN)) {
    out += escapeHtml(code.slice(last, m.index));
    last = m.index + m[0].length;
    const cls = m[1] ? "comment" : m[2] ? "string" : m[3] ? "number" : KEYWORDS.has(m[4]!) ? "keyword" : null;
    out += cls ? `<span class="tok-${cls}">${escapeHtml(m[0])}</span>` : escapeHtml(m[0]);
  }
  return out + escapeHtml(code.slice(last));
}
