import type { WidgetFrontEnd } from "./front-end.js";

/** How a flamegraph output is shown: live, with the anywidget range its model asks for, or static (null). */
export type LiveView = { readonly anywidgetVersion: string } | null;

/**
 * The one decision of what a flamegraph output carries: the live widget view only in a kernel
 * with comms (`comms`) whose front end can load the model (`frontEnd().anywidget`); otherwise the
 * static forms alone (interactive `text/html`, `image/svg+xml`, `text/plain`), never a widget view
 * that would draw as an error box. `frontEnd` is only asked when there are comms.
 *
 * @example
 * liveView(true, () => ({ anywidget: "~0.11.*", reason: "" })); // { anywidgetVersion: "~0.11.*" }
 * liveView(true, () => ({ anywidget: null, reason: "" }));      // null
 * liveView(false, widgetFrontEnd);                               // null (plain Node, no front end)
 */
export function liveView(comms: boolean, frontEnd: () => WidgetFrontEnd): LiveView {
  if (!comms) return null;
  const range = frontEnd().anywidget;
  return range === null ? null : { anywidgetVersion: range };
}
