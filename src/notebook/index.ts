export { parseNotebook, readNotebook, notebookJson, type Notebook, type Cell, type Output, type StreamOutput, type DisplayOutput, type ErrorOutput, type JsonObject as NotebookJsonObject, type JsonValue as NotebookJsonValue } from "./nbformat.js";
export { writeNotebook } from "./write.js";
export { parseParameterArgs, declaredParameters, injectParameters, type Parameters } from "./parameters.js";
export { OutputCollector, type IopubMessage } from "./output-collector.js";
export { WidgetStateTracker, WIDGET_STATE_MIME } from "./widget-state.js";
export { executeNotebook, type NotebookEvent, type NotebookRun } from "./execute.js";
export type { NotebookKernel, CellRun } from "./kernel.js";
