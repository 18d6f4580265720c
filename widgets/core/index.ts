// The host-independent flamegraph renderer: canvas + d3, used by every host in widgets/hosts.
import type { FlameOptions, FlameTree } from "../../src/model/flame-tree.js";
import { Flamegraph, type FlameChange, type FlamegraphEvents, type Rect } from "./controller.js";

export type { FlameChange, FlamegraphEvents, Rect };

/** A drawn flamegraph, as its host sees it. */
export interface FlamegraphHandle {
  /** Applies options set from outside (the kernel) live; never reported back through `onChange`. */
  update(options: Partial<FlameOptions>): void;
  /** Draws another tree with the current options. */
  setTree(tree: FlameTree): void;
  /** Where a tree node is drawn now, in CSS px relative to the canvas; null when it is not in view. */
  nodeRect(node: number): Rect | null;
  /** The current options (including what the user changed). */
  readonly options: FlameOptions;
  /** Removes listeners, observers, timers and the widget's DOM. */
  destroy(): void;
}

/**
 * Draws an interactive flamegraph of `tree` into `el` (the first paint happens before this
 * returns): flame graph, sandwich and flame chart views, zoom with breadcrumbs, search, tooltips,
 * keyboard navigation, diff colours and themes. What the user changes is reported to
 * `events.onChange`; `update` applies changes from the host without reporting them.
 *
 * @example
 * const graph = createFlamegraph(div, tree, { ...defaults, layout: "icicle" }, {
 *   onChange: ({ options, selected }) => model.set("options", { ...model.get("options"), ...options }),
 * });
 * graph.update({ search: "alloc" });
 * graph.destroy();
 */
export function createFlamegraph(el: HTMLElement, tree: FlameTree, options: FlameOptions, events?: FlamegraphEvents): FlamegraphHandle {
  const g = new Flamegraph(el, tree, options, events);
  return {
    update: (o) => g.update(o),
    setTree: (t) => g.setTree(t),
    nodeRect: (n) => g.nodeRect(n),
    get options() {
      return g.options;
    },
    destroy: () => g.destroy(),
  };
}
