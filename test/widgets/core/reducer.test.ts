// The widget's reducer in Node: which effects a patch plans, that they run once and a user
// change is reported once, and that host changes never are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_FLAME_OPTIONS } from "../../../src/model/flame-options.js";
import { Store } from "../../../widgets/core/reducer.js";
import { heaviestSelf } from "../../../widgets/core/sandwich.js";
import { changedKeys, nextState, planEffects, type Plan, type State } from "../../../widgets/core/state.js";
import { syntheticTree } from "./synthetic-tree.js";

const tree = syntheticTree(300, 7, { timeline: true });

/** A store over a tree with its runs and reports recorded. */
function store(options: Partial<State> = {}) {
  const runs: Plan[] = [];
  const reports: { change: Record<string, unknown>; when: string }[] = [];
  const s = new Store({ run: (plan) => runs.push(plan), report: (change, when) => reports.push({ change, when }) });
  s.setState({ ...DEFAULT_FLAME_OPTIONS, ...options, tree, selected: null, hovered: null }, "init");
  runs.length = 0;
  return { s, runs, reports };
}

/** The plan's effects, without its source and reports. */
const effects = (p: Plan) => ({ data: p.data, theme: p.theme, search: p.search, rebuild: p.rebuild, resetScroll: p.resetScroll, zoom: p.zoom, hover: p.hover, chrome: p.chrome, draw: p.draw });
const NONE = { data: false, theme: false, search: false, rebuild: "none", resetScroll: false, zoom: false, hover: false, chrome: false, draw: "none" } as const;

test("Store.setState: init runs every effect once and reports nothing", () => {
  const runs: Plan[] = [];
  const reports: unknown[] = [];
  const s = new Store({ run: (plan) => runs.push(plan), report: (c) => reports.push(c) });
  s.setState({ ...DEFAULT_FLAME_OPTIONS, tree, selected: null, hovered: null }, "init");
  assert.equal(runs.length, 1);
  assert.deepEqual(effects(runs[0]!), { data: true, theme: true, search: true, rebuild: "fresh", resetScroll: true, zoom: false, hover: true, chrome: true, draw: "now" });
  assert.deepEqual(reports, []);
});

test("Store.setState: a search change re-matches and repaints without a rebuild; the user's is reported once it settles", () => {
  const { s, runs, reports } = store();
  s.setState({ search: "fmt" }, "user");
  assert.deepEqual(effects(runs[0]!), { ...NONE, search: true, chrome: true, draw: "now" });
  assert.deepEqual(reports, [{ change: { search: "fmt" }, when: "settle" }]);
  s.setState({ search: "fmt_" }, "host");
  assert.equal(runs.length, 2);
  assert.equal(reports.length, 1, "a host change is not echoed");
});

test("Store.setState: a focus change animates (no rebuild), reported at once with the selection", () => {
  const node = Array.from(tree.nodes.depth).findIndex((d, i) => d === 2 && tree.nodes.total[i]! > 0);
  const { s, runs, reports } = store();
  s.setState({ focus: node, selected: { pane: 0, box: node } }, "user");
  assert.equal(runs.length, 1, "the effects run once for both keys");
  assert.deepEqual(effects(runs[0]!), { ...NONE, zoom: true, chrome: true, draw: "now" });
  assert.deepEqual(reports, [{ change: { focus: node, selected: { pane: 0, box: node } }, when: "now" }], "one report for both keys");
});

test("Store.setState: hover repaints its outline only; selection repaints on the next frame and syncs the chrome", () => {
  const { s, runs, reports } = store();
  s.setState({ hovered: { pane: 0, box: 3 } }, "user");
  assert.deepEqual(effects(runs[0]!), { ...NONE, hover: true, draw: "hover" });
  assert.deepEqual(reports, [], "hover is never reported");
  s.setState({ hovered: { pane: 0, box: 3 } }, "user");
  assert.equal(runs.length, 1, "the same box again: nothing to do");
  s.setState({ selected: { pane: 0, box: 3 } }, "user");
  assert.deepEqual(effects(runs[1]!), { ...NONE, chrome: true, draw: "frame" });
  assert.deepEqual(reports, [{ change: { selected: { pane: 0, box: 3 } }, when: "now" }]);
});

test("Store.setState: the layout alone rebuilds keeping zoom ranges; the diff mode keeps the scroll", () => {
  const { s, runs } = store({ selected: null });
  s.setState({ selected: { pane: 0, box: 2 }, hovered: { pane: 0, box: 5 } }, "user");
  s.setState({ layout: "icicle" }, "user");
  assert.deepEqual(effects(runs[1]!), { ...NONE, rebuild: "keep", resetScroll: true, hover: true, chrome: true, draw: "now" });
  assert.deepEqual(s.state.selected, { pane: 0, box: 2 }, "the same boxes: the selection stays");
  assert.equal(s.state.hovered, null, "the boxes moved: the hover goes");
  s.setState({ layout: "flame", focus: 9 }, "host");
  assert.deepEqual(effects(runs[2]!), { ...NONE, rebuild: "keep", resetScroll: true, zoom: true, chrome: true, draw: "now" }, "with a focus: animates from the kept range");
  s.setState({ diffMode: "absolute" }, "host");
  assert.deepEqual(effects(runs[3]!), { ...NONE, rebuild: "fresh", chrome: true, draw: "now" });
});

test("Store.setState: a new view rebuilds, clears the selection, and reports view, resolved sandwich and selection together", () => {
  const { s, runs, reports } = store();
  s.setState({ selected: { pane: 0, box: 4 } }, "user");
  s.setState({ view: "sandwich" }, "user");
  assert.deepEqual(effects(runs[1]!), { ...NONE, rebuild: "fresh", resetScroll: true, chrome: true, draw: "now" });
  assert.equal(s.state.sandwich, heaviestSelf(tree), "no function named: the heaviest one");
  assert.deepEqual(reports[1], { change: { view: "sandwich", sandwich: heaviestSelf(tree), selected: null }, when: "now" });
  assert.equal(reports.length, 2);
});

test("Store.setState: a new tree starts the per-tree data again and keeps the options that still apply", () => {
  const { s, runs, reports } = store({ search: "fmt", layout: "icicle", thread: 1, view: "chart" });
  const small = syntheticTree(20, 3);
  s.setState({ tree: small }, "host");
  assert.deepEqual(effects(runs[0]!), { ...NONE, data: true, search: true, rebuild: "fresh", resetScroll: true, chrome: true, draw: "now" });
  assert.deepEqual([s.state.search, s.state.layout, s.state.view, s.state.thread], ["fmt", "icicle", "tree", -1], "no timeline: tree view, no thread");
  assert.deepEqual(reports, []);
});

test("Store.setState: nothing changed, nothing runs; bad host values fall back and are not reported", () => {
  const { s, runs, reports } = store({ layout: "icicle" });
  const plan = s.setState({ layout: "icicle", focus: 0 }, "user");
  assert.deepEqual(effects(plan), NONE);
  assert.equal(runs.length, 0);
  s.setState({ focus: 1e9, view: "nonsense" as never, layout: "sideways" as never }, "host");
  assert.equal(runs.length, 0, "all fall back to what is there");
  assert.deepEqual(reports, []);
});

test("nextState: a focus on a node without weight is dropped; the options are normalised once, here", () => {
  const leaf = tree.nodes.depth.length - 1;
  const total = Float64Array.from(tree.nodes.total, (t, i) => (i === leaf ? 0 : t));
  const holed = { ...tree, nodes: { ...tree.nodes, total } };
  const s0 = nextState(null, { ...DEFAULT_FLAME_OPTIONS, tree: holed, selected: null, hovered: null });
  assert.equal(nextState(s0, { focus: leaf }).focus, 0, "nothing to zoom to");
  assert.equal(nextState(s0, { focus: leaf - 1 }).focus, leaf - 1);
  assert.equal(nextState(s0, { height: 5 }).height, 120);
  assert.deepEqual([...changedKeys(s0, nextState(s0, { search: "x", hovered: null }))], ["search"]);
});

test("planEffects: only the user's changes report; search alone settles, with anything else it goes now", () => {
  assert.equal(planEffects(new Set(["search"]), "host").emit, "none");
  assert.equal(planEffects(new Set(["search"]), "user").emit, "settle");
  assert.equal(planEffects(new Set(["search", "focus"]), "user").emit, "now");
  assert.deepEqual(planEffects(new Set(["hovered"]), "user").report, []);
  assert.deepEqual(planEffects(new Set(["tree", "focus"]), "host").report, []);
});
