/**
 * The flamebook kernel's entry point: `node dist/kernel/main.js <connection_file>` (this file,
 * compiled by `npm run build`; `node --import tsx kernel/main.ts <connection_file>` from source).
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
import { vscodeWidgetFrontEnd } from "./vscode.js";
import { setWidgetFrontEnd } from "../src/widget/front-end.js";

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
  // VS Code loads our live widget only from a CDN the user allowed: outputs show their text/html there.
  const vscode = vscodeWidgetFrontEnd(process.env);
  if (vscode) {
    setWidgetFrontEnd(vscode);
    kernelLog(`widgets: ${vscode.reason}`);
  }
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
  // TypeScript is built in the background (kernel/lazy-executor.ts), which blocks the event loop for
  // a second or more, so only once the front end is done asking for kernel_info: 250 ms after the
  // last reply (jupyter_client asks again when the reply's iopub status did not reach it within
  // 0.2 s, as happens when its SUB socket connects after the shell socket; JupyterLab nudges the
  // same way), or, with no kernel_info at all, a second after the sockets are bound. A cell that
  // comes first builds it at once.
  let warmTimer: NodeJS.Timeout | null | undefined; // null: started
  const warmIn = (ms: number) => {
    if (warmTimer === null) return;
    clearTimeout(warmTimer);
    warmTimer = setTimeout(() => {
      warmTimer = null;
      void core.warm();
    }, ms);
  };
  warmIn(1000);
  transport = await createTransport(info, {
    handle: (ch, m) => h.handle(ch, m).finally(() => m.header.msg_type === "kernel_info_request" && warmIn(250)),
    log: kernelLog,
  });
  process.on("SIGINT", () => h.interrupt());
  process.on("SIGTERM", () => {
    core.stopChildren();
    process.exit(143);
  });
  // A cell's stray timer or promise must not bring the kernel down: report it in the notebook.
  const stackOf = (e: unknown) => (e instanceof Error && e.stack ? core.executor.cellStack(e.stack) : String(e));
  process.on("uncaughtException", (e) => process.stderr.write(`Uncaught ${stackOf(e)}\n`));
  process.on("unhandledRejection", (e) => process.stderr.write(`Unhandled rejection: ${stackOf(e)}\n`));
  watchParent(() => void core.stopChildren());
  kernelLog(`listening (${info.transport}://${info.ip}, shell ${info.shell_port}), pid ${process.pid}`);
  return { handler: h, transport };
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  const file = process.argv[2];
  if (!file) {
    kernelLog("usage: node dist/kernel/main.js <connection_file>");
    process.exit(2);
  }
  startKernel(file).catch((e: unknown) => {
    kernelLog((e as Error).message);
    process.exit(1);
  });
}
