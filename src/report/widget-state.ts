// Flamegraph widget views resolved through the notebook's saved widget state
// (metadata.widgets["application/vnd.jupyter.widget-state+json"], ipywidgets' schema 2.0). The
// saved state holds the options the reader last had (search, zoom layout, view), so it is
// preferred over the output's text/html fallback; without it the fallback is used.
import { z } from "zod";
import { flameBlock, type FlameFragment } from "./flame-fragment.js";

const STATE_MIME = "application/vnd.jupyter.widget-state+json";

const savedModel = z.object({
  model_module: z.string().optional(),
  state: z
    .object({
      _model_module: z.string().optional(),
      _anywidget_id: z.string().optional(),
      tree_header: z.unknown(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .loose(),
  buffers: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), encoding: z.literal("base64"), data: z.string() }).loose()).optional(),
});
const view = z.object({ model_id: z.string() }).loose();

/**
 * The flamegraph of a widget view output when the notebook saved the state of its model and the
 * model is flamebook's (our @jupyter-widgets module or the anywidget `flamebook.Flamegraph`);
 * null otherwise.
 *
 * @example
 * widgetFlame(output.data["application/vnd.jupyter.widget-view+json"], notebook.metadata.widgets);
 */
export function widgetFlame(viewData: unknown, widgets: Readonly<Record<string, unknown>> | undefined): FlameFragment | null {
  const v = view.safeParse(viewData);
  const saved = widgets?.[STATE_MIME];
  if (!v.success || saved === null || typeof saved !== "object") return null;
  const models = (saved as { state?: unknown }).state;
  if (models === null || typeof models !== "object") return null;
  const m = savedModel.safeParse((models as Record<string, unknown>)[v.data.model_id]);
  if (!m.success) return null;
  const s = m.data.state;
  const ours = s._model_module === "flamebook" || m.data.model_module === "flamebook" || s._anywidget_id === "flamebook.Flamegraph";
  const tree = m.data.buffers?.find((b) => b.path.length === 1 && b.path[0] === "tree");
  if (!ours || !tree) return null;
  const height = typeof s.options?.["height"] === "number" ? s.options["height"] : 420;
  return flameBlock({ header: s.tree_header, data: tree.data.replace(/\s+/g, ""), options: s.options ?? {} }, height + 60);
}
