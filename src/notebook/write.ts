import { writeFileAtomic } from "../fs/atomic.js";
import { notebookJson, type Notebook } from "./nbformat.js";

/**
 * Writes a notebook as nbformat JSON, atomically (a failed write leaves no half notebook).
 * Returns the absolute path.
 *
 * @example
 * await writeNotebook("out/clone-in-loop.ipynb", executed);
 */
export async function writeNotebook(path: string, nb: Notebook): Promise<string> {
  return writeFileAtomic(path, notebookJson(nb));
}
