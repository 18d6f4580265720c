import { functionTotals, stackShare, totalWeight, type FunctionTotal } from "../fold/function-totals.js";
import type { Profile } from "../model/profile.js";

/** The facts about a recording, as numbers a notebook or CLI can print. */
export interface RecordingSummary {
  samples: number;
  /** Time between the first and the last sample, in seconds (NaN without timestamps). */
  durationS: number;
  /** Wall time of the whole `perf record` run, in seconds. */
  wallS: number;
  threads: number;
  /** The summed sample weight, in `unit` (perf periods: CPU nanoseconds for cpu-clock). */
  weight: number;
  unit: string;
  lost: number;
  warnings: string[];
}

/** Everything about one `perf record` run: the parsed profile and how it was made. */
export interface RecordingInit {
  profile: Profile;
  /** Path of the kept perf.data file. */
  perfData: string;
  /** The exact `perf record` command line. */
  command: string[];
  /** The exact `perf script` command line. */
  scriptCommand: string[];
  wallMs: number;
  /** The profiled program's exit code (perf record passes it on). */
  exitCode: number | null;
  lost: number;
  warnings: string[];
  /** The last lines the program printed on stdout. */
  programOutput: string;
}

/**
 * A recorded profile with its provenance. `summary()` gives the numbers, `functions()` the
 * self/total table, `share(/re/)` the fraction of samples under matching frames.
 *
 * @example
 * const rec = await perf.record(bin, { args: ["200000"] });
 * rec.summary().samples;       // 2558
 * rec.share(/to_string/);      // 0.42
 */
export class Recording implements RecordingInit {
  readonly profile: Profile;
  readonly perfData: string;
  readonly command: string[];
  readonly scriptCommand: string[];
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly lost: number;
  readonly warnings: string[];
  readonly programOutput: string;

  constructor(init: RecordingInit) {
    this.profile = init.profile;
    this.perfData = init.perfData;
    this.command = init.command;
    this.scriptCommand = init.scriptCommand;
    this.wallMs = init.wallMs;
    this.exitCode = init.exitCode;
    this.lost = init.lost;
    this.warnings = init.warnings;
    this.programOutput = init.programOutput;
  }

  /** Sample count, duration, threads, lost samples and warnings. @example rec.summary().durationS // 2.55 */
  summary(): RecordingSummary {
    const t = this.profile.samples.time;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < t.length; i++) {
      if (t[i]! < lo) lo = t[i]!;
      if (t[i]! > hi) hi = t[i]!;
    }
    return {
      samples: this.profile.samples.stack.length,
      durationS: hi >= lo ? hi - lo : NaN,
      wallS: this.wallMs / 1000,
      threads: this.profile.threads.length,
      weight: totalWeight(this.profile),
      unit: this.profile.unit,
      lost: this.lost,
      warnings: [...this.warnings],
    };
  }

  /** Self and total samples per function, heaviest total first. @example rec.functions()[0].name // "_start" */
  functions(): FunctionTotal[] {
    return functionTotals(this.profile);
  }

  /** Fraction (0–1) of samples with a frame matching `pattern` on the stack. @example rec.share(/malloc/) // 0.12 */
  share(pattern: RegExp): number {
    return stackShare(this.profile, pattern);
  }
}
