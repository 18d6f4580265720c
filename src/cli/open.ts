import { rename, rm, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { flameTree } from "../fold/flame-tree.js";
import { flamePage } from "../render/flame-html.js";
import { openProfile } from "../samples/registry.js";

/** Options of `flamebook open`. */
export interface OpenCommandOptions {
  /** Output file. Default: `<profile file name>.html` in the current directory. */
  output?: string;
  /** Page and graph title. Default: the profile's file name. */
  title?: string;
  /** Input format by name. Default: sniffed from the content. */
  format?: string;
  /** Event to draw. Default: the profile's first. */
  event?: string;
}

/**
 * `flamebook open <profile>`: writes a self-contained interactive flamegraph page (no server, no
 * CDN) for any profile flamebook reads, and returns its absolute path. The page is written to a
 * temporary file and renamed, so a failed run never leaves half a page.
 *
 * @example
 * const path = await openCommand("perf.txt", { title: "wordfreq before" }); // ".../perf.txt.html"
 */
export async function openCommand(file: string, opts: OpenCommandOptions = {}): Promise<string> {
  const profile = await openProfile(file, opts.format ? { format: opts.format } : {});
  const title = opts.title ?? basename(file);
  const tree = flameTree(profile, { title, ...(opts.event ? { event: opts.event } : {}) });
  const out = resolve(opts.output ?? `${basename(file)}.html`);
  const tmp = `${out}.partial-${process.pid}`;
  try {
    await writeFile(tmp, flamePage([{ tree }], { title }));
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return out;
}
