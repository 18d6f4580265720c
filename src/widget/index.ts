export { setCommHost, commHost, type Comm, type CommHost } from "./comm.js";
export { Widget, splitBuffers, WIDGET_PROTOCOL_VERSION } from "./widget.js";
export { FlamegraphWidget, type FlameSelection } from "./flamegraph-widget.js";
