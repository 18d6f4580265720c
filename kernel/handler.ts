/**
 * The kernel's message semantics (Jupyter messaging 5.3), independent of ZeroMQ: requests come in
 * through `handle`, replies and iopub messages go out through `send`. Shell requests run one at a
 * time in arrival order; control requests (interrupt, shutdown) are answered at once.
 */
import { isDisplayHandle } from "../src/display/display.js";
import { toMimeBundle } from "./display.js";
import type { CommRegistry } from "./comms.js";
import type { CellExecutor, CellError, DisplayHook } from "./executor.js";
import {
  isRequestType,
  REPLY_TYPES,
  type ErrorReply,
  type ExecuteReply,
  type ExecuteRequest,
  type InspectReply,
  type KernelInfoReply,
  type ReplyContent,
  type RequestContent,
  type RequestType,
} from "./messages.js";
import { checkRequest } from "./request-guards.js";
import type { StreamSink } from "./streams.js";
import { createMessage, PROTOCOL_VERSION, type JsonObject, type Message } from "./wire.js";
import type { Channel } from "./transport.js";

/** What a handler needs from the rest of the kernel. */
export interface HandlerOptions {
  executor: CellExecutor;
  comms: CommRegistry;
  /** Sends a finished message (the transport signs it). */
  send(channel: Channel, msg: Message): void | Promise<void>;
  /** The kernel's session id, used in every header it writes. */
  session: string;
  /** flamebook's version (package.json). */
  implementationVersion: string;
  /** The TypeScript version cells are compiled with. */
  languageVersion: string;
  /** Routes captured stdout/stderr (see streams.ts). */
  setStreamSink(sink: StreamSink | undefined): void;
  /** Called after shutdown_reply is sent. */
  onShutdown(restart: boolean): void;
  /** Called on interrupt, after the cell was interrupted: kill child processes here. */
  onInterrupt?(): void;
  log(text: string): void;
}

/** A message handler with its execution state. */
export interface KernelHandler {
  /** Handles one verified message. Resolves when it was answered. */
  handle(channel: Exclude<Channel, "iopub">, msg: Message): Promise<void>;
  /** The request whose outputs iopub messages currently belong to (for comms and late output). */
  currentParent(): Message | undefined;
  /** Publishes on iopub as a child of the current request. */
  publish(msgType: string, content: JsonObject, metadata?: JsonObject, buffers?: readonly Uint8Array[]): void;
  /** Interrupts the running cell (also used for SIGINT). */
  interrupt(): void;
  /** Resolves when all queued shell requests were handled. */
  idle(): Promise<void>;
}

/** Converts a cursor position in code points (protocol ≥ 5.2) to a UTF-16 offset, and back. */
export function codePointsToUtf16(code: string, pos: number): number {
  let i = 0;
  for (let n = 0; n < pos && i < code.length; n++) i += (code.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return i;
}
/** @see codePointsToUtf16 */
export function utf16ToCodePoints(code: string, offset: number): number {
  return [...code.slice(0, offset)].length;
}

/** What the handler does with each message type: its checked content in, its reply's content out. */
type Handlers = {
  readonly [T in RequestType]: (content: RequestContent<T>, req: Message, arrived: number) => ReplyContent<T> | Promise<ReplyContent<T>>;
};
/** What happens once a reply was sent (shutdown: broadcast it, then stop). */
type AfterReply = { readonly [T in RequestType]?: (content: RequestContent<T>, reply: ReplyContent<T>, req: Message) => Promise<void> };

/**
 * Creates the handler.
 *
 * @example
 * const h = createKernelHandler({ executor, comms, send: (ch, m) => transport.send(ch, m), … });
 * await h.handle("shell", msg);
 */
export function createKernelHandler(o: HandlerOptions): KernelHandler {
  let executionCount = 0;
  let parent: Message | undefined;
  let queue: Promise<void> = Promise.resolve();
  /** Shell requests that arrived before this time are aborted (set when a cell fails). */
  let abortArrivedBefore = -1;
  let seq = 0;

  const reply = (channel: Channel, req: Message, msgType: string, content: JsonObject, metadata: JsonObject = {}) =>
    o.send(channel, createMessage({ msgType, content, parent: req, session: o.session, metadata }));
  const pub = (req: Message | undefined, msgType: string, content: JsonObject, metadata: JsonObject = {}, buffers: readonly Uint8Array[] = []) =>
    o.send("iopub", createMessage({ msgType, content, parent: req, session: o.session, metadata, buffers, identities: [Buffer.from(`kernel.${msgType}`)] }));
  const status = (req: Message, state: "busy" | "idle" | "starting") => pub(req, "status", { execution_state: state });

  function kernelInfo(): KernelInfoReply {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "flamebook",
      implementation_version: o.implementationVersion,
      banner: `flamebook ${o.implementationVersion}: TypeScript (${o.languageVersion}) for profiling Rust, on tslab`,
      help_links: [{ text: "flamebook", url: "https://github.com/flamebook/flamebook#readme" }],
      language_info: {
        name: "typescript",
        version: o.languageVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "javascript", typescript: true },
        pygments_lexer: "typescript",
      },
    };
  }

  async function execute(c: ExecuteRequest, req: Message, arrived: number): Promise<ExecuteReply> {
    const { code } = c;
    const silent = c.silent === true;
    const storeHistory = silent ? false : c.store_history !== false;
    const stopOnError = c.stop_on_error !== false;
    if (arrived < abortArrivedBefore) return { status: "aborted", execution_count: executionCount };
    if (storeHistory) executionCount++;
    const count = executionCount;
    parent = req;
    if (!silent) await pub(req, "execute_input", { code, execution_count: count });
    o.setStreamSink((name, text) => {
      if (!silent) void pub(req, "stream", { name, text });
    });
    o.executor.setDisplayHook(((d, update) => {
      if (silent) return;
      const content: JsonObject = { data: d.data, metadata: d.metadata ?? {}, transient: d.transient?.display_id ? { display_id: d.transient.display_id } : {} };
      void pub(req, update ? "update_display_data" : "display_data", content);
    }) satisfies DisplayHook);

    const outcome = await o.executor.execute(code, { label: String(count) });
    let error: CellError | undefined = outcome.status === "error" ? outcome : undefined;
    if (outcome.status === "ok" && outcome.hasValue && !silent && !isDisplayHandle(outcome.value)) {
      try {
        await pub(req, "execute_result", { execution_count: count, data: toMimeBundle(outcome.value), metadata: {} });
      } catch (e) {
        error = { ename: "DisplayError", evalue: `could not display the value: ${(e as Error).message}`, traceback: [String((e as Error).stack ?? e)] };
      }
    }
    if (error) {
      if (!silent) await pub(req, "error", { ename: error.ename, evalue: error.evalue, traceback: error.traceback });
      if (stopOnError) abortArrivedBefore = performance.now();
      return { status: "error", execution_count: count, ename: error.ename, evalue: error.evalue, traceback: error.traceback };
    }
    return { status: "ok", execution_count: count, user_expressions: {}, payload: [] };
  }

  const handlers: Handlers = {
    kernel_info_request: () => kernelInfo(),
    execute_request: (c, req, arrived) => execute(c, req, arrived),
    complete_request: ({ code, cursor_pos }) => {
      const cursor = codePointsToUtf16(code, cursor_pos ?? code.length);
      let r = { matches: [] as string[], cursor_start: cursor, cursor_end: cursor };
      try {
        r = o.executor.complete(code, cursor);
      } catch (e) {
        o.log(`complete failed: ${(e as Error).message}`);
      }
      return { status: "ok", matches: r.matches, cursor_start: utf16ToCodePoints(code, r.cursor_start), cursor_end: utf16ToCodePoints(code, r.cursor_end), metadata: {} };
    },
    inspect_request: ({ code, cursor_pos }) => {
      let text: string | undefined;
      try {
        text = o.executor.inspect(code, codePointsToUtf16(code, cursor_pos ?? code.length));
      } catch (e) {
        o.log(`inspect failed: ${(e as Error).message}`);
      }
      const data: InspectReply["data"] = text ? { "text/plain": text } : {};
      return { status: "ok", found: !!text, data, metadata: {} };
    },
    is_complete_request: ({ code }) => o.executor.isComplete(code),
    history_request: () => ({ status: "ok", history: [] }),
    comm_info_request: ({ target_name }) => ({ status: "ok", comms: o.comms.info(target_name) }),
    // A front end's comm messages have no reply; what comms send meanwhile belongs to them.
    comm_open: (c, req) => {
      parent = req;
      o.comms.receive("comm_open", c, req.buffers);
      return undefined;
    },
    comm_msg: (c, req) => {
      parent = req;
      o.comms.receive("comm_msg", c, req.buffers);
      return undefined;
    },
    comm_close: (c, req) => {
      parent = req;
      o.comms.receive("comm_close", c, req.buffers);
      return undefined;
    },
    interrupt_request: () => {
      handle.interrupt();
      return { status: "ok" };
    },
    shutdown_request: ({ restart }) => ({ status: "ok", restart: restart === true }),
  };
  const afterReply: AfterReply = {
    async shutdown_request(_content, r, req) {
      await pub(req, "shutdown_reply", r);
      o.onShutdown(r.restart);
    },
  };

  /** Answers a request that could not be handled; an execute_reply also carries the count. */
  async function replyError(channel: Channel, req: Message, replyType: string, ename: string, evalue: string, traceback: string[] = []): Promise<void> {
    const error: ErrorReply = { status: "error", ename, evalue, traceback };
    await reply(channel, req, replyType, replyType === "execute_reply" ? { ...error, execution_count: executionCount } : error);
  }

  /**
   * Checks a handled message's content, runs its handler and sends its reply. A malformed request
   * gets an `InvalidRequest` error reply naming the field, and a handler that throws an error reply.
   */
  async function run<T extends RequestType>(type: T, channel: Exclude<Channel, "iopub">, req: Message, arrived: number): Promise<void> {
    const replyType = REPLY_TYPES[type];
    const checked = checkRequest(type, req.content);
    if (!checked.ok) {
      o.log(`${channel}: invalid ${type}: ${checked.error}`);
      if (replyType !== undefined) await replyError(channel, req, replyType, "InvalidRequest", `${type}: ${checked.error}`);
      // A comm the front end could not open here must not stay open there (as for an unknown target).
      else if (type === "comm_open" && typeof req.content.comm_id === "string") await pub(req, "comm_close", { comm_id: req.content.comm_id, data: {} });
      return;
    }
    let out: ReplyContent<T>;
    try {
      out = await handlers[type](checked.value, req, arrived);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      o.log(`${type} failed: ${err.stack ?? err.message}`);
      if (replyType !== undefined) await replyError(channel, req, replyType, err.name, `${type} failed: ${err.message}`);
      return;
    }
    if (replyType !== undefined && out !== undefined) await reply(channel, req, replyType, out);
    await afterReply[type]?.(checked.value, out, req);
  }

  async function dispatch(channel: Exclude<Channel, "iopub">, req: Message, arrived: number): Promise<void> {
    const type = req.header.msg_type;
    if (isRequestType(type)) return run(type, channel, req, arrived);
    o.log(`${channel}: unsupported message type ${JSON.stringify(type)}`);
    const replyType = type.endsWith("_request") ? type.replace(/_request$/, "_reply") : undefined;
    if (replyType) await reply(channel, req, replyType, { status: "error", ename: "NotImplemented", evalue: `${type} is not supported`, traceback: [] });
  }

  async function withStatus(channel: Exclude<Channel, "iopub">, req: Message, arrived: number): Promise<void> {
    await status(req, "busy");
    try {
      await dispatch(channel, req, arrived);
    } catch (e) {
      o.log(`${req.header.msg_type} failed: ${(e as Error).stack ?? String(e)}`);
    } finally {
      await status(req, "idle");
    }
  }

  const handle: KernelHandler = {
    handle(channel, req) {
      const arrived = performance.now() + ++seq * 1e-6;
      if (channel === "shell" && !(req.header.msg_type in { interrupt_request: 1 })) {
        const next = queue.then(() => withStatus(channel, req, arrived));
        queue = next.catch(() => undefined);
        return next;
      }
      if (channel === "stdin") return Promise.resolve(); // input_reply: no input_request is ever sent
      if (!isRequestType(req.header.msg_type) || REPLY_TYPES[req.header.msg_type] === undefined) o.log(`${channel}: unexpected ${req.header.msg_type}`);
      return withStatus(channel, req, arrived);
    },
    currentParent: () => parent,
    publish(msgType, content, metadata = {}, buffers = []) {
      void pub(parent, msgType, content, metadata, buffers);
    },
    interrupt() {
      o.executor.interrupt();
      o.onInterrupt?.();
    },
    idle: () => queue,
  };
  return handle;
}
