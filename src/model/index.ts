export type { FrameKind, FrameTable, Profile, SampleTable, StackTable, Thread, WeightUnit } from "./profile.js";
export { ProfileBuilder, type FrameInfo, type ProfileBuilderOptions } from "./profile-builder.js";
export { FormatError } from "./errors.js";
export { cleanRustName, demangleLegacyEscapes, type CleanRustNameOptions } from "./rust-names.js";
export { demangleRust, type DemangleRustOptions } from "./rust-demangle.js";
export { frameKind, isJitModule, isKernelModule } from "./frame-kind.js";
export { eventIndex } from "./event-index.js";
export { hasExactCounts } from "./exact-counts.js";
export {
  FLAME_KINDS,
  DEFAULT_FLAME_OPTIONS,
  type FlameTree,
  type FlameFrames,
  type FlameNodes,
  type FlameDiff,
  type FlameTimeline,
  type FlameOptions,
  type FlameWireHeader,
  type FlameColumnType,
  type FlameLayout,
  type FlameView,
  type FlameTheme,
  type DiffMode,
} from "./flame-tree.js";
export { normalizeFlameOptions } from "./flame-options.js";
