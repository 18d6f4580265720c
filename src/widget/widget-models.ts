/**
 * The widget models open in this process, by model id: what the `jupyter.widget.control` comm
 * (widget-control.ts) reports to a front end that asks for every state at once.
 */

/** What the control comm needs from an open widget model. */
export interface WidgetModelEntry {
  readonly modelId: string;
  /** The full state, binary values included (split into buffers when sent). */
  state(): Record<string, unknown>;
}

// On globalThis under a registered symbol: the kernel (flamebook from src/) answers the control
// comm, while the widgets are made by cells (the CJS build); both must see one list.
const KEY = Symbol.for("flamebook.widgetModels");
const slot = globalThis as Record<symbol, Map<string, WidgetModelEntry> | undefined>;

/**
 * The open widget models by model id (shared by every copy of flamebook in the process).
 *
 * @example
 * openWidgetModels().size; // how many widgets the front end can ask for
 */
export function openWidgetModels(): Map<string, WidgetModelEntry> {
  return (slot[KEY] ??= new Map());
}
