import { display, hasDisplayHost, type DisplayHandle } from "../display/display.js";
import { MIMEBUNDLE } from "../display/mime.js";
import { escapeHtml } from "../render/flame-html.js";

/** One step of an experiment, as `onProgress` receives it. */
export interface ProgressEvent {
  type: "cached" | "build" | "start" | "run" | "ran" | "done";
  message: string;
  variant?: string;
  /** 1-based number of the run, and how many there are. */
  run?: number;
  of?: number;
  /** Estimated seconds left. */
  etaS?: number;
}

/**
 * An experiment's progress: told to `onProgress`, and shown in the notebook cell as one output
 * that is updated in place (`update_display_data`): "run 7 of 26 · after · timed · about 12 s left".
 * Outside a kernel only `onProgress` hears it.
 *
 * @example
 * const p = new ExperimentProgress((e) => console.log(e.message)); p.start(26); p.run(0, { variant: "before", phase: "measured", kind: "timed" });
 */
export class ExperimentProgress {
  private handle: DisplayHandle | undefined;
  private total = 0;
  private readonly started = Date.now();

  constructor(private readonly listener?: (event: ProgressEvent) => void) {}

  /** Reports a step that is not a run (cache hit, build line). */
  emit(event: ProgressEvent): void {
    this.listener?.(event);
    if (event.type === "cached" || event.type === "build") this.show(event.message, undefined);
  }

  /** The plan is known: `total` runs. */
  start(total: number): void {
    this.total = total;
    this.listener?.({ type: "start", message: `${total} runs planned`, of: total });
  }

  /** Run `i` (0-based) starts. */
  run(i: number, run: { variant: string; phase: string; kind: string }): void {
    const eta = this.eta(i);
    const message = `run ${i + 1} of ${this.total} · ${run.variant} · ${run.kind}${run.phase === "warmup" ? " (warm-up)" : ""}${eta !== undefined ? ` · about ${formatSeconds(eta)} left` : ""}`;
    this.listener?.({ type: "run", message, variant: run.variant, run: i + 1, of: this.total, ...(eta !== undefined ? { etaS: eta } : {}) });
    this.show(message, (i / Math.max(1, this.total)) * 100);
  }

  /** Run `i` finished after `ms`. */
  ran(i: number, run: { variant: string; kind: string }, ms: number): void {
    this.listener?.({ type: "ran", message: `run ${i + 1} of ${this.total} took ${formatSeconds(ms / 1000)}`, variant: run.variant, run: i + 1, of: this.total });
  }

  /** The experiment ended (complete, interrupted or failed). */
  finish(status: string): void {
    const message = `${status} · ${formatSeconds((Date.now() - this.started) / 1000)}`;
    this.listener?.({ type: "done", message });
    this.show(message, status === "complete" ? 100 : undefined);
  }

  /** Seconds left: the mean time per run so far times the runs left (the elapsed rate covers overheads). */
  private eta(i: number): number | undefined {
    if (i === 0) return undefined;
    const elapsed = (Date.now() - this.started) / 1000;
    return (elapsed / i) * (this.total - i);
  }

  private show(message: string, percent: number | undefined): void {
    if (!hasDisplayHost()) return; // a CLI or script hears onProgress only
    const bar =
      percent === undefined
        ? ""
        : `<div style="height: 4px; background: rgba(128,128,128,0.25); max-width: 30em; margin-top: 2px"><div style="height: 4px; width: ${percent.toFixed(1)}%; background: #e8702a"></div></div>`;
    const bundle = { "text/plain": `flamebook experiment: ${message}`, "text/html": `<div style="font-family: system-ui, sans-serif; font-size: 0.9em">flamebook experiment: ${escapeHtml(message)}${bar}</div>` };
    const value = { [MIMEBUNDLE]: () => bundle };
    if (this.handle) this.handle.update(value);
    else this.handle = display(value);
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
