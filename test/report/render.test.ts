// renderReport / readReportNotebook / the report CLI: the HTML itself (no browser).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FormatError, readReportNotebook, renderReport, writeReport } from "../../src/internals.js";
import { widgetAsset } from "../../src/render/widget-assets.js";
import { flameFragment } from "../../src/report/flame-fragment.js";
import { MarkdownRenderer, safeHref } from "../../src/report/markdown.js";
import { ansiToHtml, stripAnsi } from "../../src/report/ansi.js";
import { renameHandlers } from "../../src/report/sanitize.js";
import { highlight } from "../../src/report/highlight.js";
import { overwriteCarriageReturns } from "../../src/report/outputs.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { HOSTILE_HTML, reportNotebook } from "./notebook-fixture.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));

async function report(): Promise<{ html: string; verdictText: string }> {
  const { notebook, verdictText } = await reportNotebook();
  return { html: renderReport(readReportNotebook(JSON.stringify(notebook), "wordfreq.ipynb"), { source: "wordfreq.ipynb" }), verdictText };
}

/** Executable scripts: <script> elements without a type (or a JavaScript type). */
const executableScripts = (html: string) => [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)].filter((m) => !/type=/.test(m[1] ?? ""));

test("build: the widget bundles exist for the tests below", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("renderReport: one shared renderer for three flamegraphs, one sanitiser, nothing else executable", async () => {
  const { html } = await report();
  const scripts = executableScripts(html);
  assert.equal(scripts.length, 2, "the sanitiser and the renderer");
  const renderer = widgetAsset("standalone.js");
  assert.equal(html.split(renderer).length - 1, 1, "the renderer is included once");
  assert.equal(html.match(/<div class="flamebook" data-flamebook /g)?.length, 3, "three flamegraph mount points");
  assert.equal(html.match(/type="application\/vnd\.flamebook\.flametree\+json"/g)?.length, 3);
  console.log(`# report with 3 flamegraphs: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB (renderer ${(Buffer.byteLength(renderer) / 1024).toFixed(1)} KiB)`);
  assert.ok(Buffer.byteLength(html) < renderer.length + 120_000, "no per-graph copy of the renderer");
});

test("renderReport: a strict CSP that allows exactly the report's scripts by hash, and no network", async () => {
  const { html } = await report();
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(csp, "CSP meta present");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /img-src data:/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, "no inline script by default");
  const hashes = [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
  const { createHash } = await import("node:crypto");
  const expected = executableScripts(html).map((m) => createHash("sha256").update(m[2]!).digest("base64"));
  assert.deepEqual(hashes, expected, "each executable script is allowed by its own hash, nothing else");
  assert.ok(html.indexOf("Content-Security-Policy") < html.indexOf("<style>"), "the CSP comes before anything it governs");
});

test("renderReport: no resource reference to the network", async () => {
  const { html } = await report();
  // The markup outside script elements (whose contents are code or inert JSON, never parsed as tags).
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, "$1</script>");
  const tags = [...markup.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
  assert.ok(tags.length > 100);
  for (const tag of tags) {
    assert.doesNotMatch(tag, /^<(link|base|iframe|frame|object|embed|audio|video|source|form)\b/i, tag);
    assert.doesNotMatch(tag, /\s(src|srcset|poster|data|action|background)\s*=\s*["']?(?!data:)/i, `only data: sources: ${tag.slice(0, 120)}`);
    assert.doesNotMatch(tag, /url\(|@import/i, tag);
    const href = /\shref="([^"]*)"/.exec(tag)?.[1];
    if (href !== undefined) assert.match(href, /^(#|https:\/\/doc\.rust-lang\.org\/)/, `links only in-page or to the markdown's own link: ${tag}`);
  }
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.doesNotMatch(css, /url\(|@import|https?:/);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!;
  assert.doesNotMatch(csp, /https?:|\*/);
});

test("renderReport: markdown is escaped, headings get ids and a table of contents, the title is the first # heading", async () => {
  const { html, verdictText } = await report();
  assert.match(html, /<title>Wordfreq: clone in loop<\/title>/);
  assert.equal(html.match(/<h1\b/g)?.length, 1, "the title heading is not repeated below the header");
  assert.match(html, /<nav class="fb-toc"[\s\S]*href="#s-before"[\s\S]*href="#s-hostile-content"/);
  assert.match(html, /<h2 id="s-diff-and-verdict">/);
  assert.ok(html.includes("&lt;script&gt;window.__pwned = &#39;md-inline&#39;&lt;/script&gt;"), "inline script shown as text");
  assert.ok(html.includes("<b>bold</b>"), "attribute-less inline tags are kept");
  assert.doesNotMatch(html, /<script>window/);
  assert.doesNotMatch(html, /<img src="?http/);
  assert.doesNotMatch(html, /href="javascript:/i);
  assert.match(html, /\[image: remote \(external, not loaded\)\]/);
  assert.ok(html.includes(verdictText.replace(/&/g, "&amp;").slice(0, 40)) || html.includes(JSON.stringify(verdictText).slice(1, 40)), "the verdict text is in the page");
});

test("renderReport: code, streams, errors, execute_result prompts and header facts", async () => {
  const { html } = await report();
  assert.match(html, /<pre class="fb-source">.*<span class="tok-keyword">import<\/span>/);
  assert.match(html, /<span class="tok-comment">\/\/ the baseline<\/span>/);
  assert.match(html, /<pre class="fb-stream fb-stdout">loading before.perf.txt\n<span class="ansi-fg2">ok<\/span> 2558 samples\n<\/pre>/, "stream lines joined, ANSI green");
  assert.match(html, /<pre class="fb-stream fb-stderr">warning: about to fail/);
  assert.match(html, /<div class="fb-error" role="alert"><div class="fb-ename"><b>Error<\/b>: boom &lt;b&gt;<\/div><pre class="fb-traceback"><span class="ansi-fg1">Error<\/span>: boom &lt;b&gt;\n    at &lt;anonymous&gt;:1:7<\/pre>/);
  assert.match(html, /Out \[4\]/);
  assert.match(html, /<dt>kernel<\/dt><dd>flamebook \(TypeScript\)<\/dd>/);
  assert.match(html, /<dt>executed<\/dt><dd>2026-12-01 10:00 UTC<\/dd>/);
  assert.match(html, /<dt>cells<\/dt><dd>11 \(7 code, 1 with errors\)<\/dd>/);
  assert.doesNotMatch(html, /\x1b/, "no raw escape codes");
});

test("renderReport: untrusted HTML travels inert, with handlers renamed and its text/plain shown until sanitised", async () => {
  const { html } = await report();
  const blocks = [...html.matchAll(/<div class="fb-html">([\s\S]*?)<\/div><script type="application\/vnd\.flamebook\.report\.untrusted-html\+json">([^<]*)<\/script>/g)];
  assert.equal(blocks.length, 4, "verdict, table, the hostile output and the script-only one");
  const hostile = blocks.find((b) => JSON.parse(b[2]!).includes("kept text"))!;
  assert.equal(hostile[1], '<pre class="fb-text">untrusted html</pre>');
  assert.equal(JSON.parse(hostile[2]!), renameHandlers(HOSTILE_HTML));
  assert.doesNotMatch(JSON.parse(hostile[2]!) as string, /\sonerror=/);
});

test("renderReport: a notebook without flamegraphs or HTML outputs has no script at all", () => {
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", source: ["## only\n", "text"], metadata: {} }, { cell_type: "code", source: "1+1", outputs: [{ output_type: "execute_result", data: { "text/plain": ["2"] }, metadata: {}, execution_count: 1 }], execution_count: 1, metadata: {} }] };
  const html = renderReport(readReportNotebook(JSON.stringify(nb)), { source: "tiny.ipynb", date: new Date("2026-01-02T03:04:05Z") });
  assert.equal(executableScripts(html).length, 0);
  assert.match(html, /script-src 'none'/);
  assert.match(html, /<title>tiny\.ipynb<\/title>/, "no # heading: the source names the page");
  assert.match(html, /<dt>date<\/dt><dd>2026-01-02 03:04 UTC<\/dd>/, "no execution timestamps: the given date");
  assert.match(html, /<pre class="fb-text">2<\/pre>/);
  assert.ok(Buffer.byteLength(html) < 12_000, `small: ${Buffer.byteLength(html)} bytes`);
});

test("renderReport: a flamebook widget view is drawn from the saved widget state (the reader's last options), else from its text/html", async () => {
  const { notebook } = await reportNotebook();
  const blocks = (html: string) => [...html.matchAll(/type="application\/vnd\.flamebook\.flametree\+json">([^<]*)</g)].map((m) => JSON.parse(m[1]!) as { options: { search?: string } });
  const withState = blocks(renderReport(readReportNotebook(JSON.stringify(notebook))));
  assert.equal(withState.length, 3);
  assert.equal(withState[2]!.options.search, "to_string", "the diff comes from the saved state");
  assert.equal(withState[0]!.options.search, "", "plain outputs from their text/html");
  const { widgets: _, ...metadata } = notebook["metadata"] as Record<string, unknown>;
  const without = blocks(renderReport(readReportNotebook(JSON.stringify({ ...notebook, metadata }))));
  assert.equal(without.length, 3);
  assert.equal(without[2]!.options.search, "", "no saved state: the text/html fallback");
});

test("renderData: an unrecognised flamegraph falls back to its SVG picture; script-only HTML keeps its text", async () => {
  const { notebook } = await reportNotebook();
  const cells = notebook["cells"] as { outputs?: { data?: Record<string, unknown> }[] }[];
  const data = { ...cells[1]!.outputs![1]!.data! };
  data["text/html"] = (data["text/html"] as string[]).join("").replace('style="min-height', 'data-v="2" style="min-height');
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: "", outputs: [{ output_type: "display_data", data, metadata: {} }], execution_count: 1, metadata: {} }] };
  const html = renderReport(readReportNotebook(JSON.stringify(nb)));
  assert.match(html, /<img class="fb-image" alt="SVG output" src="data:image\/svg\+xml;base64,/);
  assert.equal(executableScripts(html).length, 0, "neither the renderer nor the sanitiser is needed");
});

test("renderData: text/markdown outputs are rendered like markdown cells and join the contents", () => {
  const nb = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: "markdown", source: "## First", metadata: {} },
      { cell_type: "code", source: "display.markdown(x)", execution_count: 1, metadata: {}, outputs: [{ output_type: "display_data", metadata: {}, data: { "text/markdown": ["## Generated *section*\n", "<img src=http://x>"], "text/plain": "md" } }] },
    ],
  };
  const html = renderReport(readReportNotebook(JSON.stringify(nb)));
  assert.match(html, /<div class="fb-markdown"><h2 id="s-generated-section">Generated <em>section<\/em>/);
  assert.match(html, /<li class="d2"><a href="#s-generated-section">Generated <em>section<\/em><\/a><\/li>/);
  assert.match(html, /&lt;img src=http:\/\/x&gt;/);
});

test("flameFragment: a notebook cannot ask for an unbounded canvas", async () => {
  const { notebook } = await reportNotebook();
  const cells = notebook["cells"] as { outputs?: { data?: Record<string, unknown> }[] }[];
  const real = (cells[1]!.outputs![1]!.data!["text/html"] as string[]).join("");
  assert.match(real, /"height":420\b/);
  const huge = real.replace(/"height":420\b/, '"height":1e9').replace(/min-height:\d+px/, "min-height:99999px");
  const f = flameFragment(huge)!;
  assert.equal(f.minHeight, 4060);
  assert.equal((JSON.parse(f.json) as { options: { height: number } }).options.height, 4000);
});

test("flameFragment: only flamebook's exact output shape with a well-formed data block is recognised", async () => {
  const { notebook } = await reportNotebook();
  const cells = notebook["cells"] as { outputs?: { data?: Record<string, unknown> }[] }[];
  const real = (cells[1]!.outputs![1]!.data!["text/html"] as string[]).join("");
  const f = flameFragment(real);
  assert.ok(f);
  assert.equal(f.title, "before");
  assert.equal(flameFragment(real.replace('<div class="flamebook-output">', '<div class="flamebook-output"><img src=x>')), null, "extra markup: not ours");
  assert.match(real, /data-flamebook style="min-height:\d+px"><img alt="[^"]*" src="data:image\/svg\+xml;base64,/, "the output holds its static picture");
  const bare = real.replace(/(data-flamebook style="min-height:\d+px")>[^]*?<\/div>/, "$1></div>");
  assert.notEqual(bare, real);
  assert.equal(flameFragment(bare)?.title, "before", "an output from before the static picture is still ours");
  assert.equal(flameFragment(real.replace(/<img alt="[^"]*"/, '<img onerror="alert(1)"')), null, "a changed picture element: not ours");
  assert.equal(flameFragment(real.replace(/base64,[A-Za-z0-9+/]{4}/, 'base64,"><b')), null, "markup smuggled into the picture: not ours");
  assert.equal(flameFragment(real.replace(/("format":")flamebook\.flametree/, "$1other")), null, "bad header");
  assert.equal(flameFragment(real.replace(/"data":"/, '"data":"!!')), null, "bad base64");
  assert.equal(flameFragment("<div>hi</div>"), null);
});

test("MarkdownRenderer: links, images, attachments, unbalanced tags", () => {
  const md = new MarkdownRenderer();
  assert.equal(safeHref("javascript:alert(1)"), null);
  assert.equal(safeHref(" JAVASCRIPT:alert(1)"), null);
  assert.equal(safeHref("https://x.org/a"), "https://x.org/a");
  assert.equal(safeHref("#s-a"), "#s-a");
  const png = "iVBORw0KGgo=";
  const out = md.render("![p](attachment:plot.png) ![d](data:image/png;base64,AAAA) <b>open\n\npara two", { "plot.png": { "image/png": png } });
  assert.match(out, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="p">/);
  assert.match(out, /<img src="data:image\/png;base64,AAAA" alt="d">/);
  assert.match(out, /<b>open<\/b><\/p>\n<p>para two<\/p>/, "an unclosed kept tag is closed with its paragraph");
  assert.equal(md.render("</b> x").trim(), "<p>&lt;/b&gt; x</p>", "an unmatched end tag is text");
  assert.match(md.render("# A\n# A"), /id="s-a-2"/, "ids stay unique across calls");
});

test("ansiToHtml / stripAnsi / highlight / overwriteCarriageReturns", () => {
  assert.equal(ansiToHtml("\x1b[1;31mE\x1b[0m <x>"), '<span class="ansi-fg1 ansi-bold">E</span> &lt;x&gt;');
  assert.equal(ansiToHtml("\x1b[38;5;200mc\x1b[39m\x1b]0;title\x07d"), "cd");
  assert.equal(stripAnsi("\x1b[2K\x1b[1Gdone"), "done");
  assert.equal(highlight('let s = "</script>";'), '<span class="tok-keyword">let</span> s = <span class="tok-string">&quot;&lt;/script&gt;&quot;</span>;');
  assert.equal(overwriteCarriageReturns("10%\r50%\r100%\r\nok"), "100%\nok");
});

test("readReportNotebook: invalid JSON names the file, line, column and the fix", () => {
  const text = '{\n  "nbformat": 4,\n  "cells": [\n    {"cell_type": "code",, }\n  ]\n}';
  assert.throws(
    () => readReportNotebook(text, "broken.ipynb"),
    (e: unknown) => {
      assert.ok(e instanceof FormatError);
      assert.equal(e.line, 4);
      assert.equal(e.source, "broken.ipynb");
      assert.match(e.message, /^flamebook: broken\.ipynb: notebook line 4: expected a property name in double quotes at column 26 \(the file is not valid JSON\)/);
      assert.match(e.message, /Open it in Jupyter and save it again/);
      return true;
    },
  );
});

test("readReportNotebook: nbformat 3 and schema errors are named with the fix", () => {
  assert.throws(() => readReportNotebook('{"nbformat": 3, "worksheets": []}', "old.ipynb"), /old\.ipynb: notebook line 1: expected nbformat to be 4 \(.*convert older ones with `jupyter nbconvert --to notebook`\), got '3'/);
  assert.throws(
    () => readReportNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: "1", outputs: [{ output_type: "stream", name: "stdout" }], execution_count: 1 }] }), "x.ipynb"),
    /x\.ipynb: notebook line 1: expected cells\[0\]\.outputs\[0\]\.text to be a string or a list of strings, got 'nothing/,
  );
  assert.throws(() => readReportNotebook("[1, 2]", "arr.ipynb"), /arr\.ipynb: notebook line 1: expected the document to be a notebook object, got 'an array of 2 items'/);
});

test("writeReport: atomic, leaves no temporary file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-report-"));
  const out = await writeReport(join(dir, "r.html"), "<!doctype html>");
  assert.equal(out, join(dir, "r.html"));
  assert.deepEqual(readdirSync(dir), ["r.html"]);
  // Parent directories are made; a path under a file fails, names it, and leaves nothing.
  assert.equal(await writeReport(join(dir, "sub", "r.html"), "x"), join(dir, "sub", "r.html"));
  await assert.rejects(writeReport(join(dir, "r.html", "x.html"), "x"), /flamebook: cannot write .*r\.html\/x\.html/);
  assert.deepEqual(readdirSync(dir).sort(), ["r.html", "sub"]);
});

const cli = (args: string[]) => spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), ...args], { encoding: "utf8", maxBuffer: 64 << 20 });

test("flamebook report NB -o OUT: writes the page and prints its path; a broken notebook is one clear line and writes nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-report-"));
  const { notebook } = await reportNotebook();
  const nb = join(dir, "run.ipynb");
  writeFileSync(nb, JSON.stringify(notebook, null, 1));
  const out = join(dir, "report.html");
  const r = cli(["report", nb, "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${out}\n`);
  assert.match(readFileSync(out, "utf8"), /^<!doctype html>[\s\S]*<title>Wordfreq: clone in loop<\/title>/);
  const bad = join(dir, "bad.ipynb");
  writeFileSync(bad, '{"nbformat": 4,\n "cells": [}');
  const r2 = cli(["report", bad, "-o", join(dir, "bad.html")]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /bad\.ipynb: notebook line 2: expected .* at column 12 \(the file is not valid JSON\)/);
  assert.doesNotMatch(r2.stderr, /\n\s+at /, "no stack trace");
  assert.deepEqual(readdirSync(dir).sort(), ["bad.ipynb", "report.html", "run.ipynb"]);
});
