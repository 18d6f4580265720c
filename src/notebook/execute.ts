/**
 * Runs a notebook top to bottom on a {@link NotebookKernel}, as nbclient does: outputs and
 * execution counts are written into a copy of the notebook, the first failing cell stops the run,
 * and the widget state is stored in the notebook metadata.
 */
import type { Cell, JsonObject, Notebook } from "./nbformat.js";
import type { CellRun, NotebookKernel } from "./kernel.js";
import { WIDGET_STATE_MIME } from "./widget-state.js";

/** Progress events of a run. */
export type NotebookEvent =
  | { type: "cell-start"; index: number; codeIndex: number; codeCells: number; cell: Cell }
  | { type: "cell-output"; index: number; cell: Cell }
  | { type: "cell-done"; index: number; codeIndex: number; codeCells: number; cell: Cell; run: CellRun; seconds: number };

/** The result of a run. */
export interface NotebookRun {
  /** The executed copy (outputs, counts, timing metadata, widget state). */
  notebook: Notebook;
  /** The failed cell, when one failed (the cells after it did not run). */
  failed?: { index: number; cell: Cell; error: NonNullable<CellRun["error"]> };
  seconds: number;
}

/**
 * Executes every code cell in order. A failing cell's error is kept in its outputs and returned
 * as `failed`; later cells keep no outputs (so nothing stale reads as a result). After `signal`
 * aborts, no further cell starts (the caller interrupts the running one on the kernel).
 *
 * @example
 * const { notebook, failed } = await executeNotebook(nb, kernel, { onEvent: (e) => console.log(e.type) });
 * if (failed) console.error(failed.error.evalue);
 */
export async function executeNotebook(nb: Notebook, kernel: NotebookKernel, opts: { onEvent?: (e: NotebookEvent) => void; signal?: AbortSignal } = {}): Promise<NotebookRun> {
  const started = performance.now();
  const cells: Cell[] = nb.cells.map((c) => (c.cell_type === "code" ? { ...c, metadata: { ...c.metadata }, outputs: [], execution_count: null } : c));
  const out: Notebook = { ...nb, metadata: { ...nb.metadata }, cells };
  const codeCells = cells.filter((c) => c.cell_type === "code").length;
  let codeIndex = 0;
  let failed: NotebookRun["failed"];
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index]!;
    if (cell.cell_type !== "code") continue;
    codeIndex++;
    if (failed || opts.signal?.aborted) continue;
    if (cell.source.trim() === "") continue;
    opts.onEvent?.({ type: "cell-start", index, codeIndex, codeCells, cell });
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    const run = await kernel.execute(cell.source, cell.outputs!, () => opts.onEvent?.({ type: "cell-output", index, cell }));
    const seconds = (performance.now() - t0) / 1000;
    cell.execution_count = run.executionCount;
    cell.metadata.execution = { "iopub.execute_input": startedAt, "shell.execute_reply": new Date().toISOString() } as JsonObject;
    opts.onEvent?.({ type: "cell-done", index, codeIndex, codeCells, cell, run, seconds });
    if (run.status !== "ok") failed = { index, cell, error: run.error ?? { ename: "Aborted", evalue: "the cell was aborted", traceback: [] } };
  }
  const widgets = kernel.widgetState();
  if (Object.keys(widgets.state).length > 0) {
    out.metadata.widgets = { [WIDGET_STATE_MIME]: widgets } as unknown as JsonObject;
  }
  return { notebook: out, ...(failed ? { failed } : {}), seconds: (performance.now() - started) / 1000 };
}
