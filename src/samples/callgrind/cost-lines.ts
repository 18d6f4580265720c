// Cost lines of a callgrind body: a function's self cost, or (after `calls=`) the inclusive cost of a call.
import type { CallGraph } from "./graph.js";
import type { Header } from "./header.js";
import { callgrindError } from "./messages.js";
import { readCostLine } from "./numbers.js";
import type { Parts } from "./parts.js";
import type { PositionLines } from "./position-lines.js";
import type { ThreadGraphs } from "./thread-graphs.js";

/** What a cost line adds to: the parser's state, and the graph its body lines go to. */
export interface CostContext {
  readonly header: Header;
  readonly names: PositionLines;
  readonly threads: ThreadGraphs;
  readonly parts: Parts;
  /** The graph body lines go to (entered on first use); FormatError before an `events:` line. */
  body(text: string, no: number): CallGraph;
}

/** A `calls=` line waiting for its cost line. */
export interface PendingCall {
  callee: number;
  count: number;
  line: number;
}

/**
 * True when a body line starting with character code `c` is a cost line: a digit, `+`, `-` or `*`.
 *
 * @example
 * startsCostLine("+3 * 5".charCodeAt(0)); // true
 */
export function startsCostLine(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42;
}

/**
 * Reads cost lines: a plain one adds to the current function's self cost (and its part's
 * sums); the one after a `calls=` line adds the inclusive cost of those calls to the edge
 * from the current function to the callee.
 *
 * @example
 * const costs = new CostLines(parser); // parser: a CostContext
 * costs.self("+2 * 4", 14);
 */
export class CostLines {
  /** The `calls=` line whose cost line comes next, or null. */
  pending: PendingCall | null = null;
  private costs = new Float64Array(0);
  private readonly at: CostContext;

  constructor(at: CostContext) {
    this.at = at;
  }

  /** A cost line of the current function (its self cost). */
  self(text: string, no: number): void {
    const g = this.at.body(text, no);
    const { threads, header, names } = this.at;
    if (threads.fn < 0) throw callgrindError(no, "an 'fn=' line before cost lines (the function they belong to)", text);
    const costs = this.read(text, no);
    g.addSelf(threads.fn, costs);
    this.at.parts.add(costs);
    if (header.lineIndex >= 0 && names.file === names.fnFile) g.noteLine(threads.fn, header.pos[header.lineIndex]!);
  }

  /** Remembers a `calls=` line (line `no`): the next line must be its cost line. */
  expect(callee: number, count: number, no: number): void {
    this.pending = { callee, count, line: no };
  }

  /** The cost line after a `calls=` line: the inclusive cost of those calls. */
  call(text: string, no: number): void {
    const p = this.pending!;
    if (!startsCostLine(text.charCodeAt(0))) throw callgrindError(no, `the cost line of the 'calls=' on line ${p.line} (positions, then the inclusive costs of the calls)`, text);
    const costs = this.read(text, no);
    const { threads } = this.at;
    threads.graph!.addCall(threads.fn, p.callee, p.count, costs);
    this.pending = null;
  }

  private read(text: string, no: number): Float64Array {
    const { header } = this.at;
    const n = header.events!.length;
    if (this.costs.length !== n) this.costs = new Float64Array(n);
    const bad = readCostLine(text, header.pos, this.costs, true);
    if (bad !== null) throw callgrindError(no, bad, text);
    return this.costs;
  }
}
