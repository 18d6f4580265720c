// Format: Jupyter notebook, nbformat 4. The report reads notebooks through the shared model
// (src/notebook/nbformat.ts), so `flamebook run` and `flamebook report` accept and reject the same
// files with the same positioned errors. This file adds only what the report needs on top: typed
// views of the metadata it shows, and mimebundle text.
import { parseNotebook, type Cell, type JsonObject, type Notebook, type Output } from "../notebook/nbformat.js";
import { asJsonObject, get } from "../samples/json-input.js";

/** A notebook as the report reads it: the shared nbformat model. */
export type ReportNotebook = Notebook;
/** One cell of a {@link ReportNotebook}. */
export type NotebookCell = Cell;
/** One output of a code cell. */
export type NotebookOutput = Output;
/** A mimebundle as stored in a notebook (`data` of an output). */
export type NotebookMimeData = JsonObject;

/**
 * Parses an nbformat 4 notebook for a report. Anything that is not one throws the shared
 * {@link parseNotebook}'s FormatError, naming `source`, the line (and column for JSON syntax) and the fix.
 *
 * @example
 * const nb = readReportNotebook(await readFile("run.ipynb", "utf8"), "run.ipynb");
 * nb.cells.length;
 */
export function readReportNotebook(text: string, source = "notebook"): ReportNotebook {
  return parseNotebook(Buffer.from(text, "utf8"), source);
}

/**
 * A mimebundle value as text: nbformat stores text types as a string or a list of lines.
 * Returns undefined for anything else.
 *
 * @example
 * mimeText(["a\n", "b"]); // "a\nb"
 */
export function mimeText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("");
  return undefined;
}

/** `o[key]` when `o` is a JSON object and the value a string. */
function str(o: unknown, key: string): string | undefined {
  const m = asJsonObject(o);
  const v = m === undefined ? undefined : get(m, key);
  return typeof v === "string" ? v : undefined;
}

/** `o[key]` when `o` is a JSON object and the value one too. */
function obj(o: unknown, key: string): JsonObject | undefined {
  const m = asJsonObject(o);
  return m === undefined ? undefined : (asJsonObject(get(m, key)) as JsonObject | undefined);
}

/** What the report's header shows of a notebook's metadata. */
export interface NotebookFacts {
  title?: string | undefined;
  kernel?: string | undefined;
  language?: string | undefined;
  /** `metadata.widgets` (saved widget state), if any. */
  widgets?: JsonObject | undefined;
}

/**
 * The title, kernel, language and saved widget state a notebook's metadata gives, where they are
 * of the right type (anything else is ignored, as Jupyter does).
 *
 * @example
 * notebookFacts(nb).kernel; // "flamebook (TypeScript)"
 */
export function notebookFacts(nb: ReportNotebook): NotebookFacts {
  const m = nb.metadata;
  const ks = obj(m, "kernelspec");
  const li = obj(m, "language_info");
  const lang = str(li, "name");
  const version = str(li, "version");
  return {
    title: str(m, "title"),
    kernel: str(ks, "display_name") ?? str(ks, "name"),
    language: lang ? (version ? `${lang} ${version}` : lang) : undefined,
    widgets: obj(m, "widgets"),
  };
}

/**
 * When Jupyter/nbclient recorded a cell as executed (`metadata.execution`: the reply, else the
 * input), as an ISO string, if it did.
 *
 * @example
 * cellExecutedAt(nb.cells[0]!); // "2026-12-05T07:32:10.123Z"
 */
export function cellExecutedAt(cell: NotebookCell): string | undefined {
  const ex = obj(cell.metadata, "execution");
  return str(ex, "shell.execute_reply") ?? str(ex, "iopub.execute_input");
}
