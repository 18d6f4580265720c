/**
 * "flamebook/internals": everything flamebook is made of beyond its public API (src/index.ts,
 * re-exported here too): statistics, processes and process groups, the importers one by one, the
 * wire format and renderers, the widget models, the artifact store and experiment records, and the
 * free-function forms of the profile methods (on `Profile`, the plain data). Tests, benchmarks,
 * the kernel and the command line use them; a notebook may, but these names can change in any
 * release without a changelog entry.
 *
 * @example
 * import { startBusy, liveGroups, judgeParanoid } from "flamebook/internals";
 */
export * from "./index.js";

export * from "./model/index.js";
export { toWidgetOptions, fromWidgetOptions } from "./model/flame-display.js";
export { profileOf } from "./model/profile-like.js";
export * from "./exec/index.js";

// The importers one by one (the registry is the public `importers`); the three that share a
// name with a public recorder are told apart by a suffix.
export type { BlockResult, ImportOptions, Importer, LineImporter, LineParser } from "./samples/importer.js";
export { lineFeeder, parseInput, type LineFeeder, type TextInput } from "./samples/read-lines.js";
export { perfScript } from "./samples/perf/perf-script.js";
export { folded, DIFF_EVENTS } from "./samples/folded/folded.js";
export { pprof, type PprofOptions } from "./samples/pprof/pprof.js";
export { firefox } from "./samples/firefox/firefox.js";
export { speedscope } from "./samples/speedscope/speedscope.js";
export { cpuprofile } from "./samples/chrome/cpuprofile.js";
export { dhat as dhatImporter, DHAT_FILE_VERSION } from "./samples/dhat/dhat.js";
export { parseDhatFrame, type DhatFrame } from "./samples/dhat/frame-string.js";
export { callgrind as callgrindImporter, type CallgrindOptions, type CallgrindImporter } from "./samples/callgrind/callgrind.js";
export { cachegrind as cachegrindImporter } from "./samples/callgrind/cachegrind.js";
export { decodeText, textEncodingOf, type TextEncodingName } from "./samples/text-encoding.js";
export { isGzip, gunzipIfNeeded } from "./samples/gzip.js";
export { openProfile, byName, sniff, formatNames, PERF_DATA, type PerfDataReader, type SniffOptions } from "./samples/registry.js";
export { contentKind, isPerfData, type ContentKind } from "./samples/content-kind.js";

export * from "./fold/index.js";
export { overrideArgs } from "./build/profile.js";
export { elfSections } from "./build/elf.js";

export { PERF_SCRIPT_FIELDS, OFF_CPU_SCRIPT_FIELDS, isOffCpuRecording, missingBinariesWarning, perfScriptProfile, readPerfData, type PerfScriptOptions, type ReadPerfDataOptions } from "./record/perf-data.js";
export { judgeGovernors, judgeParanoid, judgeOffCpu, offCpuAccess, perfPreflight, readGovernors, SCHED_SWITCH_TRACEFS, type OffCpuAccess } from "./record/preflight.js";
export { offCpuSummary, offCpuWarnings, type OffCpuWarningsOptions } from "./record/off-cpu-summary.js";
export { offCpuEventArgs } from "./record/off-cpu-args.js";
export { OFF_CPU_EVENTS, OffCpuAssembler } from "./samples/perf/off-cpu.js";
export { parsePerfRecordStderr, type PerfRecordReport } from "./record/perf-output.js";
export { Recording, offCpuWarning, unresolvedWarning, type RecordingInit, type OffCpuWarningOptions, type UnresolvedWarningOptions } from "./record/recording.js";
export { CachegrindRecording } from "./record/cachegrind.js";
export { DhatRecording } from "./record/dhat.js";
export { ValgrindRecording, type ValgrindRecordingInit } from "./record/valgrind-recording.js";
export { VALGRIND_PACKAGE_HINT, type ValgrindToolName } from "./record/valgrind.js";
export { cacheTable } from "./record/cache-table.js";

export * from "./table/index.js";
export { firstTime } from "./fold/first-time.js";
export * from "./render/index.js";
export * from "./widget/index.js";
// classes the public API exports as types only, here as values
export { FlamegraphWidget } from "./widget/flamegraph-widget.js";
export { Experiment } from "./experiment/result.js";
export * from "./display/index.js";
export * from "./compare/index.js";
export * from "./experiment/index.js";
export * from "./report/index.js";
