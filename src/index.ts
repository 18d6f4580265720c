/**
 * flamebook: profile Rust programs from TypeScript notebooks.
 * This is the single public barrel; every public name is exported from here.
 */
// arquero, the dataframe library every table is made with: `import { aq } from "flamebook"` is
// enough for `aq.desc("self")` and `aq.op`, with the same copy flamebook uses.
export * as aq from "arquero";
export * from "./model/index.js";
export * from "./exec/index.js";
export * from "./samples/index.js";
export * from "./fold/index.js";
export * from "./build/index.js";
export { perf, type PerfRecordOptions, type RecordTarget } from "./record/perf.js";
export { PERF_SCRIPT_FIELDS, OFF_CPU_SCRIPT_FIELDS, missingBinariesWarning, perfScriptProfile, readPerfData, type PerfScriptOptions, type ReadPerfDataOptions } from "./record/perf-data.js";
export { open } from "./record/open.js";
export { judgeGovernors, judgeParanoid, judgeOffCpu, offCpuAccess, perfPreflight, readGovernors, SCHED_SWITCH_TRACEFS, type OffCpuAccess, type PerfPreflight } from "./record/preflight.js";
export { offCpuSummary, offCpuWarnings, type OffCpuSummary, type OffCpuWarningsOptions } from "./record/off-cpu-summary.js";
export { offCpuEventArgs } from "./record/off-cpu-args.js";
export { OFF_CPU_EVENTS, OffCpuAssembler } from "./samples/perf/off-cpu.js";
export { parsePerfRecordStderr, type PerfRecordReport } from "./record/perf-output.js";
export { Recording, offCpuWarning, unresolvedWarning, type RecordingInit, type RecordingSummary, type OffCpuWarningOptions, type UnresolvedWarningOptions } from "./record/recording.js";
export * from "./table/index.js";
export * from "./render/index.js";
export * from "./widget/index.js";
export * from "./display/index.js";
export * from "./compare/index.js";
export { callgrind, type CallgrindRecordOptions } from "./record/callgrind.js";
export { cachegrind, CachegrindRecording } from "./record/cachegrind.js";
export { dhat, DhatRecording, type DhatRecordOptions } from "./record/dhat.js";
export { ValgrindRecording, type ValgrindRecordingInit } from "./record/valgrind-recording.js";
export { VALGRIND_PACKAGE_HINT, type ValgrindRecordOptions, type ValgrindToolName } from "./record/valgrind.js";
export { cacheTable } from "./record/cache-table.js";
export * from "./experiment/index.js";
export * from "./report/index.js";
