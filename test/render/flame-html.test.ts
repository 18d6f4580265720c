import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { flameTree, openProfile, ProfileBuilder } from "../../src/internals.js";
import { escapeHtml, flameHtml, flamePage, scriptJson, STILL_NOTE } from "../../src/render/flame-html.js";
import { ANYWIDGET_VERSION, flameWidgetState, widgetStateJson } from "../../src/render/flame-widget-state.js";
import { flameBundle } from "../../src/render/flame-bundle.js";
import { widgetAsset } from "../../src/render/widget-assets.js";
import { base64Bytes, unpackFlameTree } from "../../widgets/wire/unpack.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;
const require = createRequire(import.meta.url);

/** A tree whose frame names try to break out of HTML, script and JSON. */
function evilTree() {
  const b = new ProfileBuilder({ format: "test" });
  let s = -1;
  for (const n of ["main", `<img src=x onerror="window.__pwned=1">`, `</script><script>window.__pwned=2</script>`, "a\u2028b", `"quoted" & 'apos'`]) s = b.stack(s, b.frame(n, "m"));
  b.sample(s, b.thread("t", 1, 1), b.event("samples"), NaN, 1);
  return flameTree(b.finish(), { title: "<b>title</b>" });
}

test("build: the widget bundles exist for the tests below", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("scriptJson: nothing in the JSON can end a script element", () => {
  const s = scriptJson({ a: "</script><!-- \u2028 & >" });
  assert.doesNotMatch(s, /<|>|&|\u2028/);
  assert.deepEqual(JSON.parse(s), { a: "</script><!-- \u2028 & >" });
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

test("flameHtml: hostile frame names stay inside the data block", async () => {
  const tree = evilTree();
  const html = flameHtml(tree);
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, ['<script type="application/vnd.flamebook.flametree+json">', "<script>"], "exactly our two script elements");
  const data = html.match(/<script type="application\/vnd.flamebook.flametree\+json">([^<]*)<\/script>/);
  assert.ok(data, "the data block has no '<' inside");
  const block = JSON.parse(data[1]!) as { header: Parameters<typeof unpackFlameTree>[0]; data: string };
  const back = await unpackFlameTree(block.header, base64Bytes(block.data));
  assert.deepEqual(back.strings, tree.strings);
  assert.ok(html.includes(widgetAsset("standalone.js")), "the renderer is inlined: no CDN, no server");
  const urls = [...html.matchAll(/https?:\/\/[^"'\s)]*/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(urls)], ["http://www.w3.org/2000/svg"], "no URL but the SVG namespace name: nothing to fetch");
});

test("flamePage: several graphs share one copy of the renderer", async () => {
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const page = flamePage([{ tree, heading: "one" }, { tree, heading: "two" }, { tree: evilTree() }], { title: "a <page>" });
  const bundle = widgetAsset("standalone.js");
  assert.equal(page.split(bundle).length - 1, 1);
  assert.equal(page.match(/data-flamebook /g)?.length, 3);
  assert.match(page, /<title>a &lt;page&gt;<\/title>/);
});

test("flameWidgetState: the anywidget state carries our ESM and the tree as a binary buffer", async () => {
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const { state, buffers, bufferPaths } = flameWidgetState(tree, { options: { layout: "icicle" } });
  assert.equal(state["_model_module"], "anywidget");
  assert.equal(state["_view_name"], "AnyView");
  assert.equal(state["_model_module_version"], ANYWIDGET_VERSION, "the default range (a kernel passes the one it found)");
  assert.equal(flameWidgetState(tree, { anywidgetVersion: "~0.11.*" }).state["_view_module_version"], "~0.11.*");
  const esm = String(state["_esm"]);
  assert.match(esm, /^export default mod\.default;$/m, "anywidget imports the module's default export");
  // No < > &: exported notebooks HTML-escape widget state (nbconvert 6, jupyter/nbconvert#1900).
  assert.doesNotMatch(esm, /[<>&]/);
  const inside = Buffer.from(/var code = "([A-Za-z0-9+/=]+)";/.exec(esm)![1]!, "base64").toString("utf8");
  assert.equal(inside, widgetAsset("anywidget.js"), "the loader carries the renderer module byte for byte");
  assert.equal(state["tree"], null, "binary values travel as buffers");
  assert.deepEqual(bufferPaths, [["tree"]]);
  assert.equal((state["options"] as { layout: string }).layout, "icicle");
  const back = await unpackFlameTree(state["tree_header"] as Parameters<typeof unpackFlameTree>[0], buffers[0]!);
  assert.deepEqual(back.nodes.total, tree.nodes.total);
  const own = flameWidgetState(tree, { host: "flamebook" }).state;
  const { version } = require("../../package.json") as { version: string };
  assert.equal(own["_model_module"], "flamebook");
  assert.equal(own["_view_module_version"], `^${version}`);
  assert.equal(own["_esm"], undefined);
});

test("widgetStateJson: valid against the ipywidgets widget-state schema (v2)", async () => {
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const saved = widgetStateJson({ m1: flameWidgetState(tree, { host: "flamebook" }) });
  const Ajv = require("ajv") as new () => { compile(schema: unknown): ((d: unknown) => boolean) & { errors?: unknown } };
  const validate = new Ajv().compile(require("@jupyter-widgets/schema").v2.state);
  assert.ok(validate(saved), JSON.stringify(validate.errors));
  const m = saved.state["m1"] as { buffers: { path: string[]; data: string }[] };
  assert.deepEqual(m.buffers[0]!.path, ["tree"]);
});

test("flameHtml: the mount point holds the static picture, which JupyterLab's sanitiser keeps", async () => {
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const bundle = flameBundle(tree, { options: { layout: "icicle" } });
  const html = String(bundle["text/html"]);
  const img = /<div class="flamebook" data-flamebook style="min-height:\d+px"><img alt="flamegraph: clone-in-loop\.before\.perf\.txt" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/]+={0,2})" style="max-width:100%;height:auto">/.exec(html);
  assert.ok(img, "an <img> of the SVG first thing in the mount point");
  assert.equal(Buffer.from(img[1]!, "base64").toString("utf8"), bundle["image/svg+xml"], "the picture is the image/svg+xml part, icicle layout included");
  assert.ok(html.includes(`<p style="margin:4px 0;font-size:12px;opacity:0.7">${escapeHtml(STILL_NOTE)}</p></div>`), "the note says why it is still");
  assert.match(flameHtml(evilTree()), /<img alt="flamegraph: &lt;b&gt;title&lt;\/b&gt;" src=/, "the title is escaped in alt");
  assert.match(flameHtml(tree, { still: null }), /data-flamebook style="min-height:\d+px"><\/div><script /, "still: null leaves the mount point empty");
  // An untrusted notebook in JupyterLab renders text/html through this sanitiser: the scripts go, the picture stays.
  const { Sanitizer } = await import("@jupyterlab/apputils/lib/sanitizer.js");
  const clean = new Sanitizer().sanitize(html);
  assert.doesNotMatch(clean, /<script|flametree/, "no script and no data left");
  assert.equal(/<img [^>]*src="data:image\/svg\+xml;base64,([^"]+)"/.exec(clean)?.[1], img[1], "the picture survives whole");
  assert.ok(clean.includes(STILL_NOTE));
});

test("flameBundle: html, svg and text always; the widget view only with a model id", async () => {
  const tree = flameTree(await openProfile(fixture("clone-in-loop.before.perf.txt")));
  const plain = flameBundle(tree);
  assert.deepEqual(Object.keys(plain).sort(), ["image/svg+xml", "text/html", "text/plain"]);
  assert.match(String(plain["image/svg+xml"]), /^<svg|^<\?xml/);
  const live = flameBundle(tree, { modelId: "abc" });
  assert.deepEqual(live["application/vnd.jupyter.widget-view+json"], { version_major: 2, version_minor: 1, model_id: "abc" });
});

test("DEFAULT_FLAME_OPTIONS: the kernel side and the widget start from the same options", async () => {
  const { DEFAULT_FLAME_OPTIONS } = await import("../../src/model/flame-tree.js");
  const { withDefaults } = await import("../../widgets/hosts/defaults.js");
  assert.deepEqual(withDefaults(undefined), DEFAULT_FLAME_OPTIONS);
  assert.deepEqual(withDefaults({}), DEFAULT_FLAME_OPTIONS);
});
