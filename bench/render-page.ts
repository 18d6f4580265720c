// The page side of bench/render.ts: flamebook's renderer and d3-flame-graph, bundled together so
// both run in the same page, on the same trees, in the same run.
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
  const nodes: Hier[] = [];
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

(window as unknown as Record<string, unknown>)["bench"] = {
  async load(header: FlameWireHeader, data: string): Promise<{ nodes: number; unpackMs: number }> {
    const t0 = performance.now();
    tree = await unpackFlameTree(header, base64Bytes(data));
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
};
