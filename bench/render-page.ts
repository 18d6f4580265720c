// The page side of bench/render.ts: flamebook's renderer and d3-flame-graph, bundled together so
// both run in the same page, on the same trees, in the same run: first render, and the frame
// times of a click-to-zoom transition.
import { select } from "d3-selection";
import flamegraph from "d3-flame-graph";
import type { FlameTree, FlameWireHeader } from "../src/model/flame-tree.js";
import { createFlamegraph } from "../widgets/core/index.js";
import { withDefaults } from "../widgets/hosts/defaults.js";
import { base64Bytes, unpackFlameTree } from "../widgets/wire/unpack.js";

interface Hier {
  name: string;
  value: number;
  children: Hier[];
}

const frames = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

function toHierarchy(t: FlameTree): Hier {
  const nodes: Hier[] = (hier = []);
  for (let i = 0; i < t.nodes.frame.length; i++) {
    const h: Hier = { name: t.strings[t.frames.name[t.nodes.frame[i]!]!]!, value: t.nodes.self[i]!, children: [] };
    nodes.push(h);
    if (i > 0) nodes[t.nodes.parent[i]!]!.children.push(h);
  }
  return nodes[0]!;
}

function freshBox(): HTMLElement {
  document.body.replaceChildren();
  const el = document.createElement("div");
  el.style.width = "1200px";
  document.body.append(el);
  return el;
}

let tree: FlameTree | undefined;
let hier: Hier[] = [];

/** Frame times of one click-to-zoom, from the click to the last frame that changed the picture. */
export interface ZoomRun {
  /** The click handler itself (synchronous), ms. */
  clickMs: number;
  /** Click to the last drawing of the transition, ms. */
  durationMs: number;
  /** Animation-frame deltas from the click until the frame after the last drawing, ms. */
  frames: number[];
  /** How many times the picture changed (flamebook: canvas paints; d3-flame-graph: the target's rect width). */
  paints: number;
}

/**
 * The node both renderers zoom to: the first node (pre-order) at depth 2–4 holding 5–40% of all
 * samples, else the largest child of the root.
 */
function zoomTarget(t: FlameTree): number {
  const { parent, total } = t.nodes;
  const depth = new Int32Array(parent.length);
  for (let i = 1; i < parent.length; i++) depth[i] = depth[parent[i]!]! + 1;
  const all = total[0]!;
  for (let i = 1; i < parent.length; i++) if (depth[i]! >= 2 && depth[i]! <= 4 && total[i]! >= 0.05 * all && total[i]! <= 0.4 * all) return i;
  let best = 1;
  for (let i = 1; i < parent.length; i++) if (parent[i] === 0 && total[i]! > total[best]!) best = i;
  return best;
}

/** Records rAF timestamps from `t0` until nothing was drawn for `quietMs` (and at least `minMs` passed, at most `limitMs`). */
async function frameTimes(t0: number, lastWork: () => number, quietMs: number, minMs: number, limitMs: number): Promise<{ frames: number[]; end: number }> {
  const stamps: number[] = [];
  await new Promise<void>((resolve) => {
    const tick = (ts: number) => {
      stamps.push(ts);
      const now = performance.now();
      if ((now - lastWork() > quietMs && now - t0 > minMs) || now - t0 > limitMs) resolve();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const end = lastWork();
  const frames: number[] = [];
  let prev = t0;
  for (const ts of stamps) {
    frames.push(ts - prev);
    prev = ts;
    if (ts > end) break; // the first frame after the last drawing closes the transition
  }
  return { frames, end };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(window as unknown as Record<string, unknown>)["bench"] = {
  async load(header: FlameWireHeader, data: string): Promise<{ nodes: number; unpackMs: number }> {
    const t0 = performance.now();
    tree = await unpackFlameTree(header, base64Bytes(data));
    hier = [];
    return { nodes: tree.nodes.frame.length, unpackMs: performance.now() - t0 };
  },
  /** flamebook: synchronous first draw, then until two frames have been painted. */
  async ours(): Promise<{ syncMs: number; paintedMs: number; domNodes: number }> {
    const el = freshBox();
    const t0 = performance.now();
    const g = createFlamegraph(el, tree!, withDefaults({ height: 600 }));
    const t1 = performance.now();
    await frames();
    const t2 = performance.now();
    const domNodes = el.getElementsByTagName("*").length;
    g.destroy();
    return { syncMs: t1 - t0, paintedMs: t2 - t0, domNodes };
  },
  /** d3-flame-graph 5 (SVG), transitions off, same width; the hierarchy is built before timing. */
  async theirs(): Promise<{ syncMs: number; paintedMs: number; domNodes: number; domBytes: number }> {
    const data = toHierarchy(tree!);
    const el = freshBox();
    const chart = flamegraph().width(1200).cellHeight(18).transitionDuration(0).minFrameSize(0);
    const t0 = performance.now();
    select(el).datum(data).call(chart);
    const t1 = performance.now();
    await frames();
    const t2 = performance.now();
    return { syncMs: t1 - t0, paintedMs: t2 - t0, domNodes: el.getElementsByTagName("*").length, domBytes: el.innerHTML.length };
  },
  /** flamebook: click-to-zoom on the target node's box (an animated 250 ms zoom, d3-timer). */
  async zoomOurs(): Promise<ZoomRun & { target: number }> {
    const el = freshBox();
    const g = createFlamegraph(el, tree!, withDefaults({ height: 600 }));
    await frames();
    await sleep(50);
    const target = zoomTarget(tree!);
    const r = g.nodeRect(target);
    const canvas = el.querySelector("canvas")!;
    if (!r) throw new Error(`zoom target ${target} is not in view`);
    const box = canvas.getBoundingClientRect();
    let paints = 0;
    let last = 0;
    const proto = CanvasRenderingContext2D.prototype;
    const setTransform = proto.setTransform;
    proto.setTransform = function (this: CanvasRenderingContext2D, ...a: unknown[]) {
      if (this.canvas === canvas) {
        paints++;
        last = performance.now();
      }
      return (setTransform as (...x: unknown[]) => void).apply(this, a);
    } as typeof proto.setTransform;
    try {
      const t0 = performance.now();
      last = t0;
      canvas.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: box.left + r.x + Math.min(r.width / 2, 20), clientY: box.top + r.y + r.height / 2 }));
      const clickMs = performance.now() - t0;
      const { frames: f, end } = await frameTimes(t0, () => last, 300, 400, 120_000);
      if (g.options.focus !== target) throw new Error(`flamebook did not zoom to ${target} (focus ${g.options.focus})`);
      return { clickMs, durationMs: end - t0, frames: f, paints, target };
    } finally {
      proto.setTransform = setTransform;
      g.destroy();
    }
  },
  /** d3-flame-graph 5: a click on the target's <g> (its zoom: a `duration` ms d3 transition of every frame). */
  async zoomTheirs(duration: number): Promise<ZoomRun & { target: number }> {
    const data = toHierarchy(tree!);
    const el = freshBox();
    const chart = flamegraph().width(1200).cellHeight(18).transitionDuration(duration).minFrameSize(0);
    select(el).datum(data).call(chart);
    const target = zoomTarget(tree!);
    const want = hier[target]!;
    const gEl = [...el.querySelectorAll("svg g")].find((n) => (n as unknown as { __data__?: { data: Hier } }).__data__?.data === want);
    if (!gEl) throw new Error(`d3-flame-graph drew no <g> for node ${target}`);
    // let the first render's own transitions (rect widths, labels) finish
    const t00 = performance.now();
    while (performance.now() - t00 < duration + 200) await frames();
    let paints = 0;
    let last = 0;
    const mo = new MutationObserver((records) => {
      paints += records.length;
      last = performance.now();
    });
    // the target's rect widens from its share to the full width in every frame of the transition
    mo.observe(gEl.querySelector("rect")!, { attributes: true, attributeFilter: ["width"] });
    try {
      const t0 = performance.now();
      last = t0;
      gEl.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      const clickMs = performance.now() - t0;
      const { frames: f, end } = await frameTimes(t0, () => last, 300, duration + 100, 300_000);
      return { clickMs, durationMs: end - t0, frames: f, paints, target };
    } finally {
      mo.disconnect();
    }
  },
};
