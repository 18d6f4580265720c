/**
 * Runs cells with tslab's converter and executor, and turns what tslab reports through its console
 * into a structured outcome: the last expression's value, a thrown error, or type diagnostics.
 *
 * tslab's executor calls `console.log(value)` of the console it is given for the last expression,
 * `console.error(e)` for a thrown error and `console.error("%s%d:%d - %s", …)` per diagnostic.
 * User code logs through the global console instead, so the two never mix.
 */
import { createRequire } from "node:module";
import { format } from "node:util";
import type * as ExecutorModule from "tslab/dist/executor.js";
import type * as InspectModule from "tslab/dist/inspect.js";
import type * as JupyterModule from "tslab/dist/jupyter.js";
import { CELL_GLOBALS_MODULE, cellGlobalsDeclaration, installCellGlobals } from "./cell-globals.js";
import { CellSources } from "./cell-sources.js";
import { loadConverterWithMaps } from "./converter-maps.js";
import { provideOwnPackage } from "./own-package.js";
import { expandShorthandPropertiesMapped } from "./shorthand.js";
import { packageRoot } from "../src/fs/package-root.js";

const require = createRequire(import.meta.url);

/** The key under which the running cell's AbortSignal is exposed: `globalThis[CELL_SIGNAL]`. */
export const CELL_SIGNAL = Symbol.for("flamebook.cellSignal");

/** A failed cell, as an `error` message carries it. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** What running one cell gave. */
export type CellOutcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | ({ status: "error" } & CellError);

/** The display callback tslab's `display.*` API calls (via `tslab/dist/jupyter`). */
export type DisplayHook = (data: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => void;

/** Runs cells and answers editor requests. */
export interface CellExecutor {
  /**
   * Compiles and runs one cell. `label` names it in stack traces (`In[label]:line:column`,
   * positions in the cell); the handler passes the execution count.
   */
  execute(code: string, opts?: { label?: string }): Promise<CellOutcome>;
  /** Completion candidates at `cursor` (a UTF-16 offset). */
  complete(code: string, cursor: number): { matches: string[]; cursor_start: number; cursor_end: number };
  /** Quick info at `cursor`, as text, or undefined. */
  inspect(code: string, cursor: number): string | undefined;
  /** Whether `code` is a complete cell. */
  isComplete(code: string): { status: "complete" | "incomplete"; indent?: string };
  /** Stops the running cell: aborts its signal and rejects its await. */
  interrupt(): void;
  /** `stack` with the frames of cells at cell positions (for errors raised after their cell ended). */
  cellStack(stack: string): string;
  /**
   * Type-checks and compiles `code` without running it or recording it as a cell, so that the
   * declarations it loads (a package's types) are parsed before a cell needs them (kernel/lazy-executor.ts).
   */
  prepare?(code: string): void;
  /** Installs the hook `display.*` from `import "tslab"` writes to. */
  setDisplayHook(hook: DisplayHook): void;
  /** Releases the TypeScript services. */
  close(): void;
}

/**
 * Formats an error thrown by a cell; `mapStack` rewrites its stack to cell positions.
 *
 * @example toCellError(new RangeError("boom")); // { ename: "RangeError", evalue: "boom", traceback: [...] }
 */
export function toCellError(e: unknown, mapStack: (stack: string) => string = (s) => s): CellError {
  if (e instanceof Error) {
    const stack = mapStack(e.stack ?? `${e.name}: ${e.message}`);
    // Drop the frames of vm, tslab and this kernel below the cell's own frames.
    let lines = stack.split("\n");
    // (kernel/executor.ts run from source, or the compiled kernel's bundle in dist/kernel/)
    const cut = lines.findIndex((l) => /^\s+at .*(node:vm|tslab[\\/]dist[\\/]executor|kernel[\\/]executor|dist[\\/]kernel[\\/])/.test(l));
    if (cut > 0) lines = lines.slice(0, cut);
    // A "flamebook: …" error is a complete message for the user (a missing crate, a compile
    // error): flamebook's own frames under it are noise, the cell's frames stay.
    if (e.message.startsWith("flamebook:")) lines = lines.filter((l) => !/^\s+at /.test(l) || !isOwnFrame(l));
    return { ename: e.name || "Error", evalue: e.message, traceback: lines };
  }
  return { ename: "Error", evalue: format("%o", e), traceback: [`Thrown: ${format("%o", e)}`] };
}

let ownRoot: string | undefined;
/** A stack frame in flamebook's own code: this package (src/, dist/) or an installed node_modules/flamebook. */
function isOwnFrame(line: string): boolean {
  ownRoot ??= packageRoot();
  return line.includes(`${ownRoot}/src/`) || line.includes(`${ownRoot}/dist/`) || /[\\/]node_modules[\\/]flamebook[\\/]/.test(line);
}

/**
 * Creates an executor whose cells resolve modules from `rootDir`.
 *
 * @example
 * const ex = createCellExecutor(process.cwd());
 * await ex.execute("const x: number = 1; x + 1"); // { status: "ok", hasValue: true, value: 2 }
 */
export function createCellExecutor(rootDir: string): CellExecutor {
  // tslab's converter, recording source maps: errors are reported at the cell's own positions.
  const { createConverter, isCompleteCode, mapsOf, clearMaps } = loadConverterWithMaps();
  const { createExecutor } = require("tslab/dist/executor") as typeof ExecutorModule;
  const { printQuickInfo } = require("tslab/dist/inspect") as typeof InspectModule;
  const jupyter = require("tslab/dist/jupyter") as typeof JupyterModule;
  // Before the converter exists: it resolves modules through the TypeScript sys this patches.
  provideOwnPackage(rootDir);
  const tsNode = createConverter({ isJS: false, isBrowser: false });
  // `display` and `clearOutput` are globals in every cell: typed here, defined on globalThis.
  for (const d of tsNode.addModule(CELL_GLOBALS_MODULE, cellGlobalsDeclaration())) console.warn(`flamebook: cell globals: ${d.messageText}`);
  installCellGlobals();
  const cells = new CellSources();
  // tslab records a cell's declarations only when it succeeds, so after a failed or interrupted
  // cell its variables exist at runtime but later cells fail with "Cannot find name". The proxy
  // sees each conversion; after a runtime failure, later conversions use that cell's declarations.
  let lastConvert: ReturnType<typeof tsNode.convert> | undefined;
  let declOverride: string | undefined;
  const node: typeof tsNode = {
    convert(prev, src) {
      const { text, insertions } = expandShorthandPropertiesMapped(src);
      clearMaps();
      lastConvert = tsNode.convert(declOverride ?? prev, text);
      return cells.adopt(lastConvert, { code: src, compiled: text, insertions, maps: mapsOf });
    },
    inspect: (prev, src, pos) => tsNode.inspect(declOverride ?? prev, src, pos),
    complete: (prev, src, pos) => tsNode.complete(declOverride ?? prev, src, pos),
    addModule: (name, content, meta) => tsNode.addModule(name, content, meta),
    close: () => tsNode.close(),
  };
  let browser: ReturnType<typeof createConverter> | undefined;
  const convs = {
    node,
    get browser() {
      browser ??= createConverter({ isJS: false, isBrowser: true });
      return browser;
    },
    close() {
      node.close();
      browser?.close();
    },
  };

  let value: { has: boolean; value?: unknown } = { has: false };
  let thrown: { e: unknown } | undefined;
  let diagnostics: string[] = [];
  const sink = {
    log(v?: unknown) {
      value = { has: true, value: v };
    },
    error(first?: unknown, ...rest: unknown[]) {
      if (first === "%s%d:%d - %s") diagnostics.push(format(first, ...rest));
      else thrown ??= { e: first };
    },
  };
  const executor = createExecutor(rootDir, convs, sink);
  let controller = new AbortController();

  return {
    async execute(code, opts) {
      cells.begin(opts?.label);
      value = { has: false };
      thrown = undefined;
      diagnostics = [];
      lastConvert = undefined;
      controller = new AbortController();
      (globalThis as Record<symbol, unknown>)[CELL_SIGNAL] = controller.signal;
      let ok: boolean;
      try {
        ok = await executor.execute(code);
      } catch (e) {
        ok = false;
        thrown ??= { e };
      }
      const runtimeFailure = diagnostics.length === 0 && (!ok || thrown !== undefined);
      // Set by the proxy during execute; TypeScript cannot see that through the await.
      const converted = lastConvert as ReturnType<typeof tsNode.convert> | undefined;
      if (!runtimeFailure && diagnostics.length === 0) declOverride = undefined;
      else if (runtimeFailure && converted && converted.diagnostics.length === 0 && converted.declOutput !== undefined) {
        declOverride = converted.declOutput;
      }
      lastConvert = undefined;
      if (diagnostics.length > 0) {
        return { status: "error", ename: "TypeScriptError", evalue: diagnostics.join("\n"), traceback: diagnostics };
      }
      if (!ok || thrown) return { status: "error", ...toCellError(thrown ? thrown.e : new Error("cell failed"), (s) => cells.stack(s)) };
      return value.has ? { status: "ok", hasValue: true, value: value.value } : { status: "ok", hasValue: false };
    },
    complete(code, cursor) {
      const info = executor.complete(code, cursor);
      return { matches: info.candidates, cursor_start: info.start, cursor_end: info.end };
    },
    inspect(code, cursor) {
      const info = executor.inspect(code, cursor);
      return info ? printQuickInfo(info) : undefined;
    },
    isComplete(code) {
      const r = isCompleteCode(code);
      return r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" };
    },
    interrupt() {
      controller.abort(new Error("interrupted"));
      executor.interrupt();
    },
    cellStack: (stack) => cells.stack(stack),
    prepare(code) {
      tsNode.convert(declOverride ?? "", code);
    },
    setDisplayHook(hook) {
      (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = hook;
    },
    close() {
      executor.close();
    },
  };
}
