// Parts (dumps) of a callgrind file: the sums of their cost lines, checked against `totals:` and `summary:`.
import type { CostTotals } from "./header.js";
import { callgrindError, TRUNCATED_FIX } from "./messages.js";

/** One part: the sum of its cost lines per event, its `totals:` line, and how many cost lines it has. */
export interface Part {
  sums: Float64Array;
  totals: CostTotals | null;
  costLines: number;
}

/**
 * The parts of a callgrind file and what their cost lines add up to. A part ends at the next
 * `part:` line or at the end of the file; its cost lines must add up to its `totals:` line.
 *
 * @example
 * const parts = new Parts();
 * parts.add(new Float64Array([5]));
 * parts.current(1).totals = { values: new Float64Array([5]), line: 9 };
 * parts.end(10, ["Ir"], null); // fine: 5 = 5
 */
export class Parts {
  /** How many parts had a cost line or a `totals:` line. */
  count = 0;
  /** Cost lines in the whole file (calls' cost lines excluded). */
  costLines = 0;
  private part: Part | null = null;
  private lastPart: Part | null = null;

  /** The part being read (started on first use), with `events` event columns. */
  current(events: number): Part {
    if (this.part === null) {
      this.part = { sums: new Float64Array(events), totals: null, costLines: 0 };
      this.count++;
    }
    return this.part;
  }

  /** Adds a (non-call) cost line to the current part. */
  add(costs: Float64Array): void {
    const part = this.current(costs.length);
    if (part.sums.length !== costs.length) part.sums = new Float64Array(costs.length);
    for (let e = 0; e < costs.length; e++) part.sums[e]! += costs[e]!;
    part.costLines++;
    this.costLines++;
  }

  /** Ends the current part at line `no`: its cost lines must add up to its `totals:` line. */
  finish(no: number, events: readonly string[] | null): void {
    const part = this.part;
    if (part === null) return;
    if (part.totals !== null) checkSums(part.sums, part.totals, "totals:", no, events!);
    this.lastPart = part;
    this.part = null;
  }

  /**
   * Ends the file at line `no`. Without a `totals:` line, a one-part file must add up to its
   * `summary:` line (a file cut short does not).
   */
  end(no: number, events: readonly string[], summary: CostTotals | null): void {
    const last = this.part ?? this.lastPart;
    this.finish(no, events);
    if (this.count <= 1 && (last === null || last.totals === null) && summary !== null) {
      checkSums(last?.sums ?? new Float64Array(events.length), summary, "summary:", no, events);
    }
  }
}

function checkSums(sums: Float64Array, want: CostTotals, what: string, no: number, events: readonly string[]): void {
  for (let e = 0; e < events.length && e < sums.length; e++) {
    if (sums[e] !== want.values[e]) {
      const lines = `the cost lines to add up to the '${what}' line ${want.line} (${events[e]} ${want.values[e]})`;
      const got = `${events[e]} ${sums[e]} at line ${no}`;
      throw callgrindError(no, lines, got, TRUNCATED_FIX);
    }
  }
}
