// The call graph of each thread of a callgrind file, and the function whose lines are being read.
import { CallGraph } from "./graph.js";

/**
 * One {@link CallGraph} per thread id (`thread:` header; -1 without one) and the current
 * graph and function. A `thread:` line leaves the current graph; the next body line enters
 * the thread's graph with no current function.
 *
 * @example
 * const t = new ThreadGraphs();
 * const g = t.enter(-1, 1); // the graph of the file's only thread, 1 event
 * t.fn = g.fn("/bin/app", "main");
 */
export class ThreadGraphs {
  readonly byThread = new Map<number, CallGraph>();
  /** The graph the body lines go to; null after a `thread:` line until the next body line. */
  graph: CallGraph | null = null;
  /** The function of the current graph the cost lines belong to (`fn=`); -1 before one. */
  fn = -1;

  /** Leaves the current graph (a `thread:` line). */
  leave(): void {
    this.graph = null;
    this.fn = -1;
  }

  /** Enters the graph of thread `tid` (made with `events` event columns on first use), with no current function. */
  enter(tid: number, events: number): CallGraph {
    let g = this.byThread.get(tid);
    if (g === undefined) {
      g = new CallGraph(events);
      this.byThread.set(tid, g);
    }
    this.fn = -1;
    this.graph = g;
    return g;
  }
}
