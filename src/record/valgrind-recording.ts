import type { Profile } from "../model/profile.js";
import type { ValgrindToolName } from "./valgrind.js";
import { ProfileData } from "../table/profile-data.js";
import { totalWeight } from "../fold/function-totals.js";

/** Everything about one valgrind (callgrind, cachegrind or DHAT) run. */
export interface ValgrindRecordingInit {
  profile: Profile;
  /** "callgrind", "cachegrind" or "dhat". */
  tool: ValgrindToolName;
  /** Path of the kept output file (callgrind.out / cachegrind.out format, DHAT's JSON). */
  outFile: string;
  /** The exact valgrind command line. */
  command: string[];
  /** Wall time of the valgrind run, in seconds. */
  wallS: number;
  /** The program's exit code (valgrind passes it on). */
  exitCode: number | null;
  warnings: string[];
  /** The last lines the program printed on stdout. */
  programOutput: string;
}

/**
 * A valgrind recording: a {@link ProfileData} (tables, flamegraph, transforms) whose weights are
 * exact event counts (Ir: instructions executed), plus how it was made. `totals` are exact:
 * the same binary with the same input gives the same Ir on every run.
 *
 * @example
 * const rec = await callgrind.record(bin, { args: ["20000", "20"] });
 * rec.ir;                 // 1234567890 (instructions executed)
 * rec.totals;             // { Ir: 1234567890 }
 * rec.functions().orderby(aq.desc("self")).objects({ limit: 10 });
 */
export class ValgrindRecording extends ProfileData implements ValgrindRecordingInit {
  readonly tool: ValgrindToolName;
  readonly outFile: string;
  readonly command: string[];
  readonly wallS: number;
  readonly exitCode: number | null;
  readonly programOutput: string;
  /** Exact totals per event (e.g. { Ir: …, D1mr: … }), summed from the file's cost lines (which the importer checks against its totals line). */
  readonly totals: Readonly<Record<string, number>>;
  private readonly recordWarnings: string[];

  constructor(init: ValgrindRecordingInit) {
    super(init.profile);
    this.tool = init.tool;
    this.outFile = init.outFile;
    this.command = init.command;
    this.wallS = init.wallS;
    this.exitCode = init.exitCode;
    this.programOutput = init.programOutput;
    this.recordWarnings = init.warnings;
    this.totals = Object.fromEntries(init.profile.events.map((e, i) => [e, totalWeight(init.profile, i)]));
  }

  /** The total instruction count (Ir) of the run: exact, not sampled. @example rec.ir // 4486765 */
  get ir(): number {
    const ir = this.totals["Ir"];
    if (ir === undefined) throw new Error(`flamebook: this ${this.tool} recording has no Ir event (events: ${this.events.join(", ")}).`);
    return ir;
  }

  /** The importer's warnings and the recording's (non-zero exit, build warnings). @example rec.warnings // [] */
  override get warnings(): string[] {
    return [...this.recordWarnings, ...this.profile.warnings];
  }
}
