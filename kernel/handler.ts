/**
 * The kernel's message semantics (Jupyter messaging 5.3), independent of ZeroMQ: requests come in
 * through `handle`, replies and iopub messages go out through `send`. Shell requests run one at a
 * time in arrival order; control requests (interrupt, shutdown) are answered at once.
 */
import { isDisplayHandle } from "../src/display/display.js";
import { toMimeBundle } from "./display.js";
import type { CommRegistry } from "./comms.js";
import type { CellExecutor, CellError, DisplayHook } from "./executor.js";
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

const SHELL_REPLIES: Record<string, string> = {
  kernel_info_request: "kernel_info_reply",
  execute_request: "execute_reply",
  complete_request: "complete_reply",
  inspect_request: "inspect_reply",
  is_complete_request: "is_complete_reply",
  history_request: "history_reply",
  comm_info_request: "comm_info_reply",
  shutdown_request: "shutdown_reply",
  interrupt_request: "interrupt_reply",
};

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

  function kernelInfo(): JsonObject {
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

  async function execute(req: Message, arrived: number): Promise<void> {
    const c = req.content as { code?: unknown; silent?: unknown; store_history?: unknown; stop_on_error?: unknown };
    const code = typeof c.code === "string" ? c.code : "";
    const silent = c.silent === true;
    const storeHistory = silent ? false : c.store_history !== false;
    const stopOnError = c.stop_on_error !== false;
    if (arrived < abortArrivedBefore) {
      await reply("shell", req, "execute_reply", { status: "aborted", execution_count: executionCount });
      return;
    }
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
      await reply("shell", req, "execute_reply", { status: "error", execution_count: count, ename: error.ename, evalue: error.evalue, traceback: error.traceback });
      return;
    }
    await reply("shell", req, "execute_reply", { status: "ok", execution_count: count, user_expressions: {}, payload: [] });
  }

  async function dispatch(channel: Exclude<Channel, "iopub">, req: Message, arrived: number): Promise<void> {
    const type = req.header.msg_type;
    const content = req.content;
    switch (type) {
      case "kernel_info_request":
        return void (await reply(channel, req, "kernel_info_reply", kernelInfo()));
      case "execute_request":
        return execute(req, arrived);
      case "complete_request": {
        const code = String(content.code ?? "");
        const cursor = codePointsToUtf16(code, Number(content.cursor_pos ?? code.length));
        let r = { matches: [] as string[], cursor_start: cursor, cursor_end: cursor };
        try {
          r = o.executor.complete(code, cursor);
        } catch (e) {
          o.log(`complete failed: ${(e as Error).message}`);
        }
        return void (await reply(channel, req, "complete_reply", {
          status: "ok",
          matches: r.matches,
          cursor_start: utf16ToCodePoints(code, r.cursor_start),
          cursor_end: utf16ToCodePoints(code, r.cursor_end),
          metadata: {},
        }));
      }
      case "inspect_request": {
        const code = String(content.code ?? "");
        let text: string | undefined;
        try {
          text = o.executor.inspect(code, codePointsToUtf16(code, Number(content.cursor_pos ?? code.length)));
        } catch (e) {
          o.log(`inspect failed: ${(e as Error).message}`);
        }
        return void (await reply(channel, req, "inspect_reply", { status: "ok", found: !!text, data: text ? { "text/plain": text } : {}, metadata: {} }));
      }
      case "is_complete_request":
        return void (await reply(channel, req, "is_complete_reply", o.executor.isComplete(String(content.code ?? ""))));
      case "history_request":
        return void (await reply(channel, req, "history_reply", { status: "ok", history: [] }));
      case "comm_info_request": {
        const target = typeof content.target_name === "string" ? content.target_name : undefined;
        return void (await reply(channel, req, "comm_info_reply", { status: "ok", comms: o.comms.info(target) }));
      }
      case "comm_open":
      case "comm_msg":
      case "comm_close":
        parent = req;
        o.comms.receive(type, content, req.buffers);
        return;
      case "interrupt_request":
        handle.interrupt();
        return void (await reply(channel, req, "interrupt_reply", { status: "ok" }));
      case "shutdown_request": {
        const restart = content.restart === true;
        await reply(channel, req, "shutdown_reply", { status: "ok", restart });
        await pub(req, "shutdown_reply", { status: "ok", restart });
        o.onShutdown(restart);
        return;
      }
      default: {
        o.log(`${channel}: unsupported message type ${JSON.stringify(type)}`);
        const replyType = type.endsWith("_request") ? type.replace(/_request$/, "_reply") : undefined;
        if (replyType) await reply(channel, req, replyType, { status: "error", ename: "NotImplemented", evalue: `${type} is not supported`, traceback: [] });
      }
    }
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
        const run = queue.then(() => withStatus(channel, req, arrived));
        queue = run.catch(() => undefined);
        return run;
      }
      if (channel === "stdin") return Promise.resolve(); // input_reply: no input_request is ever sent
      if (!(req.header.msg_type in SHELL_REPLIES)) o.log(`${channel}: unexpected ${req.header.msg_type}`);
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
