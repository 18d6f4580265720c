/**
 * Cell output capture. `process.stdout.write`/`process.stderr.write` are replaced once, for the
 * kernel's lifetime, and routed to the current sink (the latest execute request), as ipykernel
 * does; output of timers that outlive their cell still reaches the notebook. Kernel logging uses
 * {@link kernelLog}, which writes to the original stderr and never reaches iopub.
 */

/** Receives captured text. */
export type StreamSink = (name: "stdout" | "stderr", text: string) => void;

const originalStderrWrite = process.stderr.write.bind(process.stderr);
const originalStdoutWrite = process.stdout.write.bind(process.stdout);
const decoder = new TextDecoder();
let sink: StreamSink | undefined;
let installed = false;

/**
 * Writes one line to the kernel's real stderr (the terminal or log of the Jupyter server).
 *
 * @example kernelLog("shell: dropped a message: bad signature")
 */
export function kernelLog(text: string): void {
  originalStderrWrite(`[flamebook kernel] ${text}\n`);
}

/**
 * Patches the process streams (once) and routes them to `s`; `undefined` restores pass-through.
 *
 * @example setStreamSink((name, text) => iopub("stream", { name, text }));
 */
export function setStreamSink(s: StreamSink | undefined): void {
  sink = s;
  if (installed) return;
  installed = true;
  const patch = (name: "stdout" | "stderr", original: typeof originalStdoutWrite) =>
    ((chunk: string | Uint8Array, encodingOrCb?: unknown, cb?: unknown): boolean => {
      const done = typeof encodingOrCb === "function" ? encodingOrCb : cb;
      if (!sink) return original(chunk as string, encodingOrCb as BufferEncoding, cb as () => void);
      const text = typeof chunk === "string" ? chunk : decoder.decode(chunk);
      sink(name, text);
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = patch("stdout", originalStdoutWrite);
  process.stderr.write = patch("stderr", originalStderrWrite);
}
