/**
 * Jupyter wire protocol 5.3: the multipart frames of one message and their HMAC-SHA256 signature.
 * Spec: https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 *
 *   [identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** The delimiter between routing identities and the signed part. */
export const DELIMITER = "<IDS|MSG>";
/** The messaging protocol version this kernel speaks. */
export const PROTOCOL_VERSION = "5.3";

/** A message header (also the shape of `parent_header` when present). */
export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

/** A JSON object as found in metadata and content. */
export type JsonObject = Record<string, unknown>;

/** One decoded (or to-be-encoded) Jupyter message. */
export interface Message<C extends JsonObject = JsonObject> {
  /** ZeroMQ routing identities (ROUTER sockets); empty on iopub. */
  identities: Buffer[];
  header: Header;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Header | Record<string, never>;
  metadata: JsonObject;
  content: C;
  buffers: Buffer[];
}

/** The result of decoding frames: a message, or the reason it was rejected. */
export type Decoded = { ok: true; message: Message } | { ok: false; error: string };

/**
 * The hex HMAC-SHA256 of the four signed frames, or `""` when the key is empty (auth disabled).
 *
 * @example sign("secret", [header, parent, metadata, content]) // "3f2a…"
 */
export function sign(key: string, frames: readonly Buffer[]): string {
  if (key === "") return "";
  const h = createHmac("sha256", key);
  for (const f of frames) h.update(f);
  return h.digest("hex");
}

/**
 * Checks a signature in constant time. With an empty key only an empty signature is accepted.
 *
 * @example verify("secret", sig, frames) // true
 */
export function verify(key: string, signature: string, frames: readonly Buffer[]): boolean {
  if (key === "") return signature === "";
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(sign(key, frames), "hex");
  const got = Buffer.from(signature, "hex");
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function parseObject(frame: Buffer, what: string): JsonObject {
  const v: unknown = JSON.parse(frame.toString("utf8"));
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`${what} is not a JSON object`);
  return v as JsonObject;
}

/**
 * Decodes the frames of one message and verifies its signature. A message with a missing or
 * wrong signature, no delimiter or malformed JSON is rejected with a reason; it must not be
 * dispatched.
 *
 * @example
 * const d = decode(frames, info.key);
 * if (!d.ok) log(`dropped: ${d.error}`); else dispatch(d.message);
 */
export function decode(frames: readonly Buffer[], key: string): Decoded {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
  if (at < 0) return { ok: false, error: `no ${DELIMITER} delimiter in ${frames.length} frames` };
  if (frames.length < at + 6) return { ok: false, error: `expected at least 5 frames after the delimiter, got ${frames.length - at - 1}` };
  const signature = frames[at + 1].toString("latin1");
  const signed = frames.slice(at + 2, at + 6);
  if (!verify(key, signature, signed)) {
    return { ok: false, error: signature === "" ? "unsigned message" : "bad signature" };
  }
  try {
    const header = parseObject(signed[0], "header");
    if (typeof header.msg_type !== "string") throw new Error("header has no msg_type");
    return {
      ok: true,
      message: {
        identities: frames.slice(0, at),
        header: header as Header,
        parent_header: parseObject(signed[1], "parent_header") as Header | Record<string, never>,
        metadata: parseObject(signed[2], "metadata"),
        content: parseObject(signed[3], "content"),
        buffers: frames.slice(at + 6),
      },
    };
  } catch (e) {
    return { ok: false, error: `malformed message: ${(e as Error).message}` };
  }
}

/**
 * Encodes and signs a message into frames ready for a ZeroMQ socket.
 *
 * @example router.send(encode(reply, info.key))
 */
export function encode(msg: Message, key: string): Buffer[] {
  const signed = [msg.header, msg.parent_header, msg.metadata, msg.content].map((o) => Buffer.from(JSON.stringify(o), "utf8"));
  return [...msg.identities, Buffer.from(DELIMITER), Buffer.from(sign(key, signed)), ...signed, ...msg.buffers];
}

/** Options for {@link createMessage}. */
export interface NewMessage<C extends JsonObject> {
  msgType: string;
  content: C;
  /** The request being answered: its header becomes parent_header and its identities are reused. */
  parent?: Message;
  session: string;
  metadata?: JsonObject;
  buffers?: readonly Uint8Array[];
  /** Routing identities; defaults to the parent's. */
  identities?: Buffer[];
}

/**
 * Builds a new message with a fresh header.
 *
 * @example createMessage({ msgType: "status", content: { execution_state: "idle" }, parent: req, session })
 */
export function createMessage<C extends JsonObject>(o: NewMessage<C>): Message<C> {
  return {
    identities: o.identities ?? o.parent?.identities ?? [],
    header: {
      msg_id: randomUUID(),
      session: o.session,
      username: o.parent?.header.username ?? "kernel",
      date: new Date().toISOString(),
      msg_type: o.msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: o.parent ? o.parent.header : {},
    metadata: o.metadata ?? {},
    content: o.content,
    buffers: (o.buffers ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  };
}
