/**
 * A cell executor made when first needed, so that the kernel answers `kernel_info` before
 * TypeScript is loaded (tslab's converter takes a second or more to build its program: lib and
 * @types/node declarations are parsed and bound). `warm()` builds it ahead of the first cell,
 * then compiles a warm-up cell (an `import … from "flamebook"`, not run) so that the declarations
 * the user's first import needs are already parsed, then preloads what that import loads at run
 * time. A request that arrives before then builds the executor itself (or waits for the step in
 * progress: each step is synchronous).
 */
import type { CellExecutor, DisplayHook } from "./executor.js";

/** A lazily made executor, plus the background warm-up. */
export interface LazyExecutor extends CellExecutor {
  /**
   * Builds the executor, compiles `warmCode` (if the executor can prepare code) and calls
   * `preload`, yielding to the event loop between steps and skipping the last two once a cell
   * has run. Resolves when done; never rejects.
   */
  warm(): Promise<void>;
  /** Whether the executor was made. */
  readonly created: boolean;
}

/**
 * Wraps `create` so that it runs on first use (or in `warm()`).
 *
 * @example
 * const ex = createLazyExecutor(() => createCellExecutor(dir), { warmCode: 'import { open } from "flamebook"', preload: () => require("flamebook"), log: kernelLog });
 * setTimeout(() => void ex.warm(), 50); // after kernel_info was answered
 * await ex.execute("1 + 1"); // { status: "ok", hasValue: true, value: 2 }
 */
export function createLazyExecutor(
  create: () => CellExecutor,
  opts: { warmCode?: string; preload?: () => void; log?: (text: string) => void } = {},
): LazyExecutor {
  let inner: CellExecutor | undefined;
  let hook: DisplayHook | undefined;
  let executed = false;
  let warming: Promise<void> | undefined;
  const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
  const get = (): CellExecutor => {
    if (inner) return inner;
    const t0 = performance.now();
    inner = create();
    if (hook) inner.setDisplayHook(hook);
    opts.log?.(`TypeScript ready in ${(performance.now() - t0).toFixed(0)} ms (${process.uptime().toFixed(2)} s after start)`);
    return inner;
  };
  return {
    get created() {
      return inner !== undefined;
    },
    warm() {
      warming ??= (async () => {
        try {
          await yieldToLoop();
          get();
          await yieldToLoop();
          if (executed) return;
          let t0 = performance.now();
          if (opts.warmCode && inner?.prepare) inner.prepare(opts.warmCode);
          const compiled = performance.now() - t0;
          await yieldToLoop();
          t0 = performance.now();
          if (!executed) opts.preload?.();
          opts.log?.(`warm-up cell compiled in ${compiled.toFixed(0)} ms, preloaded in ${(performance.now() - t0).toFixed(0)} ms (warm ${process.uptime().toFixed(2)} s after start)`);
        } catch (e) {
          opts.log?.(`warm-up failed (cells are not affected): ${(e as Error)?.message ?? String(e)}`);
        }
      })();
      return warming;
    },
    execute(code, o) {
      executed = true;
      let ex: CellExecutor;
      try {
        ex = get();
      } catch (e) {
        // The cell fails with the reason (a broken TypeScript install, say) instead of hanging.
        const evalue = `the TypeScript services could not be started: ${(e as Error)?.message ?? String(e)}`;
        return Promise.resolve({ status: "error", ename: "KernelError", evalue, traceback: [`KernelError: ${evalue}`] });
      }
      return ex.execute(code, o);
    },
    complete: (code, cursor) => get().complete(code, cursor),
    inspect: (code, cursor) => get().inspect(code, cursor),
    isComplete: (code) => get().isComplete(code),
    prepare: (code) => get().prepare?.(code),
    // No cell can run before the executor exists: there is nothing to interrupt then.
    interrupt: () => inner?.interrupt(),
    cellStack: (stack) => (inner ? inner.cellStack(stack) : stack),
    setDisplayHook(h) {
      hook = h;
      inner?.setDisplayHook(h);
    },
    close: () => inner?.close(),
  };
}
