/**
 * The flamebook kernel in this process, without sockets or Jupyter: `flamebook run` executes
 * notebooks with it. Execute requests go straight to the kernel core's handler; the iopub
 * messages it publishes become nbformat outputs (OutputCollector) and widget state
 * (WidgetStateTracker), exactly as a Jupyter front end would see them.
 */
import { createKernelCore } from "./core.js";
import { createMessage, type JsonObject, type Message } from "./wire.js";
import type { CellRun, NotebookKernel } from "../src/notebook/kernel.js";
import { OutputCollector } from "../src/notebook/output-collector.js";
import { WidgetStateTracker } from "../src/notebook/widget-state.js";
import type { Output } from "../src/notebook/nbformat.js";

/**
 * Starts a kernel core in this process. Cells resolve modules (and `import "flamebook"`) from
 * `rootDir`; relative paths in cells are relative to `process.cwd()`.
 *
 * @example
 * const k = createInProcessKernel({ rootDir: process.cwd() });
 * const outputs: Output[] = [];
 * await k.execute("1 + 1", outputs); // outputs[0].data["text/plain"] === "2"
 * k.close();
 */
export function createInProcessKernel(opts: { rootDir: string }): NotebookKernel {
  const collector = new OutputCollector();
  const widgets = new WidgetStateTracker();
  let current: { msgId: string; onOutput?: () => void; reply?: JsonObject } | undefined;
  const core = createKernelCore({
    rootDir: opts.rootDir,
    send(channel, msg: Message) {
      const type = msg.header.msg_type;
      if (channel === "shell") {
        if (current && type === "execute_reply" && msg.parent_header.msg_id === current.msgId) current.reply = msg.content;
        return;
      }
      if (channel !== "iopub") return;
      if (type === "comm_open" || type === "comm_msg" || type === "comm_close") {
        widgets.add(type, msg.content, msg.buffers);
        return;
      }
      // Output of a cell's stray timer after its cell ended still lands in the last cell, as in Jupyter.
      if (collector.add({ msgType: type, content: msg.content })) current?.onOutput?.();
    },
  });
  const session = core.session;
  return {
    async execute(code: string, outputs: Output[], onOutput?: () => void): Promise<CellRun> {
      collector.startCell(outputs);
      const req = createMessage({ msgType: "execute_request", content: { code, silent: false, store_history: true, allow_stdin: false, stop_on_error: true, user_expressions: {} }, session });
      current = { msgId: req.header.msg_id, ...(onOutput ? { onOutput } : {}) };
      await core.handler.handle("shell", req);
      const reply = current.reply ?? { status: "error", ename: "KernelError", evalue: "the kernel sent no execute_reply", traceback: [] };
      const count = typeof reply.execution_count === "number" ? reply.execution_count : null;
      const status = reply.status === "ok" ? "ok" : reply.status === "aborted" ? "aborted" : "error";
      if (status !== "error") return { status, executionCount: count };
      const traceback = Array.isArray(reply.traceback) ? reply.traceback.map(String) : [];
      return { status, executionCount: count, error: { ename: String(reply.ename ?? "Error"), evalue: String(reply.evalue ?? ""), traceback } };
    },
    widgetState: () => widgets.toJSON(),
    interrupt: () => core.handler.interrupt(),
    close() {
      core.stopChildren();
      core.close();
    },
  };
}
