// The page side of the live browser test (bundled, not a test file): a classic-notebook-style comm
// (what @jupyter-widgets' ManagerBase talks to) over a @jupyterlab/services kernel comm, in the
// shape @jupyter-widgets/jupyterlab-manager's shim uses: ids, open/send/close with callbacks that
// receive the request's replies and iopub messages, and on_msg/on_close handlers.
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import type { ICallbacks, IClassicComm } from "@jupyter-widgets/base";
import type { JSONObject, JSONValue } from "@lumino/coreutils";

type Buffers = ArrayBuffer[] | ArrayBufferView[];

/** Iopub message types handed to a callbacks.iopub.output handler. */
const OUTPUT_TYPES = new Set(["display_data", "execute_result", "stream", "error", "update_display_data"]);

export class ClassicComm implements IClassicComm {
  constructor(private readonly comm: Kernel.IComm) {}

  get comm_id(): string {
    return this.comm.commId;
  }

  get target_name(): string {
    return this.comm.targetName;
  }

  open(data: JSONValue, callbacks?: ICallbacks, metadata?: JSONObject, buffers?: Buffers): string {
    return this.wire(this.comm.open(data as JSONObject, metadata, buffers), callbacks);
  }

  send(data: JSONValue, callbacks?: ICallbacks, metadata?: JSONObject, buffers?: Buffers): string {
    return this.wire(this.comm.send(data as JSONObject, metadata, buffers), callbacks);
  }

  close(data?: JSONValue, callbacks?: ICallbacks, metadata?: JSONObject, buffers?: Buffers): string {
    return this.wire(this.comm.close(data as JSONObject | undefined, metadata, buffers), callbacks);
  }

  on_msg(callback: (msg: KernelMessage.ICommMsgMsg) => void): void {
    this.comm.onMsg = (msg) => callback.call(this, msg);
  }

  on_close(callback: (msg: KernelMessage.ICommCloseMsg) => void): void {
    this.comm.onClose = (msg) => callback.call(this, msg);
  }

  /** Routes the future's replies and iopub messages to the callbacks; returns the request's msg_id. */
  private wire(future: Kernel.IShellFuture, callbacks: ICallbacks | undefined): string {
    if (callbacks) {
      future.onReply = (msg) => callbacks.shell?.["reply"]?.(msg);
      future.onStdin = (msg) => callbacks.input?.(msg);
      future.onIOPub = (msg) => {
        const iopub = callbacks.iopub;
        if (!iopub) return;
        const type = msg.header.msg_type;
        if (type === "status") iopub["status"]?.(msg);
        else if (type === "clear_output") iopub["clear_output"]?.(msg);
        else if (OUTPUT_TYPES.has(type)) iopub["output"]?.(msg);
      };
    }
    return future.msg.header.msg_id;
  }
}
