// A report test notebook built from real flamebook objects: three flamegraphs (two plain, one
// diff), a verdict, an arquero table, markdown with hostile HTML, a stream and an error output.
import { diffFlamegraph, flamegraph, flameWidgetState, functionsTable, mimeBundleOf, openProfile, verdict, widgetStateJson } from "../../src/internals.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;

type Json = Record<string, unknown>;

/** A display_data output of a value, as the flamebook kernel would store it. */
function display(value: unknown, type: "display_data" | "execute_result" = "display_data", n = 1): Json {
  const data = mimeBundleOf(value);
  // nbformat stores text as a list of lines (what Jupyter writes); exercise that form.
  const lines = (s: string) => s.split(/(?<=\n)/);
  const stored = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === "string" ? lines(v) : v]));
  return type === "execute_result" ? { output_type: type, data: stored, metadata: {}, execution_count: n } : { output_type: type, data: stored, metadata: {} };
}

const code = (n: number, source: string, outputs: Json[]): Json => ({
  cell_type: "code",
  execution_count: n,
  source,
  outputs,
  metadata: { execution: { "iopub.execute_input": "2026-12-01T10:00:0" + n + ".000Z", "shell.execute_reply": "2026-12-01T10:00:0" + n + ".500Z" } },
});
const md = (source: string): Json => ({ cell_type: "markdown", source, metadata: {} });

/** The hostile markdown: script, remote image, javascript: link, event handler attribute. */
export const HOSTILE_MARKDOWN = [
  "## Hostile content\n",
  "Inline <script>window.__pwned = 'md-inline'</script> and <img src=http://x/y.png onerror=\"window.__pwned='img'\"> and <b>bold</b>.\n",
  "\n",
  "<div onmouseover=\"window.__pwned='div'\"><script>window.__pwned='md-block'</script></div>\n",
  "\n",
  "[click](javascript:window.__pwned='link') ![remote](https://example.com/a.png)\n",
].join("");

/** Untrusted HTML outputs that try script, network loads and spoofing. */
export const HOSTILE_HTML =
  `<p id="hostile-out">kept text</p><script>window.__pwned='out'</script><img src="http://x/track.gif" onerror="window.__pwned='out-img'">` +
  `<iframe src="https://example.com"></iframe><style>body{display:none}</style><a href="javascript:window.__pwned='a'">bad link</a>` +
  `<div style="background:url(http://x/bg.png)">styled</div><svg><script>window.__pwned='svg'</script></svg>` +
  `<form action="http://x"><input name=q></form><table><tr><td style="color: red">cell</td></tr></table>`;

/** An output that is nothing without its own script (a plotting library's, say). */
export const SCRIPT_ONLY_HTML = `<div id="plot"></div><script>document.getElementById("plot").textContent = "drawn"</script>`;

/**
 * The notebook (nbformat 4 JSON object) and what it contains.
 *
 * @example
 * const { notebook } = await reportNotebook();
 */
export async function reportNotebook(): Promise<{ notebook: Json; verdictText: string; frameName: string }> {
  const before = await openProfile(fixture("clone-in-loop.before.perf.txt"));
  const after = await openProfile(fixture("clone-in-loop.after.perf.txt"));
  const v = verdict([102, 101, 104, 99, 103, 100, 102, 101], [66, 65, 67, 64, 66, 65, 68, 66], { unit: "ms" });
  const table = functionsTable(before).orderby((d: { self: number }) => -d.self).slice(0, 8);
  // The diff as a live kernel stores it: the widget view plus its fallbacks, and the model's saved
  // state in the notebook metadata, where the reader had since searched for to_string.
  const diff = diffFlamegraph(before, after, { title: "before → after" });
  const diffOutput = display(diff, "execute_result", 3);
  (diffOutput["data"] as Json)["application/vnd.jupyter.widget-view+json"] = { version_major: 2, version_minor: 1, model_id: "m-diff" };
  const widgets = { "application/vnd.jupyter.widget-state+json": widgetStateJson({ "m-diff": flameWidgetState(diff.tree, { host: "flamebook", options: { ...diff.widgetOptions, search: "to_string" } }) }) };
  const cells: Json[] = [
    md("# Wordfreq: clone in loop\n\nA *report* test with `code` and a [link](https://doc.rust-lang.org/std/).\n\n## Before\n"),
    code(1, 'import { openProfile, flamegraph } from "flamebook";\nconst before = await openProfile("before.perf.txt"); // the baseline\nflamegraph(before, { title: "before" });', [
      { output_type: "stream", name: "stdout", text: ["loading before.perf.txt\n", "\x1b[32mok\x1b[0m 2558 samples\n"] },
      display(flamegraph(before, { title: "before" }), "execute_result", 1),
    ]),
    md("## After\n"),
    code(2, 'flamegraph(after, { title: "after" });', [display(flamegraph(after, { title: "after" }), "execute_result", 2)]),
    md("## Diff and verdict\n"),
    code(3, "diffFlamegraph(before, after);", [diffOutput]),
    code(4, "verdict(beforeMs, afterMs);", [display(v, "execute_result", 4)]),
    code(5, "functionsTable(before).orderby(d => -d.self).slice(0, 8);", [display(table, "execute_result", 5)]),
    md(HOSTILE_MARKDOWN),
    code(6, "display.html(untrusted);", [
      { output_type: "display_data", data: { "text/html": HOSTILE_HTML, "text/plain": "untrusted html" }, metadata: {} },
      { output_type: "display_data", data: { "text/html": SCRIPT_ONLY_HTML, "text/plain": "Figure(640x480)" }, metadata: {} },
    ]),
    code(7, 'throw new Error("boom <b>");', [
      { output_type: "stream", name: "stderr", text: "warning: about to fail\n" },
      { output_type: "error", ename: "Error", evalue: "boom <b>", traceback: ["\x1b[31mError\x1b[0m: boom <b>", "    at <anonymous>:1:7"] },
    ]),
  ];
  const notebook: Json = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "flamebook", display_name: "flamebook (TypeScript)", language: "typescript" }, language_info: { name: "typescript", version: "5.9" }, widgets },
    cells,
  };
  return { notebook, verdictText: v.text, frameName: "wordfreq" };
}
