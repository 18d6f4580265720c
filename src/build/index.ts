export { cargo } from "./cargo.js";
export type { BuildOptions, BuildResult, BuildTarget } from "./types.js";
export { elfSections } from "./elf.js";
