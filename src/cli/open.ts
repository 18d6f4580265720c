import { basename } from "node:path";
import { readPerfData } from "../record/perf-data.js";
import { openProfile, type OpenOptions } from "../samples/registry.js";
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
  /** Gets each of the profile's warnings (stray lines, nameless frames…). Default: none. */
  onWarning?: (warning: string) => void;
}

/**
 * How the CLI opens a profile file: any format by content, perf.data through `perf script`,
 * errors that name `--format <name>`.
 *
 * @example
 * const profile = await openCliProfile("run.perf.data", undefined);
 */
export function openCliProfile(file: string, format: string | undefined): ReturnType<typeof openProfile> {
  const opts: OpenOptions = { readPerfData, formatFlag: "--format <name>" };
  return openProfile(file, format ? { ...opts, format } : opts);
}

/**
 * `flamebook open <profile>`: writes a self-contained interactive flamegraph page (no server, no
 * CDN) for any profile flamebook reads, perf.data included (through `perf script`), and returns
 * its absolute path. The page is written to a temporary file and renamed, so a failed run never
 * leaves half a page.
 *
 * @example
 * const path = await openCommand("perf.txt", { title: "wordfreq before" }); // ".../perf.txt.html"
 * await openCommand("perf.data", { onWarning: (w) => console.error(w) });
 */
export async function openCommand(file: string, opts: OpenCommandOptions = {}): Promise<string> {
  const profile = await openCliProfile(file, opts.format);
  for (const w of profile.warnings) opts.onWarning?.(w);
  const title = opts.title ?? basename(file);
  return flamegraph(profile, { title, ...(opts.event ? { event: opts.event } : {}) }).save(opts.output ?? `${basename(file)}.html`, { title });
}
