import { rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";

/**
 * Writes a report atomically (a temporary file in the same directory, then a rename) and returns
 * its absolute path. On failure nothing is left behind and an existing file is untouched.
 *
 * @example
 * await writeReport("report.html", renderReport(nb)); // "/home/me/report.html"
 */
export async function writeReport(path: string, html: string): Promise<string> {
  const out = resolve(path);
  const tmp = `${out}.partial-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, html, "utf8");
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return out;
}
