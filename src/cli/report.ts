import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { readReportNotebook } from "../report/notebook.js";
import { renderReport } from "../report/render.js";
import { writeReport } from "../report/write.js";
import { writeError } from "../fs/atomic.js";

/** Options of {@link reportCommand}. */
export interface ReportCommandOptions {
  /** Output file (default: the notebook's name with .html, next to it). */
  output?: string;
  /** Page title (default: the notebook's first `# ` heading). */
  title?: string;
  /** Leave code cells' source out. */
  noCode?: boolean;
}

/**
 * `flamebook report <notebook.ipynb> -o report.html`: reads an executed notebook, writes the
 * self-contained report atomically and returns its absolute path.
 *
 * @example
 * await reportCommand("runs/wordfreq.ipynb", { output: "report.html" }); // "/abs/report.html"
 */
export async function reportCommand(file: string, opts: ReportCommandOptions = {}): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`flamebook: cannot read ${file}${code === "ENOENT" ? ": no such file" : `: ${(e as Error).message}`}.`);
  }
  const notebook = readReportNotebook(text, file);
  const mtime = (await stat(file)).mtime;
  const html = renderReport(notebook, {
    source: basename(file),
    date: mtime,
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    ...(opts.noCode ? { showCode: false } : {}),
  });
  const out = opts.output ?? join(dirname(resolve(file)), `${basename(file).replace(/\.ipynb$/i, "")}.html`);
  return writeReport(out, html).catch((e: unknown) => {
    throw writeError(resolve(out), e);
  });
}
