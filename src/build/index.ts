export { cargo } from "./cargo.js";
export type { BuildOptions, BuildResult, BuildTarget, ProfileOverrides } from "./types.js";
export { overrideArgs } from "./profile.js";
export { elfSections } from "./elf.js";
