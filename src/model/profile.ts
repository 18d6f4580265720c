/** What kind of code a frame is: our Rust code or std, C (libc, the allocator), the kernel, or unknown. */
export type FrameKind = "rust" | "c" | "kernel" | "unknown";

/** What a sample's weight counts. */
export type WeightUnit = "samples" | "nanoseconds" | "instructions" | "bytes" | "events";

/**
 * The frame table: one row per distinct frame (name + module + inlined), as columns.
 * `module` is the DSO / binary path ("" when unknown); `file`/`line` are null when unknown.
 */
export interface FrameTable {
  readonly name: readonly string[];
  readonly module: readonly string[];
  readonly file: readonly (string | null)[];
  readonly line: readonly (number | null)[];
  readonly inlined: readonly boolean[];
  readonly kind: readonly FrameKind[];
}

/**
 * The stack table, a prefix trie: stack `i` is frame `frame[i]` called from stack `parent[i]`
 * (-1 for a root frame). Parents always have smaller ids than their children.
 */
export interface StackTable {
  readonly parent: Int32Array;
  readonly frame: Int32Array;
}

/**
 * One row per sample, as columns. `time` is in seconds (NaN when the format has none); `stack`
 * is -1 for a sample without any frame (perf can record one).
 */
export interface SampleTable {
  readonly stack: Int32Array;
  readonly thread: Int32Array;
  readonly event: Int32Array;
  readonly time: Float64Array;
  readonly weight: Float64Array;
}

/** A thread seen in the profile. `pid`/`tid` are -1 when the format has none. */
export interface Thread {
  readonly comm: string;
  readonly pid: number;
  readonly tid: number;
}

/**
 * A profile in flamebook's one columnar shape: every importer produces it.
 * When a format only has aggregated stacks (folded), there is one sample row per stack.
 */
export interface Profile {
  /** The importer that produced it, e.g. "perf-script". */
  readonly format: string;
  /** The file it came from, when known. */
  readonly source: string | undefined;
  readonly frames: FrameTable;
  readonly stacks: StackTable;
  readonly samples: SampleTable;
  readonly threads: readonly Thread[];
  /** Event names (perf `cpu-clock`, callgrind `Ir`, …); `samples.event` indexes this. */
  readonly events: readonly string[];
  readonly unit: WeightUnit;
  /** Things a user should know: stray lines skipped, a truncated last record, lost samples… */
  readonly warnings: readonly string[];
}
