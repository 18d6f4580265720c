export { run, type RunOptions } from "./run.js";
export { ExecError, displayCommand, type ExecFailure, type RunResult } from "./errors.js";
export { LineSplitter } from "./lines.js";
export { killAllGroups, liveGroups } from "./reaper.js";
export { setAmbientSignal, withAmbient } from "./ambient-signal.js";
export { runTimed, parseTimes, type TimedMethod, type TimedOptions, type TimedRun } from "./timed.js";
export { perfEventSupport, perfStatSupport, type PerfEventSupport } from "./perf-stat.js";
export { parsePerfStatCsv, findPerfStatLine, type PerfStatLine } from "./perf-stat-csv.js";
export { startBackground, startBusy, type BackgroundOptions, type BackgroundExit, type BackgroundProcess, type BusyOptions } from "./background.js";
