import { writeFileAtomic } from "../fs/atomic.js";

/**
 * Writes a report atomically (a temporary file in the same directory, then a rename) and returns
 * its absolute path. On failure nothing is left behind, an existing file is untouched, and the
 * error names the file (a full disk included).
 *
 * @example
 * await writeReport("report.html", renderReport(nb)); // "/home/me/report.html"
 */
export async function writeReport(path: string, html: string): Promise<string> {
  return writeFileAtomic(path, html);
}
