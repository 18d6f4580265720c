import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { clearOutput, display, MIMEBUNDLE, mimeBundleOf, open, setDisplayHost, verdict } from "../../src/internals.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const fixture = (name: string) => new URL(`../fixtures/perf-script/${name}`, import.meta.url).pathname;
afterEach(() => setDisplayHost(undefined));

function recordingHost() {
  const shown: { bundle: Record<string, unknown>; displayId?: string; update: boolean }[] = [];
  const clears: boolean[] = [];
  setDisplayHost({ display: (bundle, o) => void shown.push({ bundle, ...o }), clearOutput: (w) => void clears.push(w) });
  return { shown, clears };
}

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("mimeBundleOf: the one display protocol, arquero tables, then inspect text", async () => {
  assert.equal(MIMEBUNDLE, Symbol.for("jupyter.mimebundle"));
  assert.deepEqual(mimeBundleOf({ [MIMEBUNDLE]: () => ({ "text/html": "<b>x</b>" }) }), { "text/html": "<b>x</b>" });
  // one protocol: IPython's method name is not a second way in
  assert.match(String(mimeBundleOf({ _repr_mimebundle_: () => ({ "text/plain": "y" }) })["text/plain"]), /_repr_mimebundle_: \[Function/);
  assert.deepEqual(mimeBundleOf(42), { "text/plain": "42" });
  assert.deepEqual(mimeBundleOf("text"), { "text/plain": "text" });
  assert.match(String(mimeBundleOf({ a: [1, 2] })["text/plain"]), /a: \[ 1, 2 \]/);
  const p = await open(fixture("clone-in-loop.before.perf.txt"));
  const table = mimeBundleOf(p.functions());
  assert.match(String(table["text/html"]), /<table/);
  const prof = mimeBundleOf(p);
  assert.match(String(prof["text/plain"]), /^perf-script profile: \d+ samples, events cpu-clock, weights in nanoseconds/);
  assert.match(String(prof["text/html"]), /wordfreq::process::process/);
  const fg = mimeBundleOf(p.flamegraph());
  assert.ok(fg["image/svg+xml"] && fg["text/html"]);
  // every result type implements the protocol itself, and only it
  const v = verdict([10, 11, 10.5], [8, 8.2, 8.1]);
  for (const value of [p, p.flamegraph(), p.flamegraph().widget(), v]) {
    assert.equal(typeof (value as unknown as Record<symbol, unknown>)[MIMEBUNDLE], "function", value.constructor.name);
    assert.equal((value as unknown as Record<string, unknown>)["_repr_mimebundle_"], undefined, value.constructor.name);
  }
  assert.match(String(mimeBundleOf(v)["text/plain"]), /^no change: after wall time/);
});

test("display: display_data with an id, updates in place, rich helpers, clear_output", () => {
  const { shown, clears } = recordingHost();
  const h = display("starting");
  h.update({ [MIMEBUNDLE]: () => ({ "text/html": "<i>done</i>", "text/plain": "done" }) });
  assert.equal(shown.length, 2);
  assert.equal(shown[0]!.displayId, h.id);
  assert.deepEqual([shown[0]!.update, shown[1]!.update], [false, true]);
  assert.equal(shown[1]!.displayId, h.id);
  display.html("<b>hot</b>");
  display.markdown("# t");
  display.svg("<svg/>");
  display.png(new Uint8Array([137, 80]));
  display.json({ a: 1 });
  assert.deepEqual(
    shown.slice(2).map((s) => Object.keys(s.bundle).find((k) => k !== "text/plain")),
    ["text/html", "text/markdown", "image/svg+xml", "image/png", "application/json"],
  );
  assert.equal(shown[5]!.bundle["image/png"], "iVA=");
  display.update(h.id, "again");
  assert.equal(shown.at(-1)!.displayId, h.id);
  clearOutput(true);
  clearOutput();
  assert.deepEqual(clears, [true, false]);
});

test("display: outside a kernel the text form is printed", (t) => {
  const logged: unknown[] = [];
  t.mock.method(console, "log", (...a: unknown[]) => void logged.push(a.join(" ")));
  display({ [MIMEBUNDLE]: () => ({ "text/html": "<b>x</b>", "text/plain": "plain x" }) });
  clearOutput();
  assert.deepEqual(logged, ["plain x"]);
});
