// The renderer's bundle: small, d3 included, and no value imported from src/ but the three pure
// rule sets both sides share (src/model/flame-options.ts: the display options' defaults and
// checks; frame-category.ts: the kinds of code; format-weight.ts: weights as text); types only otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";

const ENTRY = new URL("../../../widgets/core/index.ts", import.meta.url).pathname;

test("widgets/core bundle: under 150 KB minified with d3, nothing from src/ at run time but the shared rules", async (t) => {
  const out = await build({ entryPoints: [ENTRY], bundle: true, minify: true, format: "esm", write: false, metafile: true, logLevel: "silent" });
  const bytes = out.outputFiles[0]!.contents.length;
  t.diagnostic(`widgets/core/index.ts: ${(bytes / 1024).toFixed(1)} KB minified (esm, d3 included)`);
  assert.ok(bytes < 150 * 1024, `${bytes} bytes`);
  const inputs = Object.keys(out.metafile.inputs);
  assert.deepEqual(inputs.filter((p) => /(^|\/)src\//.test(p)).sort(), ["src/model/format-weight.ts", "src/model/frame-category.ts", "src/model/flame-options.ts"].sort(), "widgets import only types from src/model, and the shared rules: the options' defaults, the kinds of code, the weight formats");
  assert.ok(inputs.some((p) => p.includes("d3-interpolate")), "d3 is bundled");
  assert.doesNotMatch(out.outputFiles[0]!.text, /innerHTML|insertAdjacentHTML|outerHTML\s*=/, "names never go through HTML parsing");
});
