export { setCommHost, commHost, type Comm, type CommHost } from "./comm.js";
export { Widget, splitBuffers, WIDGET_PROTOCOL_VERSION } from "./widget.js";
export { FlamegraphWidget, type FlameSelection } from "./flamegraph-widget.js";
export { openWidgetModels, type WidgetModelEntry } from "./widget-models.js";
export { widgetFrontEnd, setWidgetFrontEnd, detectWidgetFrontEnd, type WidgetFrontEnd } from "./front-end.js";
export { serveWidgetControl, updateStatesMessage, WIDGET_CONTROL_TARGET } from "./widget-control.js";
