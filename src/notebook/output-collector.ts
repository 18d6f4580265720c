/**
 * Turns a kernel's iopub messages into nbformat outputs, the way Jupyter front ends and nbclient
 * do: consecutive stream text of one name is merged, `clear_output` (with `wait`) clears the
 * cell, and `update_display_data` rewrites every output that was displayed with that
 * `display_id`, in any cell.
 */
import type { DisplayOutput, JsonObject, Output } from "./nbformat.js";
import { asJsonObject } from "../samples/json-input.js";

/** An iopub message as the collector needs it. */
export interface IopubMessage {
  msgType: string;
  content: Record<string, unknown>;
}

const asObject = (v: unknown): JsonObject => (asJsonObject(v) as JsonObject | undefined) ?? {};

/**
 * Collects outputs; call {@link OutputCollector.startCell} with each cell's output array.
 *
 * @example
 * const c = new OutputCollector();
 * const outputs: Output[] = [];
 * c.startCell(outputs);
 * c.add({ msgType: "stream", content: { name: "stdout", text: "hi\n" } });
 * outputs; // [{ output_type: "stream", name: "stdout", text: "hi\n" }]
 */
export class OutputCollector {
  private outputs: Output[] = [];
  private clearPending = false;
  /** Outputs shown with a display id, wherever they are. */
  private readonly byDisplayId = new Map<string, DisplayOutput[]>();
  private readonly displayIdOf = new WeakMap<Output, string>();

  /** Routes later outputs to `outputs` (a cell's array; it is mutated in place). */
  startCell(outputs: Output[]): void {
    this.outputs = outputs;
    this.clearPending = false;
  }

  private clear(): void {
    for (const o of this.outputs.splice(0)) {
      const id = this.displayIdOf.get(o);
      if (id === undefined) continue;
      const list = this.byDisplayId.get(id)?.filter((x) => x !== o) ?? [];
      if (list.length) this.byDisplayId.set(id, list);
      else this.byDisplayId.delete(id);
    }
  }

  private push(o: Output): void {
    if (this.clearPending) {
      this.clear();
      this.clearPending = false;
    }
    this.outputs.push(o);
  }

  /** Handles one iopub message; returns whether it changed any output. */
  add(msg: IopubMessage): boolean {
    const c = msg.content;
    switch (msg.msgType) {
      case "stream": {
        const name = c.name === "stderr" ? "stderr" : "stdout";
        const text = typeof c.text === "string" ? c.text : "";
        const last = this.clearPending ? undefined : this.outputs.at(-1);
        if (last?.output_type === "stream" && last.name === name) last.text += text;
        else this.push({ output_type: "stream", name, text });
        return true;
      }
      case "display_data":
      case "execute_result": {
        const out: DisplayOutput = { output_type: msg.msgType, data: asObject(c.data), metadata: asObject(c.metadata) };
        if (msg.msgType === "execute_result") out.execution_count = typeof c.execution_count === "number" ? c.execution_count : null;
        this.push(out);
        const id = asObject(c.transient).display_id;
        if (typeof id === "string" && id !== "") {
          this.displayIdOf.set(out, id);
          this.byDisplayId.set(id, [...(this.byDisplayId.get(id) ?? []), out]);
        }
        return true;
      }
      case "update_display_data": {
        const id = asObject(c.transient).display_id;
        const targets = typeof id === "string" ? this.byDisplayId.get(id) : undefined;
        for (const t of targets ?? []) {
          t.data = asObject(c.data);
          t.metadata = asObject(c.metadata);
        }
        return (targets?.length ?? 0) > 0;
      }
      case "error": {
        const tb = Array.isArray(c.traceback) ? c.traceback.map(String) : [];
        this.push({ output_type: "error", ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""), traceback: tb });
        return true;
      }
      case "clear_output":
        if (c.wait === true) this.clearPending = true;
        else this.clear();
        return true;
      default:
        return false;
    }
  }
}
