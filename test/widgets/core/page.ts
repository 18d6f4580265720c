// The page side of the browser tests (bundled with esbuild, not a test file): mounts the renderer
// on a tree sent as test JSON (see treeToJson in test/helpers/browser.ts) and records onChange.
import { DEFAULT_FLAME_OPTIONS } from "../../../src/model/flame-options.js";
import type { FlameOptions, FlameTree } from "../../../src/model/flame-tree.js";
import { createFlamegraph, type FlameChange, type FlamegraphHandle } from "../../../widgets/core/index.js";
import { syntheticTree } from "./synthetic-tree.js";

const DEFAULTS: FlameOptions = { ...DEFAULT_FLAME_OPTIONS, theme: "light" };
const TYPED = { Int32Array, Uint8Array, Float64Array, Uint16Array, Float32Array, Uint32Array } as const;

/** Reverses treeToJson: `{ $t, v }` objects become typed arrays again. */
function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o["$t"] === "string" && Array.isArray(o["v"])) return (TYPED[o["$t"] as keyof typeof TYPED] ?? Float64Array).from(o["v"] as number[]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromJson(x)]));
  }
  return v;
}

interface Fb {
  handle: FlamegraphHandle | null;
  tree: FlameTree | null;
  changes: FlameChange[];
  el: HTMLElement | null;
  /** Mounts a tree into #host (made if missing); returns how long createFlamegraph took in ms. */
  mount(tree: unknown, options?: Partial<FlameOptions>): number;
  /** Builds a synthetic tree in the page (no transfer; the same tree as in Node for a seed) and mounts it. */
  mountSynthetic(n: number, seed: number, timeline: boolean, options?: Partial<FlameOptions>): number;
  /** Mounts the last tree again (same task as the caller, for synchronous checks). */
  remount(options?: Partial<FlameOptions>): number;
  setTree(tree: unknown): void;
  /** RGBA of the canvas at CSS px (x, y). */
  pixel(x: number, y: number): number[];
}

const fb: Fb = {
  handle: null,
  tree: null,
  changes: [],
  el: null,
  mount(json, options = {}) {
    fb.handle?.destroy();
    fb.changes = [];
    let host = document.getElementById("host");
    if (!host) {
      host = document.createElement("div");
      host.id = "host";
      document.body.append(host);
    }
    fb.el = host;
    fb.tree = fromJson(json) as FlameTree;
    const t0 = performance.now();
    fb.handle = createFlamegraph(host, fb.tree, { ...DEFAULTS, ...options }, { onChange: (c) => fb.changes.push(c) });
    return performance.now() - t0;
  },
  mountSynthetic(n, seed, timeline, options = {}) {
    fb.tree = syntheticTree(n, seed, { timeline });
    return fb.remount(options);
  },
  remount(options = {}) {
    fb.handle?.destroy();
    fb.changes = [];
    const t0 = performance.now();
    if (!fb.el) {
      fb.el = document.getElementById("host") ?? document.body.appendChild(Object.assign(document.createElement("div"), { id: "host" }));
    }
    fb.handle = createFlamegraph(fb.el, fb.tree!, { ...DEFAULTS, ...options }, { onChange: (c) => fb.changes.push(c) });
    return performance.now() - t0;
  },
  setTree(json) {
    fb.tree = fromJson(json) as FlameTree;
    fb.handle!.setTree(fb.tree);
  },
  pixel(x, y) {
    const c = document.querySelector<HTMLCanvasElement>(".fb-canvas")!;
    const k = c.width / c.getBoundingClientRect().width;
    return Array.from(c.getContext("2d")!.getImageData(Math.floor(x * k), Math.floor(y * k), 1, 1).data);
  },
};

(window as unknown as { fb: Fb }).fb = fb;
