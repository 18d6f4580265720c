// Format: Linux `perf script` text output (perf-script(1)), as perf 3.x to 6.x print it: one
// record per sample, a header line `comm  pid/tid [cpu] time: period event:` (every field but comm
// and pid optional, event modifiers such as `cpu-clock:ppp`), then one frame line per call-chain
// entry, leaf first (`\t addr sym+off (dso)`, `(inlined)` frames, unindented or tab-separated
// frames, inline chains `a->b`), each optionally followed by a `-F +srcline` line, then a blank
// line. `#` lines (`perf script --header`) and side-band records (`PERF_RECORD_*`) are skipped
// (with `{ offCpu: true }`, ./off-cpu.ts reads the switch records and sched_switch samples);
// without a call graph the sampled ip is on the header line, which perf then right-aligns.
import type { LineImporter } from "../importer.js";
import { looksLikeHeader } from "./header.js";
import { PerfScriptParser, type PerfScriptOptions } from "./parser.js";

export { looksLikeHeader } from "./header.js";
export type { PerfScriptOptions } from "./parser.js";

/**
 * Reads `perf script` text: several events, every header variant (comm with spaces, pid/tid,
 * cpu, time, period, event with modifiers), `(inlined)` frames, srclines, `[unknown]` and kernel
 * frames, `--header` comments, and a last record without its final newline. A record cut in the
 * middle of a line is dropped with a warning; lines that are neither headers nor frames after the
 * first header are skipped with one warning; input that is not perf script at all throws a
 * FormatError naming the line.
 *
 * @example
 * const profile = await parseInput(perfScript.parser({ cleanNames: true }), { path: "perf.txt" });
 */
export const perfScript: LineImporter & { parser(opts?: PerfScriptOptions): PerfScriptParser } = {
  extensions: [".perf.txt", ".perf-script", ".txt"],
  name: "perf-script",
  sniff: (head) => /^[ \t]*[0-9a-f]+[ \t]+\S/m.test(head) && head.split("\n", 1000).some((l) => !l.startsWith("#") && looksLikeHeader(l)),
  parser: (opts = {}) => new PerfScriptParser(opts),
};
