import { fileURLToPath } from "node:url";
import { cargo } from "../build/index.js";
import { functionTotals, totalWeight } from "../fold/function-totals.js";
import { perf } from "../record/perf.js";
import { functionTable } from "./text-table.js";

/** Where the seed's clone-in-loop crate lives, relative to this package. */
export const DEMO_CRATE = fileURLToPath(new URL("../../notebooks/crates/clone-in-loop", import.meta.url));

/** Options of the demo (the main job, `npm start`). */
export interface DemoOptions {
  /** Records per round. Default: 200000. */
  records?: number;
  /** Rounds over the records. Default: the crate's own (500, about 2–3 s). */
  rounds?: number;
  /** Where perf.data files go. Default: `.flamebook/recordings`. */
  outDir?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** The numbers the demo found for one variant. */
export interface DemoVariant {
  variant: "before" | "after";
  samples: number;
  durationS: number;
  toStringShare: number;
  warnings: string[];
}

/**
 * The main job for now: builds the clone-in-loop crate without and with the `reuse-buffer`
 * fix, records both with perf, and prints per variant the sample count, duration, warnings,
 * top 10 functions by self and by total samples, and the share of samples under `to_string`.
 *
 * @example
 * const [before, after] = await demo({ log: console.log });
 * before.toStringShare > 0.1 && after.toStringShare < 0.02; // the seed's claim, measured
 */
export async function demo(opts: DemoOptions = {}): Promise<DemoVariant[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const args = [String(opts.records ?? 200_000), ...(opts.rounds !== undefined ? [String(opts.rounds)] : [])];
  const out: DemoVariant[] = [];
  for (const [variant, features] of [["before", []], ["after", ["reuse-buffer"]]] as const) {
    log(`\n== ${variant}: clone-in-loop${features.length ? ` --features ${features.join(",")}` : ""} ==`);
    const bin = await cargo.build(DEMO_CRATE, { bin: "wordfreq", features: [...features], signal: opts.signal });
    log(`built ${bin.exe} (profile ${bin.profile}) in ${bin.durationS.toFixed(1)} s`);
    const rec = await perf.record(bin, { args, outDir: opts.outDir, signal: opts.signal });
    const s = rec.summary();
    const share = rec.share(/to_string/);
    log(`program: ${rec.programOutput.trim()}`);
    log(`recorded ${s.samples} samples over ${s.durationS.toFixed(2)} s (perf wall time ${s.wallS.toFixed(2)} s), ${s.lost} lost; perf.data: ${rec.perfData}`);
    for (const w of s.warnings) log(`warning: ${w}`);
    const all = totalWeight(rec.profile);
    const functions = functionTotals(rec.profile);
    log(functionTable(functions, "self", 10, all));
    log(functionTable(functions, "total", 10, all, { skipBase: 0.9 }));
    log(`share of samples under to_string: ${(100 * share).toFixed(1)}%`);
    out.push({ variant, samples: s.samples, durationS: s.durationS, toStringShare: share, warnings: s.warnings });
  }
  const [b, a] = out as [DemoVariant, DemoVariant];
  log(`\nto_string: ${(100 * b.toStringShare).toFixed(1)}% of samples before, ${(100 * a.toStringShare).toFixed(1)}% after the reused buffer.`);
  return out;
}
