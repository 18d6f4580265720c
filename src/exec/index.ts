export { run, type RunOptions } from "./run.js";
export { ExecError, displayCommand, type ExecFailure, type RunResult } from "./errors.js";
export { LineSplitter } from "./lines.js";
export { killAllGroups, liveGroups } from "./reaper.js";
export { setAmbientSignal, withAmbient } from "./ambient-signal.js";
