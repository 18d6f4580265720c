import { widgetAsset } from "./widget-assets.js";

let cached: string | undefined;

/**
 * The `_esm` sent to anywidget: a tiny loader with the renderer module inside as base64, so the
 * text holds no `<`, `>` or `&`. Widget state travels inside an HTML `<script>` tag when a
 * notebook is exported, and nbconvert 6 HTML-escapes it there (jupyter/nbconvert#1900): plain
 * JavaScript with `=>` or `&&` then arrives as `=&gt;` and fails to parse. The loader decodes the
 * bytes (UTF-8 kept), imports them from a blob URL, and re-exports the module's default.
 *
 * @example
 * /[<>&]/.test(anywidgetEsm()); // false
 */
export function anywidgetEsm(): string {
  cached ??= [
    "// flamebook flamegraph widget (the module is base64: exported notebooks escape angle brackets and ampersands in widget state)",
    `var code = "${Buffer.from(widgetAsset("anywidget.js"), "utf8").toString("base64")}";`,
    "var bytes = Uint8Array.from(atob(code), function (c) { return c.charCodeAt(0); });",
    'var url = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));',
    "var mod;",
    "try { mod = await import(url); } finally { URL.revokeObjectURL(url); }",
    "export default mod.default;",
    "",
  ].join("\n");
  return cached;
}
