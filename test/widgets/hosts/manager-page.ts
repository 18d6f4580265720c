// The page side of the comm test (bundled, not a test file): a real @jupyter-widgets widget
// manager (base-manager's ManagerBase) with our FlamegraphModel/View, whose comm records what the
// front end sends and lets the test deliver what a kernel would send.
import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as flamebook from "../../../widgets/hosts/jupyter-widgets.js";

type Msg = { method: string; state?: Record<string, unknown>; buffer_paths?: unknown };

class RecordingComm {
  readonly sent: Msg[] = [];
  private onMsg: ((msg: unknown) => void) | undefined;
  constructor(
    readonly comm_id: string,
    readonly target_name: string,
  ) {}
  open(): string {
    return "";
  }
  send(data: Msg, callbacks?: { iopub?: { status?: (msg: unknown) => void } }): string {
    this.sent.push(JSON.parse(JSON.stringify(data)) as Msg);
    // A kernel answers every message with status busy, then idle; the model throttles its
    // updates until it sees idle.
    setTimeout(() => callbacks?.iopub?.status?.({ content: { execution_state: "idle" } }), 0);
    return "";
  }
  close(): string {
    return "";
  }
  on_msg(cb: (msg: unknown) => void): void {
    this.onMsg = cb;
  }
  on_close(): void {}
  /** Delivers a kernel → front end comm_msg. */
  receive(data: Msg, buffers: ArrayBuffer[] = []): void {
    this.onMsg?.({ content: { comm_id: this.comm_id, data }, buffers: buffers.map((b) => new DataView(b)), header: {}, parent_header: {}, metadata: {} });
  }
}

class Manager extends ManagerBase {
  protected async loadClass(className: string, moduleName: string): Promise<typeof base.WidgetModel | typeof base.WidgetView> {
    const mod = (moduleName === "flamebook" ? flamebook : base) as unknown as Record<string, typeof base.WidgetModel | typeof base.WidgetView>;
    const cls = mod[className];
    if (!cls) throw new Error(`no ${className} in ${moduleName}`);
    return cls;
  }
  protected async _create_comm(target: string, id?: string): Promise<never> {
    return new RecordingComm(id ?? "c", target) as never;
  }
  protected async _get_comm_info(): Promise<object> {
    return {};
  }
}

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;

const api = {
  comm: undefined as RecordingComm | undefined,
  model: undefined as base.WidgetModel | undefined,
  /** Opens a model from a saved-state entry (what comm_open carries) and shows a view of it. */
  async show(entry: { model_name: string; model_module: string; model_module_version: string; state: Record<string, unknown>; buffers: { path: string[]; data: string }[] }): Promise<void> {
    const manager = new Manager();
    const comm = new RecordingComm("m1", "jupyter.widget");
    const state = { ...entry.state };
    for (const buf of entry.buffers) state[buf.path[0]!] = new DataView(b64(buf.data));
    const model = await manager.new_model({ model_name: entry.model_name, model_module: entry.model_module, model_module_version: entry.model_module_version, model_id: "m1", comm: comm as never }, state);
    const view = await manager.create_view(model);
    document.getElementById("host")!.append(view.el);
    view.trigger("displayed");
    api.comm = comm;
    api.model = model;
  },
};
(window as unknown as { fbm: typeof api }).fbm = api;
