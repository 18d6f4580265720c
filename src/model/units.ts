// The vocabulary of flamebook's public surface, as type names, after the Firefox Profiler's typed
// units (src/types/units.js there): a signature says what it takes. They are plain aliases of
// `number` and `string`, so they cost nothing at run time and values need no conversion.
//
// The rules they stand for:
// - a share is a fraction from 0 to 1 (`Fraction`) in every table, option and method;
// - time is in seconds (`Seconds`) from the recording's first sample; a raw clock is its own column;
// - a thread is its `ThreadId` (its index in `profile.threads`), which joins `samples()` to
//   `threads()`; its name (`comm`) is a separate column;
// - events are chosen by name (`EventName`), never by index;
// - a quantity's unit is in its field name (`wallS`, `durationS`; `…Ms` only where a whole object
//   is in milliseconds, like an experiment's run times), never two units for one quantity on one object.

/** A duration or a time, in seconds. In tables: seconds from the recording's first sample. */
export type Seconds = number;

/** A duration in milliseconds: only where a whole object counts in ms (an experiment's run times). */
export type Milliseconds = number;

/** A duration in nanoseconds: only where a whole object counts in ns (perf's CPU-time weights). */
export type Nanoseconds = number;

/** A share of a whole, from 0 to 1 (0.25 is a quarter). Never a percentage. */
export type Fraction = number;

/**
 * A thread: its index in `profile.threads`. The `thread` column of `samples()` and of `threads()`,
 * and what a flamegraph's `thread` option takes (or the thread's name).
 */
export type ThreadId = number;

/** A frame: its index in `profile.frames` (the `frame` column of `frames()`). */
export type IndexIntoFrameTable = number;

/** A call stack: its index in `profile.stacks` (the `stack` column of `samples()`). */
export type IndexIntoStackTable = number;

/** An event by its name, as in `profile.events`: "cpu-clock", "Ir", "blocks", "offcpu"… */
export type EventName = string;
