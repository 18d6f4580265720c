// The report's trust policy. A notebook is untrusted input: anyone can write any output into it,
// including something that looks like flamebook's. So no script from the notebook ever runs.
//
// 1. flamebook flamegraph outputs (recognised by shape in flame-fragment.ts): only their JSON data
//    block is kept, re-serialised; the report's own single copy of the renderer mounts it.
// 2. Any other `text/html` output (tables, verdicts, experiment cards, anything) travels as an inert
//    JSON string. In the browser, the report's sanitiser script parses it with DOMParser (an inert
//    document: nothing loads, nothing runs) and rebuilds an allow-listed copy with createElement and
//    createTextNode: formatting and table elements only; attributes limited to a short list; no
//    id/class (no spoofing of the report's own UI); inline `style` only without url()/@import/
//    position; links only http(s)/mailto/#; images only from data:image URIs. Everything else is
//    dropped (script, style, iframe, form, svg, …) or unwrapped (unknown elements keep their text).
//    Until it runs, without JavaScript, and when nothing visible is left (an output that needs its
//    own scripts), the output's `text/plain` form is shown.
// 3. Markdown is rendered on the server with raw HTML shown as text (markdown.ts).
// 4. Images (`image/png`, `image/jpeg`, `image/svg+xml`) are <img> data URIs: an SVG drawn as an
//    image runs no script and loads nothing.
// 5. Defence in depth: a Content-Security-Policy meta with default-src 'none', scripts allowed only
//    by the SHA-256 of the report's own two scripts, images only from data:.
import { createHash } from "node:crypto";
import { scriptJson } from "../render/flame-html.js";

/** The type of the inert data blocks that carry untrusted HTML. */
export const UNTRUSTED_HTML_TYPE = "application/vnd.flamebook.report.untrusted-html+json";

/**
 * A placeholder showing `fallback` (already HTML) followed by the untrusted HTML as inert JSON,
 * for {@link SANITIZER_SCRIPT} to replace with an allow-listed copy.
 *
 * @example
 * untrustedHtml("<table>…</table>", "<pre>a  b</pre>");
 */
export function untrustedHtml(html: string, fallback: string): string {
  return `<div class="fb-html">${fallback}</div><script type="${UNTRUSTED_HTML_TYPE}">${scriptJson(renameHandlers(html))}</script>`;
}

/**
 * Renames `on…=` attributes in tag-looking text to `data-blocked-on…=`. Not a security measure (the
 * allow-list drops every on* attribute, and the CSP would block them): Chromium reports a CSP
 * violation on the console as soon as any document, even DOMParser's inert one, parses an event
 * handler attribute, and a report's console should stay quiet. A tag this regex misreads only
 * brings that console message back.
 *
 * @example
 * renameHandlers('<img src=x onerror="alert(1)">'); // '<img src=x data-blocked-onerror="alert(1)">'
 */
export function renameHandlers(html: string): string {
  return html.replace(/<[A-Za-z][^>]*>/g, (tag) => tag.replace(/([\s"'/])on([A-Za-z]+\s*=)/g, "$1data-blocked-on$2"));
}

/**
 * The SHA-256 CSP source of a script's text (`'sha256-…'`).
 *
 * @example
 * cspHash("console.log(1)"); // "'sha256-…='"
 */
export function cspHash(script: string): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

/**
 * The Content-Security-Policy of a report: nothing from the network, scripts only by hash, inline
 * styles (the renderer and notebook outputs use them), images from data: URIs.
 *
 * @example
 * contentSecurityPolicy([script]); // "default-src 'none'; script-src 'sha256-…'; …"
 */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  const hashes = scripts.map(cspHash);
  return [
    "default-src 'none'",
    `script-src ${hashes.length ? hashes.join(" ") : "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/**
 * The browser side of policy 2: a classic script (plain ES2017, no dependencies) that replaces
 * every untrusted-HTML placeholder with its allow-listed rebuild. Kept as text here because it
 * runs in the page, not in Node.
 */
export const SANITIZER_SCRIPT = `(function () {
  "use strict";
  var KEEP = "a abbr b blockquote br caption code col colgroup dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead tr u ul var".split(" ");
  var DROP = "script style iframe frame frameset object embed applet template noscript noembed noframes link meta base form input button select textarea option optgroup svg math audio video source track canvas title head xmp plaintext portal dialog".split(" ");
  var ATTRS = "title alt colspan rowspan align valign width height open start reversed span scope lang dir style href src".split(" ");
  var XHTML = "http://www.w3.org/1999/xhtml";
  var BAD_STYLE = /url\\s*\\(|image-set|@import|expression|behavior|binding|position|\\\\/i;
  function keepAttr(tag, name, value) {
    if (ATTRS.indexOf(name) < 0) return false;
    if (name === "href") return tag === "a" && /^\\s*(https?:\\/\\/|mailto:|#)/i.test(value);
    if (name === "src") return tag === "img" && /^data:image\\/(png|jpeg|gif|webp|svg\\+xml)[;,]/i.test(value);
    if (name === "style") return !BAD_STYLE.test(value);
    return true;
  }
  function rebuild(from, into) {
    for (var n = from.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) { into.appendChild(document.createTextNode(n.data)); continue; }
      if (n.nodeType !== 1) continue;
      var tag = n.localName;
      if (n.namespaceURI !== XHTML || DROP.indexOf(tag) >= 0) continue;
      if (KEEP.indexOf(tag) < 0) { rebuild(n, into); continue; }
      if (tag === "img" && !keepAttr("img", "src", n.getAttribute("src") || "")) {
        into.appendChild(document.createTextNode("[image not loaded" + (n.getAttribute("alt") ? ": " + n.getAttribute("alt") : "") + "]"));
        continue;
      }
      var el = document.createElement(tag);
      for (var i = 0; i < n.attributes.length; i++) {
        var a = n.attributes[i];
        if (!a.namespaceURI && keepAttr(tag, a.name, a.value)) el.setAttribute(a.name, a.value);
      }
      if (tag === "a" && el.hasAttribute("href")) { el.setAttribute("rel", "noopener noreferrer"); el.setAttribute("target", "_blank"); }
      rebuild(n, el);
      into.appendChild(el);
    }
  }
  var blocks = document.querySelectorAll('script[type="${UNTRUSTED_HTML_TYPE}"]');
  for (var i = 0; i < blocks.length; i++) {
    var holder = blocks[i].previousElementSibling;
    if (!holder || holder.className !== "fb-html") continue;
    try {
      var doc = new DOMParser().parseFromString(JSON.parse(blocks[i].textContent), "text/html");
      var out = document.createDocumentFragment();
      rebuild(doc.body, out);
      if (!out.textContent.trim() && !out.querySelector("img")) {
        // Nothing left to show (an output that needs its scripts): keep the text/plain form.
        holder.setAttribute("title", "this HTML output needs scripts, which a report does not run; its text form is shown");
        continue;
      }
      holder.replaceChildren(out);
      holder.classList.add("fb-html-ready");
    } catch (e) {
      holder.setAttribute("title", "could not show this output's HTML: " + e);
    }
  }
})();`;
