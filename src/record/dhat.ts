import { dhat as dhatImporter } from "../samples/dhat/dhat.js";
import type { RecordTarget } from "./perf.js";
import { recordWithValgrind, type ValgrindRecordOptions, type ValgrindTool } from "./valgrind.js";
import { ValgrindRecording } from "./valgrind-recording.js";

/** Options of {@link dhat.record}. Every option documents its default. */
export interface DhatRecordOptions extends ValgrindRecordOptions {
  /**
   * What DHAT counts (`--mode`): "heap" (heap blocks: every malloc, calloc, realloc, new), "copy"
   * (memcpy, memmove, strcpy… calls, as blocks and bytes copied) or "ad-hoc" (the program's own
   * `DHAT_AD_HOC_EVENT` client requests: events and units). Default: "heap".
   */
  mode?: "heap" | "copy" | "ad-hoc";
  /**
   * How many callers DHAT keeps per stack (`--num-callers`, inlined frames not counted). Deeper
   * stacks are cut at their root end, and a cut stack starts its own tower in the flamegraph.
   * Default: 64 (valgrind's own default, 12, cuts Rust stacks through std).
   */
  numCallers?: number;
}

/**
 * The flags: `--mode=<mode>`, `--num-callers=<n>` and `--trace-children=no` (only the program
 * itself), passed anyway where they are valgrind's defaults so that a ~/.valgrindrc or
 * VALGRIND_OPTS cannot change the recording unnoticed.
 */
function tool(opts: DhatRecordOptions): ValgrindTool {
  const numCallers = opts.numCallers ?? 64;
  if (!Number.isInteger(numCallers) || numCallers < 1 || numCallers > 500) {
    throw new Error(`flamebook: dhat.record numCallers must be a whole number from 1 to 500 (valgrind's limit), got ${numCallers}.`);
  }
  return {
    name: "dhat",
    suffix: ".dhat.json",
    flags: (out) => [`--dhat-out-file=${out}`, `--mode=${opts.mode ?? "heap"}`, `--num-callers=${numCallers}`, "--trace-children=no"],
    decode: (bytes, o) => dhatImporter.decode(bytes, o),
  };
}

/**
 * A DHAT recording: a {@link ValgrindRecording} whose events are exact allocation counts —
 * `blocks` (heap allocations), `bytes` (bytes allocated), `maxBytes` (each allocation site's peak
 * live bytes), `readBytes`/`writeBytes` (bytes read from and written to the blocks). The same
 * binary with the same input and environment gives the same counts on every run.
 *
 * @example
 * const rec = await dhat.record(bin, { args: ["2000", "10"] });
 * rec.blocks;   // 44189 allocations
 * rec.functions().orderby(aq.desc("total_blocks")).objects({ limit: 10 });
 */
export class DhatRecording extends ValgrindRecording {
  /** The number of heap blocks allocated (DHAT's "Total: … in N blocks"): exact. @example rec.blocks // 44189 */
  get blocks(): number {
    return this.total(this.events[0] ?? "blocks");
  }

  /** The bytes allocated (DHAT's "Total: N bytes"): exact. @example rec.bytes // 717428 */
  get bytes(): number {
    return this.total(this.events[1] ?? "bytes");
  }

  private total(event: string): number {
    const v = this.totals[event];
    if (v === undefined) throw new Error(`flamebook: this DHAT recording has no '${event}' event (events: ${this.events.join(", ")}).`);
    return v;
  }
}

/**
 * Runs a program under `valgrind --tool=dhat` and reads the result: exact allocation counts per
 * call stack (`rec.blocks`, `rec.bytes`, `rec.totals`), as a profile whose tables and flamegraphs
 * take `event: "blocks"` (or "bytes", "maxBytes", "readBytes", "writeBytes"), and the exact
 * command line. It takes the targets and options of `perf.record` (a cargo build, an executable,
 * a command). The output file (DHAT's JSON, which valgrind's dh_view.html also opens) is kept in
 * `outDir` as `<name>-<time>-<pid>.dhat.json`, renamed from a `.partial` name only when valgrind
 * finished; an aborted run leaves no file. Programs run 10–50× slower than natively.
 *
 * @example
 * const bin = await cargo.build("notebooks/crates/clone-in-loop", { bin: "wordfreq" });
 * const rec = await dhat.record(bin, { args: ["2000", "10"] });
 * rec.blocks;                                   // 44189
 * rec.flamegraph({ event: "blocks" });
 */
async function record(target: RecordTarget, opts: DhatRecordOptions = {}): Promise<DhatRecording> {
  return recordWithValgrind(tool(opts), target, opts, (init) => new DhatRecording(init));
}

/**
 * Exact allocation counts with valgrind's DHAT: `dhat.record` runs a program. (DHAT's JSON made
 * elsewhere, or dhat-rs's `dhat-heap.json`, opens with `open()`; its importer is `importers`' "dhat".)
 *
 * @example
 * const rec = await dhat.record("./app", { args: ["10"] }); rec.blocks;
 */
export const dhat: { record: typeof record } = { record };
