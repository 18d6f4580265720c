import type { Comm, CommHost } from "../../src/widget/comm.js";

/** What a kernel would put on the wire for a comm, recorded. */
export interface Recorded {
  open: { target: string; data: Record<string, unknown>; metadata: Record<string, unknown>; buffers: readonly Uint8Array[] };
  sent: { data: Record<string, unknown>; buffers: readonly Uint8Array[] }[];
  closed: boolean;
  /** Delivers a front end → kernel comm_msg. */
  deliver(data: Record<string, unknown>, buffers?: readonly Uint8Array[]): void;
}

/**
 * An in-memory comm host: records every comm a widget opens and what it sends, and lets a test
 * act as the front end. The kernel's real host does the same over ZeroMQ.
 *
 * @example
 * const comms = memoryComms(); setCommHost(comms.host); … comms.comms[0].sent
 */
export function memoryComms(): { host: CommHost; comms: Recorded[] } {
  const comms: Recorded[] = [];
  const host: CommHost = {
    open(target, data, metadata, buffers = []) {
      let onMsg: ((d: Record<string, unknown>, b: readonly Uint8Array[]) => void) | undefined;
      const rec: Recorded = {
        open: { target, data, metadata, buffers },
        sent: [],
        closed: false,
        deliver: (d, b = []) => onMsg?.(d, b),
      };
      comms.push(rec);
      const comm: Comm = {
        id: `comm-${comms.length}`,
        target,
        send: (d, b = []) => void rec.sent.push({ data: JSON.parse(JSON.stringify(d)) as Record<string, unknown>, buffers: b }),
        close: () => void (rec.closed = true),
        onMsg: (h) => void (onMsg = h),
        onClose: () => {},
      };
      return comm;
    },
  };
  return { host, comms };
}
