export { ProfileData, type SampleFilter } from "./profile-data.js";
export { samplesTable } from "./samples-table.js";
export { functionsTable } from "./functions-table.js";
export { framesTable } from "./frames-table.js";
export { threadsTable } from "./threads-table.js";
export { neighboursTable } from "./callers-table.js";
export { selectSamples } from "./select-samples.js";
export { Flamegraph, flamegraph, diffFlamegraph } from "./flamegraph.js";
