// Bundles the widget front end (widgets/) with esbuild into three files, all minified, d3 included:
//   anywidget.js        ES module, `export default { render }`: the `_esm` the kernel sends to anywidget.
//   jupyter-widgets.js  AMD module "flamebook" depending on "@jupyter-widgets/base" (not bundled):
//                       for the classic notebook, html-manager's requirejs loader and exported pages.
//   standalone.js       classic script defining `window.flamebook` and mounting flamegraph blocks:
//                       the text/html output, `flamebook open` pages and reports.
// Called by scripts/build.mjs; usable alone: node scripts/build-widgets.mjs <outDir>
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the three widget bundles into `outDir`; returns their sizes in bytes.
 *
 * @example await bundleWidgets("dist/widgets") // { "anywidget.js": 98304, … }
 */
export async function bundleWidgets(outDir) {
  const esbuild = await import("esbuild");
  const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  await mkdir(outDir, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    write: false,
    target: ["es2020", "chrome90", "firefox90", "safari15"],
    define: { __FLAMEBOOK_VERSION__: JSON.stringify(version) },
    legalComments: "none",
    logLevel: "silent",
  };
  const jobs = {
    "anywidget.js": { entryPoints: [join(root, "widgets/hosts/anywidget.ts")], format: "esm" },
    "standalone.js": { entryPoints: [join(root, "widgets/hosts/standalone.ts")], format: "iife" },
    "jupyter-widgets.js": { entryPoints: [join(root, "widgets/hosts/jupyter-widgets.ts")], format: "cjs", external: ["@jupyter-widgets/base"] },
  };
  const sizes = {};
  for (const [name, opts] of Object.entries(jobs)) {
    const result = await esbuild.build({ ...common, ...opts });
    let text = result.outputFiles[0].text;
    if (name === "jupyter-widgets.js") {
      // CommonJS inside an AMD factory: requirejs hands the factory its own `require`, which
      // returns "@jupyter-widgets/base" synchronously because it is a declared dependency.
      text = `define("flamebook",["require","exports","module","@jupyter-widgets/base"],function(require,exports,module){${text}\n});\n`;
    }
    // The bundles end up inside <script> elements: no literal "</script" may appear in them.
    text = text.replace(/<\/(script)/gi, "<\\/$1");
    await writeFile(join(outDir, name), text);
    sizes[name] = Buffer.byteLength(text);
  }
  return sizes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = await bundleWidgets(process.argv[2] ?? join(root, "dist/widgets"));
  for (const [name, size] of Object.entries(sizes)) console.log(`${name} ${(size / 1024).toFixed(1)} KiB`);
}
