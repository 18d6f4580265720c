// The @jupyter-widgets host: a DOMWidgetModel/DOMWidgetView pair registered as module "flamebook".
// The build wraps it as an AMD module that depends on "@jupyter-widgets/base", the shape the
// classic notebook, html-manager's requirejs loader and JupyterLab's widget manager expect.
import { DOMWidgetModel, DOMWidgetView } from "@jupyter-widgets/base";
import { bindFlamegraph } from "./model-binding.js";

declare const __FLAMEBOOK_VERSION__: string;

/** The module name and semver range the kernel puts in `_model_module`/`_model_module_version`. */
export const MODULE_NAME = "flamebook";
export const MODULE_VERSION = `^${__FLAMEBOOK_VERSION__}`;

/** The model: state `tree_header`, `tree` (binary), `options`, `selected`. */
export class FlamegraphModel extends DOMWidgetModel {
  override defaults() {
    return {
      ...super.defaults(),
      _model_name: "FlamegraphModel",
      _model_module: MODULE_NAME,
      _model_module_version: MODULE_VERSION,
      _view_name: "FlamegraphView",
      _view_module: MODULE_NAME,
      _view_module_version: MODULE_VERSION,
      tree_header: null,
      tree: null,
      options: {},
      selected: null,
    };
  }
}

/** The view: draws the model's flamegraph and keeps it in step with the model. */
export class FlamegraphView extends DOMWidgetView {
  private cleanup: (() => void) | undefined;
  private removed = false;

  override render(): void {
    this.el.classList.add("flamebook-widget");
    bindFlamegraph(this.model, this.el).then(
      (cleanup) => (this.removed ? cleanup() : (this.cleanup = cleanup)),
      (e: unknown) => {
        const p = document.createElement("pre");
        p.textContent = e instanceof Error ? e.message : String(e);
        this.el.replaceChildren(p);
      },
    );
  }

  override remove(): this {
    this.removed = true;
    this.cleanup?.();
    return super.remove();
  }
}
