import { callgrind as callgrindImporter } from "../samples/callgrind/callgrind.js";
import type { RecordTarget } from "./perf.js";
import { recordWithValgrind, type ValgrindRecordOptions, type ValgrindTool } from "./valgrind.js";
import type { ValgrindRecording } from "./valgrind-recording.js";

/** Options of {@link callgrind.record}. Every option documents its default. */
export interface CallgrindRecordOptions extends ValgrindRecordOptions {
  /**
   * Collect only inside this function (`--toggle-collect=<fn>`, wildcards `*` and `?`), with
   * `--collect-atstart=no`, e.g. "wordfreq::process::process". Default: the whole run.
   */
  toggleCollect?: string;
}

/**
 * The flags: `--dump-instr=no` (costs per source line, not per instruction: a small file),
 * `--collect-jumps=no` (no branch arcs), `--separate-threads=no` (one part for all threads),
 * `--cache-sim=no --branch-sim=no` (Ir only: exact and the fastest) and
 * `--trace-children=no` (only the program itself). They are the defaults of valgrind 3.x, passed
 * anyway so that a ~/.valgrindrc or VALGRIND_OPTS cannot change the recording unnoticed.
 */
function tool(toggleCollect: string | undefined): ValgrindTool {
  return {
    name: "callgrind",
    flags: (out) => [
      `--callgrind-out-file=${out}`,
      "--dump-instr=no",
      "--collect-jumps=no",
      "--separate-threads=no",
      "--cache-sim=no",
      "--branch-sim=no",
      "--trace-children=no",
      ...(toggleCollect !== undefined ? ["--collect-atstart=no", `--toggle-collect=${toggleCollect}`] : []),
    ],
    parser: (o) => callgrindImporter.parser(o),
  };
}

/**
 * Runs a program under `valgrind --tool=callgrind` and reads the result: exact instruction
 * counts (`rec.ir`, `rec.totals`), the call tree as a profile (tables, flamegraph) and the
 * exact command line. The output file is kept in `outDir` (`<name>-<time>-<pid>.callgrind.out`),
 * renamed from a `.partial` name only when valgrind finished; an aborted run leaves no file.
 * The same binary with the same input and environment gives the same Ir on every run.
 *
 * @example
 * const bin = await cargo.build("notebooks/crates/clone-in-loop", { bin: "wordfreq" });
 * const rec = await callgrind.record(bin, { args: ["20000", "20"] });
 * rec.ir;         // 187654321
 * rec.flamegraph();
 */
async function record(target: RecordTarget, opts: CallgrindRecordOptions = {}): Promise<ValgrindRecording> {
  return recordWithValgrind(tool(opts.toggleCollect), target, opts);
}

/**
 * Exact instruction counts with valgrind's callgrind: `callgrind.record` runs a program. (A
 * callgrind.out file made elsewhere opens with `open()`; its importer is `importers`' "callgrind".)
 *
 * @example
 * const rec = await callgrind.record("./app", { args: ["10"] }); rec.ir;
 */
export const callgrind: { record: typeof record } = { record };
