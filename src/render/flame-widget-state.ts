import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { DEFAULT_FLAME_OPTIONS } from "../model/flame-tree.js";
import { packFlameTree } from "./flame-wire.js";
import { flamebookVersion } from "./widget-assets.js";
import { anywidgetEsm } from "./anywidget-esm.js";

/** A widget model's state as sent in `comm_open` (binary values moved to `buffers`). */
export interface WidgetState {
  readonly state: Record<string, unknown>;
  readonly buffers: readonly Uint8Array[];
  readonly bufferPaths: readonly (readonly string[])[];
}

/**
 * The anywidget front-end version range a state asks for unless told (`anywidgetVersion`; a
 * kernel passes the range of the anywidget it found, see `widgetFrontEnd`). anywidget's Python
 * package and the Deno kernel send "~X.Y.*" of the front end they ship.
 */
export const ANYWIDGET_VERSION = "~0.9.*";

/** The module name of the @jupyter-widgets host (see widgets/hosts/jupyter-widgets.ts). */
export const FLAMEBOOK_WIDGET_MODULE = "flamebook";

/** Options of {@link flameWidgetState}. */
export interface FlameWidgetStateOptions {
  /** Display options (default: DEFAULT_FLAME_OPTIONS). */
  options?: Partial<FlameOptions>;
  /**
   * Which front end: "anywidget" (default; the portable live path: JupyterLab with anywidget,
   * VS Code, Colab run our `_esm`) or "flamebook" (our own @jupyter-widgets module, for the classic
   * notebook, exported pages and labs that have it installed).
   */
  host?: "anywidget" | "flamebook";
  /** The anywidget version range to ask for (default {@link ANYWIDGET_VERSION}). */
  anywidgetVersion?: string;
}

/**
 * The state of a flamegraph widget model: the packed tree (a binary buffer), its header, the
 * display options and the selection, plus the module fields of the chosen front end.
 *
 * @example
 * const { state, buffers, bufferPaths } = flameWidgetState(tree);
 * comm.open({ state, buffer_paths: bufferPaths }, buffers); // target "jupyter.widget"
 */
export function flameWidgetState(tree: FlameTree, opts: FlameWidgetStateOptions = {}): WidgetState {
  const { header, bytes } = packFlameTree(tree);
  const common = {
    tree_header: header,
    tree: null,
    options: { ...DEFAULT_FLAME_OPTIONS, ...opts.options },
    selected: null,
  };
  const host = opts.host ?? "anywidget";
  const anyVersion = opts.anywidgetVersion ?? ANYWIDGET_VERSION;
  const modules =
    host === "anywidget"
      ? {
          _model_module: "anywidget",
          _model_name: "AnyModel",
          _model_module_version: anyVersion,
          _view_module: "anywidget",
          _view_name: "AnyView",
          _view_module_version: anyVersion,
          _esm: anywidgetEsm(),
          _anywidget_id: "flamebook.Flamegraph",
        }
      : {
          _model_module: FLAMEBOOK_WIDGET_MODULE,
          _model_name: "FlamegraphModel",
          _model_module_version: `^${flamebookVersion()}`,
          _view_module: FLAMEBOOK_WIDGET_MODULE,
          _view_name: "FlamegraphView",
          _view_module_version: `^${flamebookVersion()}`,
        };
  return { state: { ...modules, ...common }, buffers: [bytes], bufferPaths: [["tree"]] };
}

/**
 * The saved widget state of a notebook or exported page
 * (`application/vnd.jupyter.widget-state+json`, ipywidgets' schema 2.0): each model's module
 * fields, state, and buffers in base64.
 *
 * @example
 * const saved = widgetStateJson({ "m1": flameWidgetState(tree, { host: "flamebook" }) });
 */
export function widgetStateJson(models: Record<string, WidgetState>): { version_major: 2; version_minor: 0; state: Record<string, unknown> } {
  const state: Record<string, unknown> = {};
  for (const [id, m] of Object.entries(models)) {
    const s = m.state;
    state[id] = {
      model_name: s["_model_name"],
      model_module: s["_model_module"],
      model_module_version: s["_model_module_version"],
      state: s,
      buffers: m.buffers.map((b, i) => ({ path: m.bufferPaths[i], encoding: "base64", data: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64") })),
    };
  }
  return { version_major: 2, version_minor: 0, state };
}
