/**
 * flamebook: profile Rust programs from TypeScript notebooks.
 *
 * The public API: what a notebook uses, in one vocabulary (see src/model/units.ts): shares are
 * fractions (0–1), times are seconds from the recording's first sample, a thread is its
 * `ThreadId`, events and frames are chosen by name. Each operation has one form: tables,
 * transforms and flamegraphs are methods of a profile; recorders, exporters and display are free.
 *
 * Everything else — statistics, processes, the wire format, the artifact store, the importers one
 * by one, the free forms of the profile methods — is in "flamebook/internals" (src/internals.ts),
 * which may change in any release. test/package/exports.txt lists the runtime names below, so that
 * an addition is deliberate (test/package/exports.test.ts).
 */
// arquero, the dataframe library every table is made with: `import { aq } from "flamebook"` is
// enough for `aq.desc("self")` and `aq.op`, with the same copy flamebook uses.
export * as aq from "arquero";

// Profiles made elsewhere: any supported file, sniffed by content, and the importers it picks from.
export { open } from "./record/open.js";
export { importers } from "./samples/registry.js";

// Build, record, time. A recorder's name is its tool's; an importer is found by format name in `importers`.
export { cargo } from "./build/cargo.js";
export { perf } from "./record/perf.js";
export { callgrind } from "./record/callgrind.js";
export { cachegrind } from "./record/cachegrind.js";
export { dhat } from "./record/dhat.js";
export { runTimed } from "./exec/timed.js";

// A profile with its tables, transforms and flamegraphs; a flamegraph as a notebook value.
export { ProfileData } from "./table/profile-data.js";
export { Flamegraph } from "./table/flamegraph.js";

// Exporters: a profile (or a ProfileData) to the files other tools read.
export { toFolded } from "./fold/to-folded.js";
export { toSpeedscope } from "./samples/speedscope/speedscope.js";
export { toPprof } from "./samples/pprof/export.js";
export { toFirefox } from "./samples/firefox/export.js";

// Before/after experiments and the verdict on two sets of times.
export { experiment } from "./experiment/experiment.js";
export { verdict } from "./compare/verdict.js";

// Notebook output: display(), clearOutput(), and the one display protocol.
export { display, clearOutput } from "./display/display.js";
export { MIMEBUNDLE } from "./display/mime.js";

// The errors a notebook may want to tell apart.
export { FormatError } from "./model/errors.js";
export { ExecError } from "./exec/errors.js";

// Types only (no run-time names): the vocabulary, and what the functions above take and return.
export type { Seconds, Milliseconds, Nanoseconds, Fraction, ThreadId, IndexIntoFrameTable, IndexIntoStackTable, EventName } from "./model/units.js";
export type { FrameKind, FrameTable, Profile, SampleTable, StackTable, Thread, WeightUnit } from "./model/profile.js";
export type { ProfileLike } from "./model/profile-like.js";
export type { FlameDisplayOptions, FlameDisplayState } from "./model/flame-display.js";
export type { FlameTree, FlameLayout, FlameView, FlameTheme, DiffMode } from "./model/flame-tree.js";
export type { Pattern } from "./fold/pattern.js";
export type { Grouping } from "./fold/group-by.js";
export type { CleanRustNameOptions } from "./model/rust-names.js";
export type { FoldedOptions } from "./fold/to-folded.js";
export type { FlameTreeOptions } from "./fold/flame-tree.js";
export type { DiffFlameTreeOptions } from "./fold/diff-tree.js";
export type { SampleFilter } from "./table/profile-data.js";
export type { FlamegraphOptions, DiffFlamegraphOptions } from "./table/flamegraph.js";
export type { FlamegraphWidget, FlameSelection } from "./widget/flamegraph-widget.js";
export type { BuildOptions, BuildResult, BuildTarget, ProfileOverrides } from "./build/types.js";
export type { PerfRecordOptions, RecordTarget } from "./record/perf.js";
export type { Recording, RecordingSummary } from "./record/recording.js";
export type { OffCpuSummary } from "./record/off-cpu-summary.js";
export type { PerfPreflight } from "./record/preflight.js";
export type { CallgrindRecordOptions } from "./record/callgrind.js";
export type { CachegrindRecording } from "./record/cachegrind.js";
export type { DhatRecording, DhatRecordOptions } from "./record/dhat.js";
export type { ValgrindRecording } from "./record/valgrind-recording.js";
export type { ValgrindRecordOptions } from "./record/valgrind.js";
export type { TimedMethod, TimedOptions, TimedRun } from "./exec/timed.js";
export type { ExecFailure, RunResult } from "./exec/errors.js";
export type { Importer, ImportOptions } from "./samples/importer.js";
export type { OpenOptions } from "./samples/registry.js";
export type { SpeedscopeOptions } from "./samples/speedscope/speedscope.js";
export type { ToPprofOptions } from "./samples/pprof/export.js";
export type { FirefoxExportOptions } from "./samples/firefox/export.js";
export type { ExperimentOptions, Measure } from "./experiment/experiment.js";
export type { Experiment, InstructionDelta, TimeMetric } from "./experiment/result.js";
export type { ExperimentRecord, RunRecord, VariantSpec, Provenance } from "./experiment/record.js";
export type { Verdict, VerdictData, VerdictKind, VerdictOptions } from "./compare/verdict.js";
export type { SampleSummary } from "./compare/summary.js";
export type { FrameStat, FrameStatsOptions, FrameStatus } from "./compare/frame-stats.js";
export type { AllocationDelta } from "./compare/allocation-delta.js";
export type { Display, DisplayHandle } from "./display/display.js";
export type { Displayable } from "./display/mime.js";
export type { MimeBundle } from "./render/table-bundle.js";
export type { FlameSvgOptions } from "./render/flame-svg.js";
