import { basename, dirname, extname, join, resolve } from "node:path";
import cliProgress from "cli-progress";
import { VERDICT_MIME } from "../compare/verdict.js";
import { exitHoldsSettled } from "../exec/index.js";
import { executeNotebook, type NotebookEvent } from "../notebook/execute.js";
import { readNotebook, type Cell, type Notebook } from "../notebook/nbformat.js";
import { injectParameters, parseParameterArgs } from "../notebook/parameters.js";
import { writeNotebook } from "../notebook/write.js";
import { loadInProcessKernel } from "./notebook-kernel.js";
import { reportCommand } from "./report.js";

/** Options of `flamebook run`. */
export interface RunCommandOptions {
  /** `name=value` parameters, injected after the cell tagged `parameters`. */
  param?: string[];
  /** Where to write the executed notebook. Default: `<name>.out.ipynb` next to the input. */
  out?: string;
  /** Also write a self-contained HTML report there. */
  html?: string;
  /** Directory cells run in. Default: the notebook's own directory. */
  cwd?: string;
  /** Progress and summary lines go here (default: stderr, bypassing cell output capture). */
  log?: (line: string) => void;
  /**
   * Ctrl-C: interrupts the running cell (its child processes are killed and an experiment in it
   * marks its record "interrupted"), runs no further cell, and writes the notebook so far. Default: none.
   */
  signal?: AbortSignal;
}

/** What `flamebook run` did. */
export interface RunCommandResult {
  ok: boolean;
  out: string;
  html?: string;
  seconds: number;
  /** The verdict lines found in the outputs (experiments and verdicts). */
  verdicts: string[];
  /** The failing cell's error, when one failed. */
  error?: string;
  /** The run was interrupted (see `signal`); `out` holds the cells that finished and the interrupted one. */
  interrupted?: boolean;
}

/** The text of a cell's first non-empty, non-comment line, for progress and errors. */
function firstLine(cell: Cell): string {
  const line = cell.source.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("//")) ?? cell.source.split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

/**
 * The verdict sentences a notebook's outputs carry (`application/vnd.flamebook.verdict+json`),
 * each once, prefixed with its kind unless the sentence starts with it.
 *
 * @example
 * notebookVerdicts(executed); // ["improved: after is 33.2% faster than before (…)"]
 */
export function notebookVerdicts(nb: Notebook): string[] {
  const out: string[] = [];
  for (const c of nb.cells)
    for (const o of c.outputs ?? []) {
      if (o.output_type !== "display_data" && o.output_type !== "execute_result") continue;
      const v = o.data[VERDICT_MIME] as { kind?: unknown; text?: unknown } | undefined;
      if (v && typeof v.text === "string") {
        const kind = String(v.kind);
        const line = v.text.startsWith(kind) ? v.text : `${kind}: ${v.text}`;
        if (!out.includes(line)) out.push(line);
      }
    }
  return out;
}

/** A stream to the terminal that cell output capture cannot intercept. */
function terminalStream(): NodeJS.WriteStream {
  const write = process.stderr.write.bind(process.stderr);
  return Object.create(process.stderr, { write: { value: write } }) as NodeJS.WriteStream;
}

/**
 * `flamebook run <notebook>`: executes a notebook headlessly with the flamebook kernel in this
 * process (no Python or Jupyter needed), parameters injected papermill-style, one progress step per
 * cell. Writes the executed notebook (even when a cell fails: the error is in it, and the
 * notebook's `metadata.flamebook.status` says "failed") and, when all cells passed, the HTML report.
 *
 * @example
 * const r = await runCommand("notebooks/clone-in-loop.ipynb", { param: ["runs=4"], out: "out/clone-in-loop.ipynb" });
 * r.ok; // true
 * r.verdicts; // ["improved: after is 35.3% faster than before (…)"]
 */
export async function runCommand(file: string, opts: RunCommandOptions = {}): Promise<RunCommandResult> {
  const stream = terminalStream();
  const log = opts.log ?? ((l: string) => void stream.write(`${l}\n`));
  const source = await readNotebook(file);
  const nb = injectParameters(source, parseParameterArgs(opts.param ?? []), file);
  const out = resolve(opts.out ?? join(dirname(file), `${basename(file, extname(file))}.out.ipynb`));
  const html = opts.html === undefined ? undefined : resolve(opts.html);
  const cwd = resolve(opts.cwd ?? dirname(resolve(file)));

  const tty = stream.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        { stream, format: "{bar} {value}/{total} cells | {elapsed}s | {cell}", hideCursor: true, clearOnComplete: true, etaBuffer: 4 },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const onEvent = (e: NotebookEvent): void => {
    if (e.type === "cell-start") {
      if (bar) {
        if (e.codeIndex === 1 || !bar.isActive) bar.start(e.codeCells, e.codeIndex - 1, { cell: firstLine(e.cell) });
        else bar.update(e.codeIndex - 1, { cell: firstLine(e.cell) });
      }
    } else if (e.type === "cell-done") {
      const line = `[${e.codeIndex}/${e.codeCells}] cell ${e.index + 1} ${e.run.status === "ok" ? "ok" : e.run.status} in ${e.seconds.toFixed(1)} s: ${firstLine(e.cell)}`;
      if (bar) bar.update(e.codeIndex, { cell: firstLine(e.cell) });
      else log(line);
    }
  };

  log(`flamebook run ${file}${opts.param?.length ? ` (${opts.param.join(" ")})` : ""}: starting the kernel`);
  const previous = process.cwd();
  process.chdir(cwd);
  const kernel = await loadInProcessKernel(cwd);
  const onAbort = () => kernel.interrupt();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  let run;
  try {
    run = await executeNotebook(nb, kernel, { onEvent, signal: opts.signal });
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    bar?.stop();
    kernel.close();
    process.chdir(previous);
  }
  const executed = run.notebook;
  const interrupted = opts.signal?.aborted === true;
  executed.metadata.flamebook = {
    status: interrupted ? "interrupted" : run.failed ? "failed" : "ok",
    parameters: (opts.param ?? []).join(" "),
    seconds: Math.round(run.seconds * 10) / 10,
  };
  await writeNotebook(out, executed);
  const verdicts = notebookVerdicts(executed);
  if (interrupted) {
    // an experiment in the interrupted cell is still writing its record ("interrupted"): let it
    await exitHoldsSettled(10_000);
    const at = run.failed ? `cell ${run.failed.index + 1} (${firstLine(run.failed.cell)}) was interrupted` : "no cell was running";
    return { ok: false, interrupted: true, out, seconds: run.seconds, verdicts, error: `flamebook: interrupted: ${at}; the executed notebook so far, with the finished cells' outputs, is ${out}.` };
  }
  if (run.failed) {
    const { index, cell, error } = run.failed;
    const text = [
      `flamebook: cell ${index + 1} of ${file} failed (${firstLine(cell)}):`,
      `${error.ename}: ${stripAnsi(error.evalue)}`,
      // The traceback without what the line above already says (TypeScript diagnostics repeat it).
      ...error.traceback.map(stripAnsi).filter((l) => !l.startsWith(`${error.ename}: `) && !stripAnsi(error.evalue).split("\n").includes(l)),
      `The executed notebook, with the error, is ${out}.`,
    ].join("\n");
    return { ok: false, out, seconds: run.seconds, verdicts, error: text };
  }
  log(`executed ${executed.cells.filter((c) => c.cell_type === "code").length} code cells in ${run.seconds.toFixed(1)} s; notebook: ${out}`);
  let report: string | undefined;
  if (html) report = await reportCommand(out, { output: html });
  return { ok: true, out, ...(report ? { html: report } : {}), seconds: run.seconds, verdicts };
}
