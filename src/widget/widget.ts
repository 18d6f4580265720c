import { commHost, type Comm } from "./comm.js";
import { openWidgetModels } from "./widget-models.js";

/** The widget message protocol version flamebook speaks (`comm_open` metadata `version`). */
export const WIDGET_PROTOCOL_VERSION = "2.1.0";

type Listener = (value: unknown, key: string) => void;

/**
 * A kernel-side Jupyter widget model (widget message protocol 2.1): its state lives here and in
 * the front end, kept in step over one `jupyter.widget` comm. `set()` sends an `update`;
 * `update`s from the front end change the state and notify `on(key)` listeners (and are echoed
 * with `echo_update`, so other views of the same model follow); `request_state` is answered with
 * the whole state. Binary values (Uint8Array) travel as buffers addressed by `buffer_paths`.
 * Without a comm host (plain Node, the CLI) nothing is opened and the state stays local.
 *
 * @example
 * const w = new Widget({ _model_name: "AnyModel", _model_module: "anywidget", value: 1 });
 * w.on("value", (v) => console.log("front end set", v));
 * w.set("value", 2);
 */
export class Widget {
  private readonly values: Record<string, unknown>;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly customHandlers = new Set<(content: unknown, buffers: readonly Uint8Array[]) => void>();
  readonly comm: Comm | undefined;

  /**
   * A new model with `state`. With a comm host it opens a `jupyter.widget` comm at once; pass
   * `comm` instead to back a model the front end opened (see `Widget.attach`), or null for a
   * local model that opens none (the front end could not load it).
   */
  constructor(state: Record<string, unknown>, comm?: Comm | null) {
    this.values = { ...state };
    if (comm === null) return;
    if (comm) {
      this.comm = comm;
    } else {
      const host = commHost();
      if (!host) return;
      const { state: json, buffers, bufferPaths } = splitBuffers(this.values);
      this.comm = host.open("jupyter.widget", { state: json, buffer_paths: bufferPaths }, { version: WIDGET_PROTOCOL_VERSION }, buffers);
    }
    const id = this.comm.id;
    openWidgetModels().set(id, { modelId: id, state: () => this.state() });
    this.comm.onMsg((data, bufs) => this.receive(data, bufs));
    this.comm.onClose(() => openWidgetModels().delete(id));
  }

  /**
   * The kernel side of a model the front end created (a `comm_open` to `jupyter.widget` from the
   * front end, with `{ state, buffer_paths }` and buffers): a generic model that keeps the state,
   * answers `request_state` and applies updates, so the front end's widget is backed.
   *
   * @example
   * comms.registerTarget("jupyter.widget", (comm, data, buffers) => Widget.attach(comm, data, buffers));
   */
  static attach(comm: Comm, data: Record<string, unknown>, buffers: readonly Uint8Array[] = []): Widget {
    const state = frontEndState(data["state"]);
    ((data["buffer_paths"] as (string | number)[][] | undefined) ?? []).forEach((path, i) => putAt(state, path, buffers[i]));
    return new Widget(state, comm);
  }

  /** The comm id, which front ends call the model id (undefined without a kernel). */
  get modelId(): string | undefined {
    return this.comm?.id;
  }

  /** A state value. @example w.get("options") */
  get(key: string): unknown {
    return this.values[key];
  }

  /** The whole state (a copy). @example Object.keys(w.state()) */
  state(): Record<string, unknown> {
    return { ...this.values };
  }

  /** Sets state values and sends them to the front end. @example w.set("options", { layout: "icicle" }) */
  set(key: string, value: unknown): void;
  set(values: Record<string, unknown>): void;
  set(a: string | Record<string, unknown>, value?: unknown): void {
    const changes = typeof a === "string" ? { [a]: value } : a;
    Object.assign(this.values, changes);
    if (!this.comm) return;
    const { state, buffers, bufferPaths } = splitBuffers(changes);
    this.comm.send({ method: "update", state, buffer_paths: bufferPaths }, buffers);
  }

  /** Listens to changes of one key made by the front end. Returns a function that stops listening. @example w.on("selected", (s) => …) */
  on(key: string, listener: Listener): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Listens to `custom` messages from the front end. @example w.onCustom((c) => console.log(c)) */
  onCustom(handler: (content: unknown, buffers: readonly Uint8Array[]) => void): () => void {
    this.customHandlers.add(handler);
    return () => this.customHandlers.delete(handler);
  }

  /** Sends a `custom` message to the front end. @example w.send({ event: "reset" }) */
  send(content: unknown, buffers: readonly Uint8Array[] = []): void {
    this.comm?.send({ method: "custom", content }, buffers);
  }

  /** Closes the comm: the front end drops the model. @example w.close() */
  close(): void {
    if (this.comm) openWidgetModels().delete(this.comm.id);
    this.comm?.close();
  }

  /** What a front end shows for this widget: the widget view, plus a text fallback. */
  viewBundle(): Record<string, unknown> {
    if (!this.modelId) return { "text/plain": String(this) };
    return {
      "application/vnd.jupyter.widget-view+json": { model_id: this.modelId, version_major: 2, version_minor: 1 },
      "text/plain": String(this),
    };
  }

  /** Handles one `comm_msg` from the front end. */
  private receive(data: Record<string, unknown>, buffers: readonly Uint8Array[]): void {
    switch (data["method"]) {
      case "update": {
        const state = frontEndState(data["state"]);
        const paths = (data["buffer_paths"] as string[][] | undefined) ?? [];
        paths.forEach((path, i) => putAt(state, path, buffers[i]));
        Object.assign(this.values, state);
        // Protocol 2.1: echo what the front end set, so every view of the model agrees.
        const echo = splitBuffers(state);
        this.comm?.send({ method: "echo_update", state: echo.state, buffer_paths: echo.bufferPaths }, echo.buffers);
        for (const [key, value] of Object.entries(state)) for (const l of this.listeners.get(key) ?? []) l(value, key);
        return;
      }
      case "request_state": {
        const all = splitBuffers(this.values);
        this.comm?.send({ method: "update", state: all.state, buffer_paths: all.bufferPaths }, all.buffers);
        return;
      }
      case "custom":
        for (const h of this.customHandlers) h(data["content"], buffers);
        return;
      default:
        return;
    }
  }
}

/**
 * Moves binary values (Uint8Array, also nested in objects and arrays) out of a state into
 * buffers, leaving null in their place, as the widget protocol's `buffer_paths` describe.
 *
 * @example
 * splitBuffers({ a: 1, tree: new Uint8Array(4) }); // { state: { a: 1, tree: null }, buffers: [<4 bytes>], bufferPaths: [["tree"]] }
 */
export function splitBuffers(state: Record<string, unknown>): { state: Record<string, unknown>; buffers: Uint8Array[]; bufferPaths: (string | number)[][] } {
  const buffers: Uint8Array[] = [];
  const bufferPaths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (v instanceof Uint8Array) {
      buffers.push(v);
      bufferPaths.push(path);
      return null;
    }
    if (ArrayBuffer.isView(v)) return walk(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), path);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    }
    return v;
  };
  const out = walk(state, []) as Record<string, unknown>;
  return { state: out, buffers, bufferPaths };
}

/** A state object sent by the front end, as a plain copy without keys that would reach a prototype. */
function frontEndState(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "__proto__"));
}

function putAt(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  // A path comes from the front end: refuse ones that would reach Object.prototype.
  if (path.some((k) => k === "__proto__" || k === "constructor" || k === "prototype")) return;
  let obj: Record<string | number, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = obj[path[i]!];
    if (!next || typeof next !== "object") return;
    obj = next as Record<string | number, unknown>;
  }
  if (path.length > 0) obj[path[path.length - 1]!] = value;
}
