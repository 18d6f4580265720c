/**
 * The flamebook kernel's entry point: `node --import tsx kernel/main.ts <connection_file>`.
 * Puts the ZeroMQ transport of the connection file in front of the kernel core (core.ts).
 * SIGINT interrupts the running cell; SIGTERM shuts down.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { readConnectionFile } from "./connection.js";
import { createKernelCore } from "./core.js";
import type { KernelHandler } from "./handler.js";
import { kernelLog } from "./streams.js";
import { createTransport, type Transport } from "./transport.js";

export { KERNEL_KEY, type KernelGlobal } from "./core.js";

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
  let transport: Transport | undefined;
  const core = createKernelCore({
    rootDir: process.cwd(),
    send: (channel, msg) => transport?.send(channel, msg),
    onShutdown() {
      // Let the reply leave the socket (linger) before exiting.
      setTimeout(() => {
        transport?.close();
        core.executor.close();
        process.exit(0);
      }, 50);
    },
  });
  const h = core.handler;
  transport = await createTransport(info, { handle: (ch, m) => h.handle(ch, m), log: kernelLog });
  process.on("SIGINT", () => h.interrupt());
  process.on("SIGTERM", () => {
    core.stopChildren();
    process.exit(143);
  });
  // A cell's stray timer or promise must not bring the kernel down: report it in the notebook.
  process.on("uncaughtException", (e) => process.stderr.write(`Uncaught ${(e as Error)?.stack ?? String(e)}\n`));
  process.on("unhandledRejection", (e) => process.stderr.write(`Unhandled rejection: ${(e as Error)?.stack ?? String(e)}\n`));
  watchParent(() => void core.stopChildren());
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
