import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { fromWidgetOptions, toWidgetOptions, type FlameDisplayOptions, type FlameDisplayState } from "../model/flame-display.js";
import { display, hasDisplayHost } from "../display/display.js";
import { MIMEBUNDLE } from "../display/mime.js";
import { flameBundle } from "../render/flame-bundle.js";
import { flameWidgetState } from "../render/flame-widget-state.js";
import type { MimeBundle } from "../render/table-bundle.js";
import { commHost } from "./comm.js";
import { widgetFrontEnd } from "./front-end.js";
import { liveView } from "./live-view.js";
import { Widget } from "./widget.js";

/**
 * The frame the user selected in the view: its name (what `focus` and `sandwich` take) and its
 * node id in the widget's tree.
 */
export interface FlameSelection {
  readonly name: string;
  readonly node: number;
}

/**
 * The kernel-side object of a live flamegraph: the widget model that the front end's view draws.
 * Changing options (`update`) redraws every view at once; the user's search, zoom, view and selected frame
 * come back here. It is live only where the front end can load it (see `liveView`): without a
 * kernel, or in a Jupyter without anywidget, it keeps its state locally, displays the static forms,
 * and `update()` in a kernel shows the updated graph as a new output.
 *
 * @example
 * const w = fg.widget();
 * w.update({ search: "to_string", focus: "wordfreq::process::process" }); // the view follows
 * w.selected?.name;                                   // what the user clicked, e.g. "…::to_string"
 */
export class FlamegraphWidget extends Widget {
  readonly tree: FlameTree;

  /**
   * `host` "anywidget" (default) is live when {@link liveView} says so; "flamebook" (our own
   * @jupyter-widgets module, which the caller knows the front end has) whenever there are comms.
   */
  constructor(tree: FlameTree, options: Partial<FlameOptions> = {}, host: "anywidget" | "flamebook" = "anywidget") {
    const comms = commHost() !== undefined;
    const view = host === "anywidget" ? liveView(comms, widgetFrontEnd) : null;
    const live = host === "anywidget" ? view !== null : comms;
    const { state, buffers } = flameWidgetState(tree, { options, host, ...(view ? { anywidgetVersion: view.anywidgetVersion } : {}) });
    // Not live: a local model (null), so no comm_open reaches a front end that cannot load it.
    super({ ...state, tree: buffers[0] }, live ? undefined : null);
    this.tree = tree;
  }

  /** The display options as the front end last saw them, by name (focus, sandwich) and `ThreadId`. */
  get options(): FlameDisplayState {
    return fromWidgetOptions(this.tree, this.widgetOptions);
  }

  /** The options as the widget model holds them (node and string ids): what syncs with the front end. */
  get widgetOptions(): FlameOptions {
    return this.get("options") as FlameOptions;
  }

  set widgetOptions(next: FlameOptions) {
    this.set("options", next);
  }

  /**
   * Changes some display options, given by name like `rec.flamegraph({…})` takes them: the live
   * view redraws; without one (a kernel whose front end cannot load the widget) the updated graph
   * is shown as a new output of the running cell.
   *
   * @example w.update({ layout: "icicle", sandwich: "alloc::fmt::format", view: "sandwich" })
   */
  update(options: FlameDisplayOptions): void {
    this.widgetOptions = toWidgetOptions(this.tree, options, this.widgetOptions);
    if (!this.comm && hasDisplayHost()) display(this);
  }

  /** The frame selected in the view, or null. */
  get selected(): FlameSelection | null {
    return (this.get("selected") as FlameSelection | null | undefined) ?? null;
  }

  /** The search text in the view. */
  get search(): string {
    return this.widgetOptions.search;
  }

  /** Calls `handler` whenever the user selects a frame. @example w.onSelect((s) => console.log(s?.name)) */
  onSelect(handler: (selection: FlameSelection | null) => void): () => void {
    return this.on("selected", (v) => handler((v as FlameSelection | null) ?? null));
  }

  /** The output: the live view (when a kernel opened the comm) plus every static fallback. */
  bundle(): MimeBundle {
    return flameBundle(this.tree, { options: this.widgetOptions, ...(this.modelId ? { modelId: this.modelId } : {}) });
  }

  /** Shows as {@link bundle} (a cell ending in `fg.widget()` shows the graph). */
  [MIMEBUNDLE](): MimeBundle {
    return this.bundle();
  }

  override toString(): string {
    return `flamegraph: ${this.tree.title} (${this.tree.nodes.frame.length} nodes)`;
  }
}
