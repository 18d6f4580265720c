export type { ImportOptions, Importer, LineImporter, LineParser } from "./importer.js";
export { lineFeeder, parseInput, type TextInput } from "./read-lines.js";
export { perfScript } from "./perf-script.js";
export { folded } from "./folded.js";
