import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { flameBundle } from "../render/flame-bundle.js";
import { flameWidgetState } from "../render/flame-widget-state.js";
import type { MimeBundle } from "../render/table-bundle.js";
import { Widget } from "./widget.js";

/** The frame the user selected in the view: its node id in the tree and its name. */
export interface FlameSelection {
  readonly node: number;
  readonly name: string;
}

/**
 * The kernel-side object of a live flamegraph: the widget model that the front end's view draws.
 * Setting `options` updates every view at once; the user's search, zoom, view and selected frame
 * come back here. Without a kernel it keeps its state locally and displays the static forms.
 *
 * @example
 * const w = new FlamegraphWidget(tree, { layout: "icicle" });
 * w.options = { ...w.options, search: "to_string" }; // the view follows
 * w.selected;                                         // what the user clicked, e.g. { node: 12, name: "…::to_string" }
 */
export class FlamegraphWidget extends Widget {
  readonly tree: FlameTree;

  constructor(tree: FlameTree, options: Partial<FlameOptions> = {}, host: "anywidget" | "flamebook" = "anywidget") {
    const { state, buffers } = flameWidgetState(tree, { options, host });
    super({ ...state, tree: buffers[0] });
    this.tree = tree;
  }

  /** The display options as the front end last saw them. */
  get options(): FlameOptions {
    return this.get("options") as FlameOptions;
  }

  set options(next: FlameOptions) {
    this.set("options", next);
  }

  /** Changes some display options live. @example w.update({ layout: "icicle" }) */
  update(options: Partial<FlameOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** The frame selected in the view, or null. */
  get selected(): FlameSelection | null {
    return (this.get("selected") as FlameSelection | null | undefined) ?? null;
  }

  /** The search text in the view. */
  get search(): string {
    return this.options.search;
  }

  /** Calls `handler` whenever the user selects a frame. @example w.onSelect((s) => console.log(s?.name)) */
  onSelect(handler: (selection: FlameSelection | null) => void): () => void {
    return this.on("selected", (v) => handler((v as FlameSelection | null) ?? null));
  }

  /** The output: the live view (when a kernel opened the comm) plus every static fallback. */
  bundle(): MimeBundle {
    return flameBundle(this.tree, { options: this.options, ...(this.modelId ? { modelId: this.modelId } : {}) });
  }

  override toString(): string {
    return `flamegraph: ${this.tree.title} (${this.tree.nodes.frame.length} nodes)`;
  }
}
