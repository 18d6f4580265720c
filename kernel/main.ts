/**
 * The flamebook kernel's entry point: `node --import tsx kernel/main.ts <connection_file>`.
 * Wires the connection file, ZeroMQ transport, handler, tslab executor and comms together.
 * SIGINT interrupts the running cell; SIGTERM shuts down.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { killAllGroups } from "../src/exec/index.js";
import { setDisplayHost } from "../src/display/display.js";
import { setCommHost } from "../src/widget/comm.js";
import { Widget } from "../src/widget/widget.js";
import { serveWidgetControl, WIDGET_CONTROL_TARGET } from "../src/widget/widget-control.js";
import { killDescendants } from "./children.js";
import { createCommRegistry, type CommRegistry } from "./comms.js";
import { readConnectionFile } from "./connection.js";
import { createCellExecutor } from "./executor.js";
import { createKernelHandler, type KernelHandler } from "./handler.js";
import { kernelLog, setStreamSink } from "./streams.js";
import { createTransport, type Transport } from "./transport.js";
import type { JsonObject } from "./wire.js";

/** The key under which the running kernel exposes itself to cells and the library. */
export const KERNEL_KEY = Symbol.for("flamebook.kernel");

/** What `globalThis[KERNEL_KEY]` holds while the kernel runs. */
export interface KernelGlobal {
  comms: CommRegistry;
  /** Publishes an iopub message (display_data, update_display_data, clear_output…) for the current cell. */
  publish(msgType: string, content: JsonObject, metadata?: JsonObject, buffers?: readonly Uint8Array[]): void;
}

function versions(): { flamebook: string; typescript: string } {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
  let typescript = "5";
  try {
    const fromTslab = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"));
    typescript = (fromTslab("@tslab/typescript-for-tslab/package.json") as { version: string }).version;
  } catch {
    // keep the major version only
  }
  return { flamebook: pkg.version ?? "0.0.0", typescript };
}

/**
 * Exits when the process that started us (jupyter_client sets JPY_PARENT_PID) is gone, like
 * ipykernel's ParentPoller, so a crashed front end or test runner leaves no orphan kernel.
 */
function watchParent(stopChildren: () => void): void {
  const parent = Number(process.env.JPY_PARENT_PID ?? process.ppid);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      kernelLog(`parent ${parent} is gone; exiting`);
      stopChildren();
      process.exit(0);
    }
  }, 1000);
  timer.unref();
}

/**
 * Starts a kernel on the sockets of `connectionFile`; resolves once they are bound.
 *
 * @example await startKernel("/run/user/1000/jupyter/kernel-1.json");
 */
export async function startKernel(connectionFile: string): Promise<{ handler: KernelHandler; transport: Transport }> {
  const info = readConnectionFile(connectionFile);
  const v = versions();
  const session = randomUUID();
  const executor = createCellExecutor(process.cwd());
  let transport: Transport | undefined;
  let handler: KernelHandler | undefined;
  const comms = createCommRegistry((type, content, metadata, buffers) => handler?.publish(type, content, metadata, buffers), kernelLog);
  const stopChildren = () => {
    const n = killAllGroups() + killDescendants();
    if (n > 0) kernelLog(`killed ${n} child process group(s)`);
  };
  handler = createKernelHandler({
    executor,
    comms,
    session,
    implementationVersion: v.flamebook,
    languageVersion: v.typescript,
    send: (channel, msg) => transport?.send(channel, msg),
    setStreamSink,
    log: kernelLog,
    onInterrupt: stopChildren,
    onShutdown(restart) {
      kernelLog(`shutdown${restart ? " (restart)" : ""}`);
      stopChildren();
      // Let the reply leave the socket (linger) before exiting.
      setTimeout(() => {
        transport?.close();
        executor.close();
        process.exit(0);
      }, 50);
    },
  });
  const h = handler;
  transport = await createTransport(info, { handle: (ch, m) => h.handle(ch, m), log: kernelLog });
  (globalThis as Record<symbol, unknown>)[KERNEL_KEY] = { comms, publish: h.publish } satisfies KernelGlobal;
  // Widgets and display() in cells reach the front end through these (shared via globalThis with
  // the CJS copy of flamebook that cells import).
  setCommHost(comms);
  // Front ends ask for every widget state at once on this comm when they (re)connect…
  comms.registerTarget(WIDGET_CONTROL_TARGET, (comm) => serveWidgetControl(comm));
  // …and may create models themselves: back them with a generic kernel-side model.
  comms.registerTarget("jupyter.widget", (comm, data, buffers) => void Widget.attach(comm, data, buffers));
  setDisplayHost({
    display(bundle, { displayId, update }) {
      h.publish(update ? "update_display_data" : "display_data", { data: bundle as JsonObject, metadata: {}, transient: displayId ? { display_id: displayId } : {} });
    },
    clearOutput(wait) {
      h.publish("clear_output", { wait });
    },
  });
  process.on("SIGINT", () => h.interrupt());
  process.on("SIGTERM", () => {
    stopChildren();
    process.exit(143);
  });
  // A cell's stray timer or promise must not bring the kernel down: report it in the notebook.
  process.on("uncaughtException", (e) => process.stderr.write(`Uncaught ${(e as Error)?.stack ?? String(e)}\n`));
  process.on("unhandledRejection", (e) => process.stderr.write(`Unhandled rejection: ${(e as Error)?.stack ?? String(e)}\n`));
  watchParent(stopChildren);
  kernelLog(`listening (${info.transport}://${info.ip}, shell ${info.shell_port}), pid ${process.pid}`);
  return { handler: h, transport };
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  const file = process.argv[2];
  if (!file) {
    kernelLog("usage: node --import tsx kernel/main.ts <connection_file>");
    process.exit(2);
  }
  startKernel(file).catch((e: unknown) => {
    kernelLog((e as Error).message);
    process.exit(1);
  });
}
