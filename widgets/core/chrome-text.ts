// What the toolbar and footer say: breadcrumbs, the legend, the matched share and the sandwich
// band. Pure functions of the state; the DOM is filled by toolbar.ts.
import type { DiffMode, FlameTree } from "../../src/model/flame-tree.js";
import { CATEGORIES, DIFF_STEPS } from "./colors.js";
import { formatPercent, formatSeconds, formatWeight, labelForms, printable } from "./format.js";
import { categoryColorId, diffColorId, type FrameColorIds, type Palette } from "./palette.js";
import type { Sandwich } from "./sandwich.js";
import { matchedWeight } from "./search.js";
import type { Crumb, LegendEntry } from "./toolbar.js";
import type { Domain } from "./zoom.js";

/**
 * The name of a string-table entry as a short label (paths cut, see `labelForms`) and in full.
 *
 * @example
 * shortAndFull(tree, tree.strings.indexOf("wordfreq::process::process")); // ["process::process", "wordfreq::process::process"]
 */
export function shortAndFull(tree: FlameTree, name: number): [string, string] {
  const forms = labelForms(printable(tree.strings[name] ?? ""));
  return [forms[Math.min(1, forms.length - 1)]!, forms[0]!];
}

/**
 * "matched: 31.2%": the share of all weight under matching frames (nested matches once), and of
 * the zoomed frame when zoomed; for a diff tree both sides ("matched: 57.6% before → 0.0% after");
 * "" without a search.
 *
 * @example
 * matchedText(tree, hit, 0); // "matched: 50.0%"
 */
export function matchedText(tree: FlameTree, hit: Uint8Array | null, focus: number): string {
  if (!hit) return "";
  const { depth } = tree.nodes;
  const share = (total: Float64Array, root: number) => formatPercent(total[root]! > 0 ? matchedWeight(depth, total, hit, root) / total[root]! : 0);
  // A diff tree: both sides, since a frame that vanished matches 0% of "after" but not of "before".
  const both = (root: number) => (tree.diff ? `${share(tree.diff.total, root)} ${tree.diff.baseLabel} → ${share(tree.nodes.total, root)} ${tree.diff.label}` : share(tree.nodes.total, root));
  let text = `matched: ${both(0)}`;
  if (focus > 0) text += ` (${both(focus)} of zoom)`;
  return text;
}

/**
 * The breadcrumbs of the call tree: the root (the tree's title, or "all"), then every frame down
 * to the zoomed one; all but the last zoom to their frame when clicked.
 *
 * @example
 * treeCrumbs(tree, 44, (n) => zoomTo(n)).map((c) => c.label); // ["clone-in-loop", "_start", …, "<T as ToString>::to_string"]
 */
export function treeCrumbs(tree: FlameTree, focus: number, zoomTo: (node: number) => void): Crumb[] {
  const rootLabel = printable(tree.title) || "all";
  const path: number[] = [];
  for (let n = focus; n > 0; n = tree.nodes.parent[n]!) path.push(n);
  path.reverse();
  const out: Crumb[] = [{ label: rootLabel, title: `${rootLabel}: whole profile`, ...(path.length ? { onClick: () => zoomTo(0) } : {}) }];
  path.forEach((n, k) => {
    const [label, title] = shortAndFull(tree, tree.frames.name[tree.nodes.frame[n]!]!);
    out.push(k === path.length - 1 ? { label, title } : { label, title, onClick: () => zoomTo(n) });
  });
  return out;
}

/**
 * The breadcrumbs of the sandwich and chart views: the root goes back to the call tree, the view's
 * crumb zooms out when zoomed, and a zoomed chart shows its time range.
 *
 * @example
 * viewCrumbs(tree, { sandwich }, false, toTree, reset); // [{ label: "clone-in-loop" }, { label: "sandwich: …" }]
 */
export function viewCrumbs(tree: FlameTree, view: { sandwich?: Sandwich; thread?: number; domain?: Domain }, zoomed: boolean, toTree: () => void, reset: () => void): Crumb[] {
  const rootLabel = printable(tree.title) || "all";
  const out: Crumb[] = [{ label: rootLabel, title: "back to the flame graph", onClick: toTree }];
  const zoomOut = zoomed ? { onClick: reset } : {};
  if (view.sandwich) {
    const [label, title] = shortAndFull(tree, view.sandwich.name);
    out.push({ label: `sandwich: ${label}`, title, ...zoomOut });
  } else if (view.thread !== undefined) {
    out.push({ label: `chart: ${printable(tree.timeline?.threads[view.thread] ?? "")}`, ...zoomOut });
    if (zoomed && view.domain) out.push({ label: `${formatSeconds(view.domain[0])} – ${formatSeconds(view.domain[1])}` });
  }
  return out;
}

/**
 * The legend: the kinds of code present (plain trees), or the diff colours and what they compare.
 *
 * @example
 * legendEntries(tree, palette, new FrameColorIds(tree), "proportional").map((e) => e.label); // ["your crates", "std / core / alloc", "C / C++"]
 */
export function legendEntries(tree: FlameTree, palette: Palette, byFrame: FrameColorIds, mode: DiffMode): LegendEntry[] {
  if (tree.diff) {
    const d = tree.diff;
    const what = mode === "proportional" ? "change in share of each side's total" : `change in ${printable(tree.event)} weight`;
    return [
      { color: palette.fill[diffColorId(DIFF_STEPS)]!, label: "grew" },
      { color: palette.fill[diffColorId(-DIFF_STEPS)]!, label: "shrank" },
      { color: palette.fill[diffColorId(0)]!, label: "within noise" },
      { color: null, label: `${mode}: colour = ${what}, ${printable(d.baseLabel)} → ${printable(d.label)}; widths: larger side` },
    ];
  }
  const present = byFrame.categories();
  return CATEGORIES.filter(([cat]) => present.has(cat)).map(([cat, label]) => ({ color: palette.fill[categoryColorId(cat)]!, label }));
}

/**
 * The band between the sandwich's halves: a bold title and the function's details.
 *
 * @example
 * sandwichBand(tree, s); // ["▲ callers   ▼ callees", " of <T as …>::to_string — 1 call path, 30.1 ms (50.0% of all)"]
 */
export function sandwichBand(tree: FlameTree, s: Sandwich): [string, string] {
  const total = s.callees.total[0] ?? 0;
  const all = tree.nodes.total[0]!;
  const name = printable(tree.strings[s.name] ?? "");
  const share = formatPercent(all > 0 ? total / all : 0);
  return ["▲ callers   ▼ callees", ` of ${name} — ${s.calls} call path${s.calls === 1 ? "" : "s"}, ${formatWeight(total, tree.unit, tree.event)} (${share} of all)`];
}
