import { toFolded } from "../fold/to-folded.js";
import { parseInput } from "../samples/read-lines.js";
import { perfScript } from "../samples/perf/perf-script.js";

/** Options of the `flamebook collapse` command. */
export interface CollapseOptions {
  cleanNames?: boolean;
  pid?: boolean;
  tid?: boolean;
  annotate?: boolean;
  event?: string;
}

/**
 * `flamebook collapse [file|-]`: streams `perf script` output and writes folded stacks, like
 * stackcollapse-perf.pl / inferno-collapse-perf. Memory is bounded by the number of distinct
 * stacks (samples are merged as they are read). Warnings go to stderr.
 *
 * @example
 * await collapse("perf.txt", { cleanNames: true }, process.stdout);
 */
export async function collapse(file: string, opts: CollapseOptions, out: NodeJS.WritableStream): Promise<void> {
  const input = file === "-" ? process.stdin : { path: file };
  const source = file === "-" ? "<stdin>" : file;
  const profile = await parseInput(perfScript.parser({ source, cleanNames: opts.cleanNames, keepSamples: false }), input, source);
  for (const w of profile.warnings) process.stderr.write(`flamebook: warning: ${w}\n`);
  const lines = toFolded(profile, opts);
  // write in large blocks: one write per line is slow on pipes
  for (let i = 0; i < lines.length; i += 4096) {
    const block = lines.slice(i, i + 4096).join("\n") + "\n";
    if (!out.write(block)) await new Promise((r) => out.once("drain", r));
  }
}
