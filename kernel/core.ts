/**
 * The kernel without its transport: executor, comms, handler and the hosts that cells and the
 * library publish through (display, comms, widget control). `kernel/main.ts` puts ZeroMQ in front
 * of it; `kernel/in-process.ts` (used by `flamebook run`) calls it directly, with no sockets.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { killAllGroups } from "../src/exec/index.js";
import { packageRoot } from "../src/fs/package-root.js";
import { setDisplayHost } from "../src/display/display.js";
import { setCommHost } from "../src/widget/comm.js";
import { Widget } from "../src/widget/widget.js";
import { serveWidgetControl, WIDGET_CONTROL_TARGET } from "../src/widget/widget-control.js";
import { killDescendants } from "./children.js";
import { createCommRegistry, type CommRegistry } from "./comms.js";
import { createCellExecutor, type CellExecutor } from "./executor.js";
import { createKernelHandler, type KernelHandler } from "./handler.js";
import { createLazyExecutor } from "./lazy-executor.js";
import { skipPackageWatches } from "./package-watches.js";
import { requireWithCodeCache, type CodeCached } from "./code-cache.js";
import { kernelLog, setStreamSink } from "./streams.js";
import type { Channel } from "./transport.js";
import type { JsonObject, Message } from "./wire.js";
import { tslabRequire, tslabTypeScriptPath } from "../src/notebook/tslab-typescript.js";

/** The key under which the running kernel exposes itself to cells and the library. */
export const KERNEL_KEY = Symbol.for("flamebook.kernel");

/** What `globalThis[KERNEL_KEY]` holds while the kernel runs. */
export interface KernelGlobal {
  comms: CommRegistry;
  /** Publishes an iopub message (display_data, update_display_data, clear_output…) for the current cell. */
  publish(msgType: string, content: JsonObject, metadata?: JsonObject, buffers?: readonly Uint8Array[]): void;
}

/**
 * flamebook's version and the TypeScript version cells compile with.
 *
 * @example kernelVersions(); // { flamebook: "0.1.0", typescript: "5.0.4" }
 */
export function kernelVersions(): { flamebook: string; typescript: string } {
  // The package root, found by walking up: this runs from kernel/ and from the bundle in dist/kernel/.
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version?: string };
  let typescript = "5";
  try {
    typescript = (tslabRequire()("@tslab/typescript-for-tslab/package.json") as { version: string }).version;
  } catch {
    // keep the major version only
  }
  return { flamebook: pkg.version ?? "0.0.0", typescript };
}

/**
 * What the background warm-up compiles (without running it): the import nearly every notebook
 * starts with. It then preloads the module that import loads at run time.
 */
const WARM_UP_CELL = 'import { open } from "flamebook";';

/** What a kernel core needs from its host. */
export interface KernelCoreOptions {
  /** Where cells resolve modules from (and `import "flamebook"` finds this package). */
  rootDir: string;
  /** Sends one finished message (a transport signs it; the in-process runner records it). */
  send(channel: Channel, msg: Message): void | Promise<void>;
  /** Called after `shutdown_reply` was sent, once children are stopped. */
  onShutdown?(restart: boolean): void;
}

/** A running kernel core. */
export interface KernelCore {
  handler: KernelHandler;
  comms: CommRegistry;
  executor: CellExecutor;
  session: string;
  /** Kills every child process group and descendant; returns how many. */
  stopChildren(): number;
  /**
   * Builds the TypeScript services and compiles a warm-up `import … from "flamebook"` in the
   * background (cells made before then build them themselves). The executor is otherwise made
   * by the first request that needs it, so the kernel answers kernel_info before TypeScript loads.
   */
  warm(): Promise<void>;
  /** Releases the TypeScript services and the global hosts. */
  close(): void;
}

/**
 * Creates the kernel core and installs it as the display, comm and widget host of this process.
 * Only one core may be live per process (the hosts are process-wide).
 *
 * @example
 * const core = createKernelCore({ rootDir: process.cwd(), send: (ch, msg) => transport.send(ch, msg) });
 * await core.handler.handle("shell", executeRequest);
 */
export function createKernelCore(o: KernelCoreOptions): KernelCore {
  const v = kernelVersions();
  const session = randomUUID();
  let typescript: CodeCached | undefined;
  const executor = createLazyExecutor(
    () => {
      typescript = requireWithCodeCache(tslabTypeScriptPath());
      kernelLog(`TypeScript code cache: ${typescript.status}`);
      skipPackageWatches();
      return createCellExecutor(o.rootDir);
    },
    // The preload resolves "flamebook" as tslab resolves a cell's require: the cell gets the same, loaded, module.
    { warmCode: WARM_UP_CELL, preload: () => createRequire(join(o.rootDir, "src.js"))("flamebook"), log: kernelLog },
  );
  let handler: KernelHandler | undefined;
  const comms = createCommRegistry((type, content, metadata, buffers) => handler?.publish(type, content, metadata, buffers), kernelLog);
  const stopChildren = () => {
    const n = killAllGroups() + killDescendants();
    if (n > 0) kernelLog(`killed ${n} child process group(s)`);
    return n;
  };
  handler = createKernelHandler({
    executor,
    comms,
    session,
    implementationVersion: v.flamebook,
    languageVersion: v.typescript,
    send: o.send,
    setStreamSink,
    log: kernelLog,
    onInterrupt: stopChildren,
    onShutdown(restart) {
      kernelLog(`shutdown${restart ? " (restart)" : ""}`);
      stopChildren();
      o.onShutdown?.(restart);
    },
  });
  const h = handler;
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
  return {
    handler: h,
    comms,
    executor,
    session,
    stopChildren,
    async warm() {
      await executor.warm();
      typescript?.save();
    },
    close() {
      typescript?.save();
      setStreamSink(undefined);
      setDisplayHost(undefined);
      setCommHost(undefined);
      delete (globalThis as Record<symbol, unknown>)[KERNEL_KEY];
      executor.close();
    },
  };
}
