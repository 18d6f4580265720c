/**
 * A comm, as a kernel sees it: one end of a Jupyter comm channel (`comm_open`/`comm_msg`/
 * `comm_close`). The kernel's protocol layer implements it over iopub and shell; tests implement
 * it in memory.
 */
export interface Comm {
  readonly id: string;
  readonly target: string;
  /** Sends a `comm_msg` with JSON data and binary buffers. */
  send(data: Record<string, unknown>, buffers?: readonly Uint8Array[]): void;
  /** Sends `comm_close` (once). */
  close(data?: Record<string, unknown>): void;
  /** Called for each `comm_msg` from the front end. */
  onMsg(handler: (data: Record<string, unknown>, buffers: readonly Uint8Array[]) => void): void;
  /** Called when the front end closes the comm. */
  onClose(handler: () => void): void;
}

/** What a kernel with comms provides: opening comms from the kernel side. */
export interface CommHost {
  /** Sends `comm_open` for `target` with data, metadata and buffers; returns the comm. */
  open(target: string, data: Record<string, unknown>, metadata: Record<string, unknown>, buffers?: readonly Uint8Array[]): Comm;
}

// On globalThis under a registered symbol: the kernel loads flamebook from src/, cells load the
// CJS build, and both copies must see the one host the kernel installs.
const KEY = Symbol.for("flamebook.commHost");
const slot = globalThis as Record<symbol, CommHost | undefined>;

/**
 * Installs (or removes, with undefined) the comm host: the flamebook kernel calls this at start,
 * so widgets created in cells open real comms. In plain Node or the CLI there is none, and
 * widgets show their standalone HTML/SVG forms instead.
 *
 * @example
 * setCommHost(kernelComms); // in the kernel
 */
export function setCommHost(h: CommHost | undefined): void {
  slot[KEY] = h;
}

/**
 * The installed comm host, if any.
 *
 * @example
 * if (commHost()) { … live widget … } else { … static bundle … }
 */
export function commHost(): CommHost | undefined {
  return slot[KEY];
}
