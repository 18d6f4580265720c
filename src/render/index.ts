export { tableBundle, type MimeBundle } from "./table-bundle.js";
export { flameSvg, escapeXml, type FlameSvgOptions, type DiffWidth } from "./flame-svg.js";
export { flameText, functionWeights, formatWeight, type FlameTextOptions, type FunctionWeight } from "./flame-text.js";
export { packFlameTree, flameTreeJson, type PackedFlameTree } from "./flame-wire.js";
export { flameHtml, flamePage, scriptJson, escapeHtml, type FlameHtmlOptions } from "./flame-html.js";
export { flameWidgetState, widgetStateJson, ANYWIDGET_VERSION, type WidgetState, type FlameWidgetStateOptions } from "./flame-widget-state.js";
export { flameBundle, type FlameBundleOptions } from "./flame-bundle.js";
export { widgetPage, type WidgetPageScripts } from "./flame-export.js";
export { widgetAsset, flamebookVersion, type WidgetAsset } from "./widget-assets.js";
