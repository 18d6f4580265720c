// The page side of the JupyterLab notebook test (bundled, not a test file): anywidget's front end
// from npm, registered the way its labextension's plugin (anywidget's src/plugin.js) does: a
// JupyterLab plugin requiring IJupyterWidgetRegistry that registers the "anywidget" module at the
// package's version with the classes its factory builds on @jupyter-widgets/base. The bundler
// aliases "anywidget" to the npm release of the case (0.9.x or 0.11.x) and defines its version.
import * as base from "@jupyter-widgets/base";
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import "../live/amd-define.js";
import "anywidget";
import { amdFactory } from "../live/amd-define.js";

declare const __ANYWIDGET_VERSION__: string;

/** The version this page registers (the bundled npm package's). */
export const ANYWIDGET_VERSION = __ANYWIDGET_VERSION__;

/** anywidget's labextension plugin. */
export const anywidgetPlugin: JupyterFrontEndPlugin<void> = {
  id: "anywidget:plugin",
  requires: [base.IJupyterWidgetRegistry],
  autoStart: true,
  activate: (_app, registry: base.IJupyterWidgetRegistry) => {
    const exports = amdFactory("@jupyter-widgets/base")(base) as base.ExportData;
    registry.registerWidget({ name: "anywidget", version: ANYWIDGET_VERSION, exports });
  },
};
