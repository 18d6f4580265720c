import { cachegrind as cachegrindImporter } from "../samples/callgrind/cachegrind.js";
import { cacheTable } from "./cache-table.js";
import type { RecordTarget } from "./perf.js";
import { recordWithValgrind, type ValgrindRecordOptions, type ValgrindTool } from "./valgrind.js";
import { ValgrindRecording } from "./valgrind-recording.js";
import type { ColumnTable } from "../table/arquero.js";

/**
 * The flags: `--cache-sim=yes` (simulated I1, D1 and last-level caches, sized like the host's:
 * Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw), `--branch-sim=no`, `--trace-children=no`.
 */
const tool: ValgrindTool = {
  name: "cachegrind",
  flags: (out) => [`--cachegrind-out-file=${out}`, "--cache-sim=yes", "--branch-sim=no", "--trace-children=no"],
  parser: (o) => cachegrindImporter.parser(o),
};

/**
 * A cachegrind recording: exact totals, and `cache()`, the per-function cache table.
 *
 * @example
 * rec.cache().orderby(aq.desc("DLmr")).objects({ limit: 5 });
 */
export class CachegrindRecording extends ValgrindRecording {
  /** One row per function: name, file, every event, and the miss rates D1missRate, LLmissRate, I1missRate (fractions, 0–1). @example rec.cache().orderby(aq.desc("D1missRate")) */
  cache(): ColumnTable {
    return cacheTable(this.profile);
  }
}

/**
 * Runs a program under `valgrind --tool=cachegrind --cache-sim=yes` and reads the result: exact
 * totals per event (`rec.totals`: Ir, I1mr, ILmr, Dr, D1mr, DLmr, Dw, D1mw, DLmw), one-frame
 * profiles per function (cachegrind has no call graph) and `rec.cache()`, one row per function
 * with every event and its D1 and LL miss rates. The output file is kept like callgrind's.
 *
 * @example
 * const rec = await cachegrind.record(bin, { args: ["20000", "20"] });
 * rec.totals.D1mr;   // 123456
 * rec.cache().orderby(aq.desc("D1mr")).objects({ limit: 10 });
 */
async function record(target: RecordTarget, opts: ValgrindRecordOptions = {}): Promise<CachegrindRecording> {
  return recordWithValgrind(tool, target, opts, (init) => new CachegrindRecording(init));
}

/**
 * Simulated cache misses with valgrind's cachegrind: `cachegrind.record` runs a program. (A
 * cachegrind.out file made elsewhere opens with `open()`; its importer is `importers`' "cachegrind".)
 *
 * @example
 * (await cachegrind.record("./app")).cache();
 */
export const cachegrind: { record: typeof record } = { record };
