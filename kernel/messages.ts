/**
 * The requests this kernel answers and their replies, as types (Jupyter messaging 5.3), after
 * tslab's `src/jupyter.ts`: one content type per message type, and `KernelRequests`, the map from
 * a request's `msg_type` to its content, its reply's `msg_type` and the reply's content, through
 * which `handler.ts` dispatches. The contents are what `request-guards.ts` lets through: the
 * fields this kernel reads, with the defaults it applies noted; other fields are ignored.
 * Spec: https://jupyter-client.readthedocs.io/en/stable/messaging.html
 *
 * Types, not interfaces: a reply's content must be a `JsonObject` (see wire.ts), which an
 * interface, having no index signature, is not.
 */
import type { JsonObject } from "./wire.js";

/** `kernel_info_request`: no fields. */
export type KernelInfoRequest = Record<string, never>;

/** `execute_request`: one cell to run. */
export type ExecuteRequest = {
  /** The cell's source. */
  code: string;
  /** Run quietly: no iopub outputs, no `execute_result`, not counted (forces `store_history` off). Default false. */
  silent?: boolean;
  /** Count this cell (increment `execution_count`). Default true unless `silent`. */
  store_history?: boolean;
  /** Names to expressions to evaluate after the cell; this kernel answers `{}`. */
  user_expressions?: JsonObject;
  /** Whether the kernel may send `input_request`; this kernel never does. */
  allow_stdin?: boolean;
  /** Abort the requests queued before this one if it fails. Default true. */
  stop_on_error?: boolean;
};

/** `complete_request`: completions at a cursor. */
export type CompleteRequest = {
  code: string;
  /** Cursor position in `code`, in Unicode code points (protocol ≥ 5.2). Default: the end of `code`. */
  cursor_pos?: number;
};

/** `inspect_request`: what is at a cursor (hover, Shift+Tab). */
export type InspectRequest = {
  code: string;
  /** Cursor position in code points. Default: the end of `code`. */
  cursor_pos?: number;
  /** 0 (`x?`) or 1 (`x??`); this kernel answers both alike. */
  detail_level?: number;
};

/** `is_complete_request`: whether a console should run `code` on Enter. */
export type IsCompleteRequest = {
  code: string;
};

/** `history_request`: this kernel keeps no history and answers an empty list. */
export type HistoryRequest = {
  output?: boolean;
  raw?: boolean;
  hist_access_type?: "range" | "tail" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
};

/** `comm_info_request`: the open comms, of one target or all. */
export type CommInfoRequest = {
  target_name?: string;
};

/** `comm_open` from the front end (no reply). */
export type CommOpen = {
  comm_id: string;
  target_name: string;
  /** Default `{}`. */
  data?: JsonObject;
  target_module?: string;
};

/** `comm_msg` from the front end (no reply). */
export type CommMsg = {
  comm_id: string;
  /** Default `{}`. */
  data?: JsonObject;
};

/** `comm_close` from the front end (no reply). */
export type CommClose = {
  comm_id: string;
  data?: JsonObject;
};

/** `interrupt_request` (control channel): no fields. */
export type InterruptRequest = Record<string, never>;

/** `shutdown_request` (control channel). */
export type ShutdownRequest = {
  /** Whether a restart follows. Default false. */
  restart?: boolean;
};

/** What any reply carries when its request failed (also a malformed request's reply). */
export type ErrorReply = { status: "error"; ename: string; evalue: string; traceback: string[] };

/** `kernel_info_reply`. */
export type KernelInfoReply = {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  banner: string;
  help_links: { text: string; url: string }[];
  language_info: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    codemirror_mode: string | JsonObject;
    pygments_lexer: string;
  };
};

/** `execute_reply`: ok, failed (the cell threw or did not compile) or aborted (an earlier cell failed). */
export type ExecuteReply =
  | { status: "ok"; execution_count: number; user_expressions: JsonObject; payload: JsonObject[] }
  | (ErrorReply & { execution_count: number })
  | { status: "aborted"; execution_count: number };

/** `complete_reply`: cursor positions in code points. */
export type CompleteReply = { status: "ok"; matches: string[]; cursor_start: number; cursor_end: number; metadata: JsonObject };

/** `inspect_reply`. */
export type InspectReply = { status: "ok"; found: boolean; data: Record<string, string>; metadata: JsonObject };

/** `is_complete_reply`: `indent` only when incomplete. */
export type IsCompleteReply = { status: "complete" | "incomplete" | "invalid" | "unknown"; indent?: string };

/** `history_reply`: `[session, line, input]` entries (or `[session, line, [input, output]]`). */
export type HistoryReply = { status: "ok"; history: [number, number, string | [string, string | null]][] };

/** `comm_info_reply`. */
export type CommInfoReply = { status: "ok"; comms: Record<string, { target_name: string }> };

/** `interrupt_reply`. */
export type InterruptReply = { status: "ok" };

/** `shutdown_reply` (also broadcast on iopub). */
export type ShutdownReply = { status: "ok"; restart: boolean };

/**
 * Each message type the kernel handles: its content, the `msg_type` of its reply and the reply's
 * content (`undefined` for comm messages, which have no reply). Every reply may instead be an
 * {@link ErrorReply}.
 */
export type KernelRequests = {
  kernel_info_request: { content: KernelInfoRequest; reply: "kernel_info_reply"; replyContent: KernelInfoReply };
  execute_request: { content: ExecuteRequest; reply: "execute_reply"; replyContent: ExecuteReply };
  complete_request: { content: CompleteRequest; reply: "complete_reply"; replyContent: CompleteReply };
  inspect_request: { content: InspectRequest; reply: "inspect_reply"; replyContent: InspectReply };
  is_complete_request: { content: IsCompleteRequest; reply: "is_complete_reply"; replyContent: IsCompleteReply };
  history_request: { content: HistoryRequest; reply: "history_reply"; replyContent: HistoryReply };
  comm_info_request: { content: CommInfoRequest; reply: "comm_info_reply"; replyContent: CommInfoReply };
  comm_open: { content: CommOpen; reply: undefined; replyContent: undefined };
  comm_msg: { content: CommMsg; reply: undefined; replyContent: undefined };
  comm_close: { content: CommClose; reply: undefined; replyContent: undefined };
  interrupt_request: { content: InterruptRequest; reply: "interrupt_reply"; replyContent: InterruptReply };
  shutdown_request: { content: ShutdownRequest; reply: "shutdown_reply"; replyContent: ShutdownReply };
};

/** A `msg_type` this kernel handles. */
export type RequestType = keyof KernelRequests;
/** The content of a `T` message. */
export type RequestContent<T extends RequestType> = KernelRequests[T]["content"];
/** The content of the reply to a `T` message (`undefined`: none). */
export type ReplyContent<T extends RequestType> = KernelRequests[T]["replyContent"];

/** The reply `msg_type` of each message type (`undefined`: no reply). */
export const REPLY_TYPES: { readonly [T in RequestType]: KernelRequests[T]["reply"] } = {
  kernel_info_request: "kernel_info_reply",
  execute_request: "execute_reply",
  complete_request: "complete_reply",
  inspect_request: "inspect_reply",
  is_complete_request: "is_complete_reply",
  history_request: "history_reply",
  comm_info_request: "comm_info_reply",
  comm_open: undefined,
  comm_msg: undefined,
  comm_close: undefined,
  interrupt_request: "interrupt_reply",
  shutdown_request: "shutdown_reply",
};

/**
 * Whether `msgType` is one the kernel handles (a key of {@link KernelRequests}).
 *
 * @example isRequestType("execute_request"); // true
 * @example isRequestType("debug_request");   // false
 */
export function isRequestType(msgType: string): msgType is RequestType {
  return Object.hasOwn(REPLY_TYPES, msgType);
}
