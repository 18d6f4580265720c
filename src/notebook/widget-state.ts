/**
 * Widget state for a saved notebook (`metadata.widgets["application/vnd.jupyter.widget-state+json"]`,
 * ipywidgets' schema 2): followed from the `jupyter.widget` comms a kernel opens and updates, as
 * nbclient's `store_widget_state` does, so that nbconvert, nbviewer and JupyterLab can show the
 * widgets of a notebook that was run headlessly.
 */
import type { JsonObject, JsonValue } from "./nbformat.js";
import { asJsonObject } from "../samples/json-input.js";

/** The MIME key under which the state is stored in notebook metadata. */
export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";

interface Model {
  state: JsonObject;
  buffers: Map<string, Uint8Array>;
}

const asObject = (v: unknown): JsonObject => (asJsonObject(v) as JsonObject | undefined) ?? {};

/**
 * Follows widget comms.
 *
 * @example
 * const w = new WidgetStateTracker();
 * w.add("comm_open", { comm_id: "a", target_name: "jupyter.widget", data: { state: { _model_name: "FlameModel" }, buffer_paths: [] } }, []);
 * w.toJSON().state.a.model_name; // "FlameModel"
 */
export class WidgetStateTracker {
  private readonly models = new Map<string, Model>();

  /** Handles a `comm_open`, `comm_msg` or `comm_close` the kernel sent; other messages are ignored. */
  add(msgType: string, content: Record<string, unknown>, buffers: readonly Uint8Array[]): void {
    const id = typeof content.comm_id === "string" ? content.comm_id : undefined;
    if (id === undefined) return;
    const data = asObject(content.data);
    if (msgType === "comm_open") {
      if (content.target_name !== "jupyter.widget") return;
      const m: Model = { state: {}, buffers: new Map() };
      this.models.set(id, m);
      this.merge(m, asObject(data.state), data.buffer_paths, buffers);
    } else if (msgType === "comm_msg") {
      const m = this.models.get(id);
      if (m && (data.method === "update" || data.method === "echo_update")) this.merge(m, asObject(data.state), data.buffer_paths, buffers);
    } else if (msgType === "comm_close") {
      this.models.delete(id);
    }
  }

  private merge(m: Model, state: JsonObject, paths: unknown, buffers: readonly Uint8Array[]): void {
    for (const [k, v] of Object.entries(state)) if (k !== "__proto__") m.state[k] = v;
    if (!Array.isArray(paths)) return;
    paths.forEach((p, i) => {
      const b = buffers[i];
      if (Array.isArray(p) && b) m.buffers.set(JSON.stringify(p), b);
    });
  }

  /** How many widget models are live. */
  get size(): number {
    return this.models.size;
  }

  /** The state in ipywidgets' widget-state schema (version 2.0), buffers base64-encoded. */
  toJSON(): { version_major: 2; version_minor: 0; state: Record<string, JsonObject> } {
    const state: Record<string, JsonObject> = {};
    for (const [id, m] of this.models) {
      const entry: JsonObject = {
        model_name: (m.state._model_name as JsonValue) ?? "",
        model_module: (m.state._model_module as JsonValue) ?? "",
        model_module_version: (m.state._model_module_version as JsonValue) ?? "",
        state: m.state,
      };
      if (m.buffers.size > 0) {
        entry.buffers = [...m.buffers].map(([path, b]) => ({ path: JSON.parse(path) as JsonValue, data: Buffer.from(b).toString("base64"), encoding: "base64" }));
      }
      state[id] = entry;
    }
    return { version_major: 2, version_minor: 0, state };
  }
}
