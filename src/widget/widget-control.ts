/**
 * The kernel's list of open widget models, and the `jupyter.widget.control` comm that hands a
 * front end all of their states at once (`request_states` → `update_states`), as ipywidgets does.
 * A front end (JupyterLab, VS Code, Voilà) asks for it when a notebook is reopened or a second
 * view connects; without an answer within 4 s it falls back to `request_state` on every comm.
 */
import type { Comm } from "./comm.js";
import { splitBuffers } from "./widget.js";
import { openWidgetModels } from "./widget-models.js";

/** The control comm's target name and the protocol version front ends send in its metadata. */
export const WIDGET_CONTROL_TARGET = "jupyter.widget.control";

/**
 * The `update_states` message for every open model, in the ipywidgets layout: `states[id]` is
 * `{ model_name, model_module, model_module_version, state }`, and each buffer path starts with
 * the model id, then `"state"`.
 *
 * @example
 * const { data, buffers } = updateStatesMessage();
 * comm.send(data, buffers);
 */
export function updateStatesMessage(): { data: Record<string, unknown>; buffers: Uint8Array[] } {
  const states: Record<string, unknown> = {};
  for (const [id, model] of openWidgetModels()) {
    const state = model.state();
    states[id] = {
      model_name: state["_model_name"],
      model_module: state["_model_module"],
      model_module_version: state["_model_module_version"],
      state,
    };
  }
  const { state, buffers, bufferPaths } = splitBuffers(states);
  return { data: { method: "update_states", states: state, buffer_paths: bufferPaths }, buffers };
}

/**
 * Serves one `jupyter.widget.control` comm opened by a front end: every `request_states` is
 * answered with `update_states`; other methods are ignored, as in ipywidgets.
 *
 * @example
 * comms.registerTarget(WIDGET_CONTROL_TARGET, (comm) => serveWidgetControl(comm));
 */
export function serveWidgetControl(comm: Comm): void {
  comm.onMsg((data) => {
    if (data["method"] !== "request_states") return;
    const { data: reply, buffers } = updateStatesMessage();
    comm.send(reply, buffers);
  });
}
