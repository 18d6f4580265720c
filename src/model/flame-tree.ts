import type { FrameKind, WeightUnit } from "./profile.js";

/** The wire numbering of {@link FrameKind}: `FLAME_KINDS[kind[i]]`. */
export const FLAME_KINDS: readonly FrameKind[] = ["unknown", "rust", "c", "kernel"];

/**
 * The frames a flame tree refers to, as columns. Strings are indices into {@link FlameTree.strings};
 * `module` and `file` are -1 when unknown, `line` is 0 when unknown, `kind` indexes
 * {@link FLAME_KINDS}, `inlined` is 1 for a frame perf or DWARF marked as inlined.
 */
export interface FlameFrames {
  readonly name: Int32Array;
  readonly module: Int32Array;
  readonly file: Int32Array;
  readonly line: Int32Array;
  readonly kind: Uint8Array;
  readonly inlined: Uint8Array;
}

/**
 * The nodes of a flame tree in depth-first pre-order: node 0 is the root (all samples, depth 0);
 * a node's children follow it, siblings sorted by frame name. `parent[0]` is -1.
 * `self` is the weight of samples whose stack ends at the node; `total` includes descendants.
 */
export interface FlameNodes {
  readonly frame: Int32Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly self: Float64Array;
  readonly total: Float64Array;
}

/**
 * The "before" side of a diff tree. The node columns of the tree hold the "after" side; `total`
 * and `self` here are the base weights of the same call path (0 when it did not exist), so the
 * change of a node is `nodes.total[i] - base.total[i]`. `sig[i]` is 1 when the change is
 * statistically significant, 0 when it is within noise, 255 when no statistics were computed.
 */
export interface FlameDiff {
  readonly label: string;
  readonly baseLabel: string;
  readonly total: Float64Array;
  readonly self: Float64Array;
  readonly sig: Uint8Array;
}

/**
 * Samples in time order, for the flame chart: runs of consecutive samples of one thread that
 * ended in the same node. `start`/`end` are seconds from the recording's first sample; `node` is
 * the leaf node of the run's stack; `thread` indexes `threads` (display names, busiest first).
 */
export interface FlameTimeline {
  readonly threads: readonly string[];
  /**
   * The profile's thread id (`ThreadId`: the `thread` column of `samples()`) of each entry of
   * `threads`, where the tree was built from a profile (kernel side; it does not travel to the widget).
   */
  readonly threadIds?: Int32Array;
  readonly thread: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly node: Int32Array;
}

/**
 * A flamegraph's data: the call tree of one event of a profile (or of a diff of two), with a
 * deduplicated string table. This is what the widget draws and what travels to it, packed.
 */
export interface FlameTree {
  readonly version: 1;
  readonly title: string;
  /** The event the weights count, e.g. "cpu-clock" or "Ir". */
  readonly event: string;
  readonly unit: WeightUnit;
  readonly strings: readonly string[];
  readonly frames: FlameFrames;
  readonly nodes: FlameNodes;
  readonly diff?: FlameDiff;
  readonly timeline?: FlameTimeline;
  /** Things the reader should know (pruned nodes, a timeline left out…). */
  readonly notes: readonly string[];
}

/** Which way the graph grows: flame (root at the bottom) or icicle (root at the top). */
export type FlameLayout = "flame" | "icicle";

/** What the widget shows: the merged call tree, the sandwich of one function, or the time-ordered chart. */
export type FlameView = "tree" | "sandwich" | "chart";

/** How a diff is coloured: change in weight units, or change in share of the whole. */
export type DiffMode = "absolute" | "proportional";

/** The widget's theme; "auto" follows the host page. */
export type FlameTheme = "auto" | "light" | "dark";

/**
 * Display options shared by every host; the kernel can set them live and the widget reports
 * `selected` and `search` back. `focus` is a node id to zoom to (0 = whole tree).
 */
export interface FlameOptions {
  readonly layout: FlameLayout;
  readonly view: FlameView;
  readonly focus: number;
  readonly search: string;
  /** The function (string index of its name) the sandwich view is centred on, -1 for none. */
  readonly sandwich: number;
  readonly thread: number;
  readonly diffMode: DiffMode;
  readonly theme: FlameTheme;
  /** Height of the drawing area in CSS pixels. */
  readonly height: number;
}

/** The options a new flamegraph starts with (defined with their checks in flame-options.ts). */
export { DEFAULT_FLAME_OPTIONS } from "./flame-options.js";

/** The element type of a packed column. */
export type FlameColumnType = "i32" | "u8" | "f64";

/**
 * The header of a packed {@link FlameTree}: everything but the columns and strings, plus where
 * those are in the byte payload. The payload is the columns in `columns` order, each starting at
 * a multiple of 8 bytes, then the strings as UTF-8 joined by NUL; `f64` columns are stored
 * byte-transposed (all first bytes, then all second bytes, …), which deflates far better. The
 * whole payload is zlib-deflated when `encoding` is "deflate". Derivable columns are left out:
 * `nodes.parent` (from `nodes.depth`), `nodes.self` and `diff.self` (total minus children's
 * totals); the timeline travels as `timeline.startDeltaUs` (whole microseconds, each start minus
 * the previous run's) and `timeline.durationUs`.
 */
export interface FlameWireHeader {
  readonly format: "flamebook.flametree";
  readonly version: 1;
  readonly title: string;
  readonly event: string;
  readonly unit: WeightUnit;
  readonly notes: readonly string[];
  readonly diff?: { readonly label: string; readonly baseLabel: string };
  readonly threads?: readonly string[];
  readonly encoding: "deflate" | "identity";
  /** Uncompressed payload size in bytes. */
  readonly byteLength: number;
  /** Column path ("nodes.total", "diff.sig", …), element type, element count, byte offset. */
  readonly columns: readonly (readonly [string, FlameColumnType, number, number])[];
  /** Byte offset and length of the NUL-joined UTF-8 strings, and how many there are. */
  readonly strings: readonly [number, number, number];
}
