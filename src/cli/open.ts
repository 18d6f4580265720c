import { basename } from "node:path";
import { openProfile } from "../samples/registry.js";
import { flamegraph } from "../table/flamegraph.js";

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
  return flamegraph(profile, { title, ...(opts.event ? { event: opts.event } : {}) }).save(opts.output ?? `${basename(file)}.html`, { title });
}
