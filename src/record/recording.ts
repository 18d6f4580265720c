import { totalWeight } from "../fold/function-totals.js";
import type { Profile } from "../model/profile.js";
import { ProfileData } from "../table/profile-data.js";

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
 * A recorded profile with its provenance: a {@link ProfileData} (tables, transforms) plus how
 * it was made. `summary()` gives the numbers.
 *
 * @example
 * const rec = await perf.record(bin, { args: ["200000"] });
 * rec.summary().samples;                                    // 2558
 * rec.share(/to_string/);                                   // 0.42
 * rec.functions().orderby(aq.desc("self")).objects({ limit: 10 });
 */
export class Recording extends ProfileData implements RecordingInit {
  readonly perfData: string;
  readonly command: string[];
  readonly scriptCommand: string[];
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly lost: number;
  private readonly recordWarnings: string[];
  readonly programOutput: string;

  constructor(init: RecordingInit) {
    super(init.profile);
    this.perfData = init.perfData;
    this.command = init.command;
    this.scriptCommand = init.scriptCommand;
    this.wallMs = init.wallMs;
    this.exitCode = init.exitCode;
    this.lost = init.lost;
    this.recordWarnings = init.warnings;
    this.programOutput = init.programOutput;
  }

  /** Everything to tell the user: preflight, build, importer and sample-count warnings. */
  override get warnings(): string[] {
    return this.recordWarnings;
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
}
