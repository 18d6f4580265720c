import type { Output } from "./nbformat.js";

/** How running one cell ended. */
export interface CellRun {
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  /** The error, when status is "error". */
  error?: { ename: string; evalue: string; traceback: string[] };
}

/**
 * What runs a notebook's cells: the flamebook kernel in this process (`kernel/in-process.ts`),
 * or anything else that speaks in nbformat outputs.
 */
export interface NotebookKernel {
  /**
   * Runs `code`, appending its outputs to `outputs` (mutated in place as they arrive; later
   * display updates may still change them). `onOutput` is called after each change.
   */
  execute(code: string, outputs: Output[], onOutput?: () => void): Promise<CellRun>;
  /** The widget state of the models still open, for notebook metadata. */
  widgetState(): { version_major: 2; version_minor: 0; state: Record<string, unknown> };
  /** Stops the running cell and kills its child processes. */
  interrupt(): void;
  /** Kills child processes and releases the kernel. */
  close(): void;
}
