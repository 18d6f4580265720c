import type { FlameOptions, FlameWireHeader } from "../../src/model/flame-tree.js";
import { createFlamegraph, type FlameChange } from "../core/index.js";
import { unpackFlameTree } from "../wire/unpack.js";
import { withDefaults } from "./defaults.js";

/**
 * The part of a widget model the flamegraph uses: anywidget's AFM model, and the Backbone model of
 * `@jupyter-widgets/base`, both have it. State keys: `tree_header` (the packed tree's header),
 * `tree` (its payload, a binary buffer), `options` (display options, synced both ways) and
 * `selected` (the selected frame, written by the view).
 */
export interface WidgetModelLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: () => void): void;
  off(event: string, callback?: () => void): void;
}

/**
 * Draws the flamegraph of a widget model into `el` and keeps the two in step: options set from the
 * kernel update the view live, a new tree redraws it, and what the user changes (search, zoom,
 * view, selection) is written back to the model. Returns the cleanup function.
 *
 * @example
 * export default { render: ({ model, el }) => bindFlamegraph(model, el) };
 */
export async function bindFlamegraph(model: WidgetModelLike, el: HTMLElement): Promise<() => void> {
  const tree = await unpackFlameTree(model.get("tree_header") as FlameWireHeader, payloadBytes(model.get("tree")));
  const options = (): FlameOptions => withDefaults(model.get("options"));
  const graph = createFlamegraph(el, tree, options(), {
    onChange(change: FlameChange) {
      model.set("options", { ...(model.get("options") as object | null), ...change.options });
      if (change.selected !== undefined) model.set("selected", change.selected);
      try {
        model.save_changes();
      } catch {
        // No kernel behind the model (a page exported with its widget state): the change stays local.
      }
    },
  });
  const onOptions = () => graph.update(options());
  let version = 0;
  const onTree = () => {
    const mine = ++version;
    void unpackFlameTree(model.get("tree_header") as FlameWireHeader, payloadBytes(model.get("tree"))).then((t) => {
      if (mine === version) graph.setTree(t);
    });
  };
  model.on("change:options", onOptions);
  model.on("change:tree", onTree);
  return () => {
    model.off("change:options", onOptions);
    model.off("change:tree", onTree);
    graph.destroy();
  };
}

/**
 * The bytes of a binary state value, however the host delivered it (DataView from comms,
 * ArrayBuffer or typed array from a saved state, base64 text from an older exporter).
 *
 * @example
 * payloadBytes(new DataView(new ArrayBuffer(4))).length; // 4
 */
export function payloadBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === "string") {
    const bin = atob(value);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  throw new Error(`flamebook: the widget state has no flamegraph data (tree is ${value === null ? "null" : typeof value}); re-run the cell.`);
}
