// Format: Jupyter notebook, nbformat 4 (https://nbformat.readthedocs.io/en/latest/format_description.html).
// Only the subset a report reads is validated; unknown fields pass through untouched. This is the
// report's own minimal schema, to be reconciled with the shared notebook model (src/notebook/).
import { z } from "zod";
import { preview } from "../samples/json-input.js";
import { lineColumn, syntaxError } from "../samples/json-positions.js";

/** nbformat's multiline string: one string, or a list of lines to join. */
const multiline = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === "string" ? v : v.join("")));

/** A mimebundle: text types are (multiline) strings, JSON types are any JSON value. */
const mimeData = z.record(z.string(), z.unknown());

const streamOutput = z.object({ output_type: z.literal("stream"), name: z.string(), text: multiline });
const dataOutput = z.object({
  output_type: z.enum(["execute_result", "display_data"]),
  data: mimeData,
  metadata: z.record(z.string(), z.unknown()).optional(),
  execution_count: z.number().int().nullable().optional(),
});
const errorOutput = z.object({ output_type: z.literal("error"), ename: z.string(), evalue: z.string(), traceback: z.array(z.string()) });
const output = z.discriminatedUnion("output_type", [streamOutput, dataOutput, errorOutput]);

const attachments = z.record(z.string(), z.record(z.string(), z.unknown())).optional();
const timing = z.object({ "iopub.execute_input": z.string().optional(), "shell.execute_reply": z.string().optional() }).loose().optional();
const cellMetadata = z.object({ execution: timing, tags: z.array(z.string()).optional() }).loose().optional();

const markdownCell = z.object({ cell_type: z.literal("markdown"), source: multiline, attachments, metadata: cellMetadata });
const codeCell = z.object({
  cell_type: z.literal("code"),
  source: multiline,
  outputs: z.array(output),
  execution_count: z.number().int().nullable(),
  metadata: cellMetadata,
});
const rawCell = z.object({ cell_type: z.literal("raw"), source: multiline, metadata: cellMetadata });

const notebookSchema = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int(),
  metadata: z
    .object({
      title: z.string().optional(),
      kernelspec: z.object({ name: z.string().optional(), display_name: z.string().optional(), language: z.string().optional() }).loose().optional(),
      language_info: z.object({ name: z.string().optional(), version: z.string().optional() }).loose().optional(),
      widgets: z.record(z.string(), z.unknown()).optional(),
    })
    .loose(),
  cells: z.array(z.discriminatedUnion("cell_type", [markdownCell, codeCell, rawCell])),
});

/** A notebook as the report reads it (multiline strings joined). */
export type ReportNotebook = z.infer<typeof notebookSchema>;
/** One cell of a {@link ReportNotebook}. */
export type NotebookCell = ReportNotebook["cells"][number];
/** One output of a code cell. */
export type NotebookOutput = z.infer<typeof output>;
/** A mimebundle as stored in a notebook (`data` of an output). */
export type NotebookMimeData = z.infer<typeof mimeData>;

/**
 * A notebook that cannot be read: names the file, where (line and column for JSON syntax errors,
 * the JSON path for schema errors) and the fix.
 *
 * @example
 * try { readReportNotebook(text, "run.ipynb"); } catch (e) { if (e instanceof ReportNotebookError) console.error(e.message); }
 */
export class ReportNotebookError extends Error {
  override readonly name = "ReportNotebookError";
  readonly source: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(source: string, message: string, where: { line?: number; column?: number } = {}) {
    super(message);
    this.source = source;
    this.line = where.line;
    this.column = where.column;
  }
}

/**
 * Parses and validates an nbformat 4 notebook. Throws {@link ReportNotebookError} naming `source` and the
 * position of the problem, with the fix.
 *
 * @example
 * const nb = readReportNotebook(await readFile("run.ipynb", "utf8"), "run.ipynb");
 * nb.cells.length;
 */
export function readReportNotebook(text: string, source = "notebook"): ReportNotebook {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const err = syntaxError(body);
    const at = err?.at ?? 0;
    const { line, column } = lineColumn(body, at);
    throw new ReportNotebookError(
      source,
      `flamebook: ${source} is not valid JSON: line ${line}, column ${column}: expected ${err?.expected ?? "valid JSON"}.\n` +
        "A notebook is a JSON file (nbformat 4); the file may be truncated or not a notebook. Re-save it from Jupyter, or re-run `jupyter nbconvert --to notebook --execute`.",
      { line, column },
    );
  }
  if (json !== null && typeof json === "object" && "nbformat" in json && (json as { nbformat: unknown }).nbformat !== 4) {
    const v = (json as { nbformat: unknown }).nbformat;
    throw new ReportNotebookError(
      source,
      `flamebook: ${source} is nbformat ${preview(v)}; a report needs nbformat 4.\nConvert it with \`jupyter nbconvert --to notebook --nbformat 4 ${source}\`.`,
    );
  }
  const parsed = notebookSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") : "(top level)";
    throw new ReportNotebookError(
      source,
      `flamebook: ${source} is not an nbformat 4 notebook: at ${path}: ${issue.message}.\n` +
        "Re-save it from Jupyter (or check it with `jupyter nbconvert --to notebook`); a report reads executed .ipynb files.",
    );
  }
  return parsed.data;
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
