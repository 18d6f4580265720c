// Bundles the JupyterLab page of one test case with esbuild: JupyterLab (page.ts), optionally the
// real @jupyter-widgets/jupyterlab-manager plugins, optionally anywidget's plugin with a given npm
// release; JavaScript and JupyterLab's CSS (fonts and images inlined, so the page fetches nothing
// but its two files and the server's API).
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { npmAnywidgetVersion } from "../../helpers/anywidget-labextension.js";

const here = dirname(fileURLToPath(import.meta.url));

/** What a JupyterLab of one case has installed. */
export interface LabFrontEnd {
  /** ipywidgets' widget manager (the jupyterlab_widgets labextension). */
  manager: boolean;
  /** anywidget's labextension, by npm package ("anywidget" is 0.9.x, "anywidget-0-11" 0.11.x). */
  anywidget?: "anywidget" | "anywidget-0-11";
}

/** CSS written for webpack: `@import url('~pkg/file.css')` means the package `pkg`. */
const tildeImports: Plugin = {
  name: "tilde-imports",
  setup(b) {
    b.onResolve({ filter: /^~/ }, (args) => b.resolve(args.path.slice(1), { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

/** An SVG is text when JavaScript imports it (JupyterLab's icons) and a data: URL inside CSS. */
const svgInCss: Plugin = {
  name: "svg-in-css",
  setup(b) {
    b.onResolve({ filter: /\.svg$/ }, async (args) => {
      if (args.kind !== "url-token") return undefined;
      const r = await b.resolve(args.path, { kind: "import-statement", resolveDir: args.resolveDir });
      return { path: r.path, namespace: "svg-url" };
    });
    b.onLoad({ filter: /.*/, namespace: "svg-url" }, async (args) => ({ contents: await readFile(args.path), loader: "dataurl" }));
  },
};

/**
 * One copy of yjs: some packages `require` it (dist/yjs.cjs) and others `import` it (dist/yjs.mjs);
 * two copies break the notebook model ("Not same Y.Doc"). A real lab's webpack shares one.
 */
const oneYjs: Plugin = {
  name: "one-yjs",
  setup(b) {
    b.onResolve({ filter: /^yjs$/ }, async (args) => {
      if (args.pluginData === "one-yjs") return undefined;
      const r = await b.resolve("yjs", { kind: "import-statement", resolveDir: args.resolveDir, pluginData: "one-yjs" });
      return { path: r.path };
    });
  },
};

/**
 * The page's JavaScript and CSS for a case, and the anywidget version it registers (or null).
 *
 * @example
 * const { js, css } = await bundleLab({ manager: true, anywidget: "anywidget-0-11" });
 */
export async function bundleLab(fe: LabFrontEnd): Promise<{ js: string; css: string; anywidgetVersion: string | null }> {
  const version = fe.anywidget ? npmAnywidgetVersion(fe.anywidget) : null;
  const entry = [
    `import { startLab } from "./page.ts";`,
    fe.manager ? `import manager from "@jupyter-widgets/jupyterlab-manager";` : "",
    fe.anywidget ? `import { anywidgetPlugin } from "./anywidget-plugin.ts";` : "",
    `startLab([${[fe.manager ? "...manager" : "", fe.anywidget ? "anywidgetPlugin" : ""].filter(Boolean).join(", ")}])`,
    `  .catch((e) => { console.error(e); (window as unknown as { labError: string }).labError = String(e && e.stack || e); });`,
  ].join("\n");
  const out = await build({
    stdin: { contents: entry, resolveDir: here, sourcefile: "lab-entry.ts", loader: "ts" },
    bundle: true,
    write: false,
    outdir: "/lab-bundle",
    entryNames: "page",
    format: "iife",
    platform: "browser",
    target: ["chrome110"],
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    alias: fe.anywidget && fe.anywidget !== "anywidget" ? { anywidget: fe.anywidget } : {},
    define: { __ANYWIDGET_VERSION__: JSON.stringify(version ?? ""), "process.env.NODE_ENV": '"production"', global: "globalThis" },
    loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".eot": "dataurl", ".png": "dataurl", ".gif": "dataurl", ".svg": "text", ".md": "text" },
    plugins: [tildeImports, svgInCss, oneYjs],
  });
  const file = (ext: string) => (out.outputFiles ?? []).find((f) => f.path.endsWith(ext))?.text ?? "";
  return { js: file(".js"), css: file(".css"), anywidgetVersion: version };
}
