// The page side of the live browser test (bundled, not a test file): @jupyterlab/services starts
// our kernel on a real Jupyter Server, and a real @jupyter-widgets widget manager (base-manager's
// ManagerBase, wired to the kernel the way jupyterlab-manager does) renders the widgets the kernel
// opens. The test drives it through `window.live`.
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { Widget } from "@lumino/widgets";
import type { JSONObject } from "@lumino/coreutils";
import { anywidgetClasses } from "./anywidget-amd.js";
import { ClassicComm } from "./comm-shim.js";

type WidgetClass = typeof base.WidgetModel | typeof base.WidgetView;

/** A widget manager over one kernel connection (jupyterlab-manager's KernelWidgetManager, reduced). */
class KernelWidgetManager extends ManagerBase {
  private anywidget: Record<string, unknown> | undefined;

  constructor(private readonly kernel: Kernel.IKernelConnection) {
    super();
    kernel.registerCommTarget("jupyter.widget", (comm, msg) => {
      void this.handle_comm_open(new ClassicComm(comm), msg);
    });
  }

  /** Models and views by module name: anywidget's front end and @jupyter-widgets/base. */
  protected async loadClass(className: string, moduleName: string): Promise<WidgetClass> {
    let mod: Record<string, unknown>;
    if (moduleName === "anywidget") mod = this.anywidget ??= anywidgetClasses(base);
    else if (moduleName === "@jupyter-widgets/base") mod = base as unknown as Record<string, unknown>;
    else throw new Error(`no widget module ${moduleName}`);
    const cls = mod[className];
    if (typeof cls !== "function") throw new Error(`no ${className} in ${moduleName}`);
    return cls as WidgetClass;
  }

  protected async _create_comm(target: string, id?: string, data?: JSONObject, metadata?: JSONObject, buffers?: ArrayBuffer[] | ArrayBufferView[]): Promise<ClassicComm> {
    const comm = new ClassicComm(this.kernel.createComm(target, id));
    if (data || metadata) comm.open(data ?? {}, undefined, metadata, buffers);
    return comm;
  }

  protected async _get_comm_info(): Promise<Record<string, { target_name: string }>> {
    const reply = await this.kernel.requestCommInfo({ target_name: "jupyter.widget" });
    return reply.content.status === "ok" ? (reply.content.comms as Record<string, { target_name: string }>) : {};
  }

  /** Set when restoring fell back from the control comm to one request_state per comm. */
  usedFallback = false;

  protected override async _loadFromKernelModels(): Promise<void> {
    this.usedFallback = true;
    return super._loadFromKernelModels();
  }

  /** Restores every widget model the kernel has (what a front end does when it reconnects). */
  async restore(): Promise<string[]> {
    await this._loadFromKernel();
    return (await this._get_comm_info().then(Object.keys)).filter((id) => this.has_model(id));
  }
}

/** What one execute request produced. */
export interface Executed {
  status: string;
  /** iopub message types, in order. */
  types: string[];
  /** The execute_result's data (null when there was none). */
  result: Record<string, unknown> | null;
  error: string | null;
  stdout: string;
}

/** What {@link live.reconnect} found. */
export interface Restored {
  restored: string[];
  usedFallback: boolean;
  modelName: string | null;
  layout: string | null;
  /** Size of the restored model's `tree` buffer (-1 when it is not binary). */
  treeBytes: number;
}

let kernels: KernelManager | undefined;
let kernel: Kernel.IKernelConnection | undefined;
let manager: KernelWidgetManager | undefined;
let view: base.DOMWidgetView | undefined;

const live = {
  /** Starts a kernel by name on the server the page came from and wires a widget manager to it. */
  async start(name: string, token: string): Promise<string> {
    const baseUrl = `${location.origin}/`;
    const serverSettings = ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace(/^http/, "ws"), token });
    kernels = new KernelManager({ serverSettings });
    await kernels.ready;
    kernel = await kernels.startNew({ name });
    manager = new KernelWidgetManager(kernel);
    const info = await kernel.info;
    return info.implementation;
  },

  /** Runs a cell; resolves once its execute_reply and its idle status have both arrived. */
  async execute(code: string): Promise<Executed> {
    const out: Executed = { status: "", types: [], result: null, error: null, stdout: "" };
    const future = kernel!.requestExecute({ code, store_history: true });
    future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
      out.types.push(msg.header.msg_type);
      const c = msg.content as Record<string, unknown>;
      if (msg.header.msg_type === "execute_result") out.result = c["data"] as Record<string, unknown>;
      if (msg.header.msg_type === "error") out.error = `${String(c["ename"])}: ${String(c["evalue"])}`;
      if (msg.header.msg_type === "stream") out.stdout += String(c["text"]);
    };
    const reply = await future.done;
    out.status = reply.content.status;
    return out;
  },

  /** Shows the view of a widget model in #host, as a notebook output does. */
  async show(modelId: string): Promise<void> {
    const model = await manager!.get_model(modelId);
    view = (await manager!.create_view(model)) as base.DOMWidgetView;
    Widget.attach(view.luminoWidget, document.getElementById("host")!);
  },

  /** An attribute of the shown view's model (JSON-cloned). */
  modelValue(key: string): unknown {
    return JSON.parse(JSON.stringify(view!.model.get(key) ?? null)) as unknown;
  },

  /**
   * Messages the shown model sent that the kernel has not yet answered with an idle status (the
   * model holds back further updates while this is non-zero).
   */
  pendingMessages(): number {
    return (view!.model as unknown as { _pending_msgs: number })._pending_msgs;
  },

  /**
   * A second connection to the same kernel with a fresh manager that restores every model (as a
   * reloaded page does), then shows the first restored model in #host2.
   */
  async reconnect(): Promise<Restored> {
    const other = kernels!.connectTo({ model: kernel!.model, handleComms: true });
    const m = new KernelWidgetManager(other);
    const restored = await m.restore();
    const model = restored[0] ? await m.get_model(restored[0]) : undefined;
    if (model) Widget.attach(((await m.create_view(model)) as base.DOMWidgetView).luminoWidget, document.getElementById("host2")!);
    const tree = model?.get("tree") as unknown;
    return {
      restored,
      usedFallback: m.usedFallback,
      modelName: model ? String(model.get("_model_name")) : null,
      layout: model ? (model.get("options") as { layout?: string }).layout ?? null : null,
      treeBytes: ArrayBuffer.isView(tree) ? tree.byteLength : tree instanceof ArrayBuffer ? tree.byteLength : -1,
    };
  },

  async shutdown(): Promise<void> {
    await kernel?.shutdown();
    kernels?.dispose();
  },
};

(window as unknown as { live: typeof live }).live = live;
