/**
 * Comms (`comm_open`/`comm_msg`/`comm_close`) as the kernel sees them. The registry tracks comms
 * opened from either side and routes front-end messages to kernel-side handlers. Its `open` has
 * the shape of `CommHost` in src/widget/comm.ts, so it can be installed with `setCommHost`.
 */
import { randomUUID } from "node:crypto";
import type { CommClose, CommMsg, CommOpen } from "./messages.js";
import type { JsonObject } from "./wire.js";

/** One end of a comm. */
export interface KernelComm {
  readonly id: string;
  readonly target: string;
  send(data: JsonObject, buffers?: readonly Uint8Array[]): void;
  close(data?: JsonObject): void;
  onMsg(handler: (data: JsonObject, buffers: readonly Uint8Array[]) => void): void;
  onClose(handler: () => void): void;
}

/** How the registry sends to the front end (the kernel wires this to iopub). */
export type CommSend = (
  msgType: "comm_open" | "comm_msg" | "comm_close",
  content: JsonObject,
  metadata: JsonObject,
  buffers: readonly Uint8Array[],
) => void;

/** Called when the front end opens a comm to a kernel target. Throw to refuse it. */
export type TargetHandler = (comm: KernelComm, data: JsonObject, buffers: readonly Uint8Array[]) => void;

/** A comm message from the front end: its type, its content, its buffers. */
export type CommReceived =
  | [msgType: "comm_open", content: CommOpen, buffers: readonly Uint8Array[]]
  | [msgType: "comm_msg", content: CommMsg, buffers: readonly Uint8Array[]]
  | [msgType: "comm_close", content: CommClose, buffers: readonly Uint8Array[]];

/** The comms of one kernel. */
export interface CommRegistry {
  /** Open comms, optionally only those of one target: `{ [comm_id]: { target_name } }`. */
  info(target?: string): Record<string, { target_name: string }>;
  /** Opens a comm from the kernel side (sends `comm_open`). */
  open(target: string, data: JsonObject, metadata: JsonObject, buffers?: readonly Uint8Array[]): KernelComm;
  /** Registers what happens when the front end opens a comm to `target`. */
  registerTarget(target: string, handler: TargetHandler): void;
  /** Handles `comm_open`/`comm_msg`/`comm_close` from the front end (content checked by request-guards.ts). */
  receive(...message: CommReceived): void;
}

/**
 * A registry sending through `send`.
 *
 * @example
 * const comms = createCommRegistry((type, content, metadata, buffers) => iopub(type, content, metadata, buffers));
 * const c = comms.open("jupyter.widget", { state: {} }, { version: "2.1.0" });
 */
export function createCommRegistry(send: CommSend, log: (text: string) => void = () => {}): CommRegistry {
  const comms = new Map<string, { comm: KernelComm; fire(data: JsonObject, buffers: readonly Uint8Array[]): void; closed(): void }>();
  const targets = new Map<string, TargetHandler>();

  function make(id: string, target: string) {
    const msgHandlers: ((d: JsonObject, b: readonly Uint8Array[]) => void)[] = [];
    const closeHandlers: (() => void)[] = [];
    let open = true;
    const closed = () => {
      if (!open) return;
      open = false;
      comms.delete(id);
      for (const h of closeHandlers) h();
    };
    const comm: KernelComm = {
      id,
      target,
      send(data, buffers = []) {
        if (open) send("comm_msg", { comm_id: id, data }, {}, buffers);
      },
      close(data = {}) {
        if (!open) return;
        send("comm_close", { comm_id: id, data }, {}, []);
        closed();
      },
      onMsg: (h) => void msgHandlers.push(h),
      onClose: (h) => void closeHandlers.push(h),
    };
    const entry = {
      comm,
      fire(data: JsonObject, buffers: readonly Uint8Array[]) {
        for (const h of msgHandlers) h(data, buffers);
      },
      closed,
    };
    comms.set(id, entry);
    return entry;
  }

  return {
    info(target) {
      const out: Record<string, { target_name: string }> = {};
      for (const [id, { comm }] of comms) if (target === undefined || comm.target === target) out[id] = { target_name: comm.target };
      return out;
    },
    open(target, data, metadata, buffers = []) {
      const id = randomUUID().replace(/-/g, "");
      const { comm } = make(id, target);
      send("comm_open", { comm_id: id, target_name: target, data }, metadata, buffers);
      return comm;
    },
    registerTarget(target, handler) {
      targets.set(target, handler);
    },
    receive(...[msgType, content, buffers]: CommReceived) {
      const id = content.comm_id;
      const data = content.data ?? {};
      if (msgType === "comm_open") {
        const target = content.target_name;
        const handler = targets.get(target);
        if (!handler) {
          log(`comm_open for unknown target ${JSON.stringify(target)}; closing ${id}`);
          send("comm_close", { comm_id: id, data: {} }, {}, []);
          return;
        }
        const entry = make(id, target);
        try {
          handler(entry.comm, data, buffers);
        } catch (e) {
          log(`comm target ${target} refused ${id}: ${(e as Error).message}`);
          entry.comm.close();
        }
      } else if (msgType === "comm_msg") {
        const entry = comms.get(id);
        if (!entry) return log(`comm_msg for unknown comm ${id}`);
        try {
          entry.fire(data, buffers);
        } catch (e) {
          log(`comm ${id} handler failed: ${(e as Error).stack ?? String(e)}`);
        }
      } else if (msgType === "comm_close") {
        comms.get(id)?.closed();
      }
    },
  };
}
