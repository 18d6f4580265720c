// Format: the call graph that valgrind's "Callgrind Format Specification" (valgrind manual)
// describes: per function (object, file, name: callgrind's own key) the sum of its cost lines
// (self cost), per caller→callee pair the sum of the `calls=` cost lines (inclusive cost of
// those calls) and of the call counts.

/**
 * A callgrind call graph for one thread: functions keyed by (object, file, name) like callgrind
 * keys them (two static functions of one name in one object are two functions), their self
 * costs and the call edges between them, all per event. Costs are flat arrays `[fn * events + e]`.
 *
 * @example
 * const g = new CallGraph(1);
 * const main = g.fn("app", "main"), work = g.fn("app", "work");
 * g.define(main, "main.rs"); g.define(work, "main.rs");
 * g.addSelf(main, [2]); g.addSelf(work, [5]); g.addCall(main, work, 1, [5]);
 * g.selfCost(work, 0); // 5
 */
export class CallGraph {
  readonly events: number;
  readonly name: string[] = [];
  readonly object: string[] = [];
  /** The file of the function's key (its `fl=` file, or the `cfi=` file of calls to it). */
  readonly keyFile: string[] = [];
  /** The function's file once it has `fn=` lines ("???" is null), else null. */
  readonly file: (string | null)[] = [];
  /** The smallest line number seen in the function's own file, or null. */
  readonly line: (number | null)[] = [];
  /** True when the function has `fn=` lines (not only `cfn=` references). */
  readonly defined: boolean[] = [];
  readonly self: number[] = [];
  readonly edgeFrom: number[] = [];
  readonly edgeTo: number[] = [];
  readonly edgeCount: number[] = [];
  readonly edgeCost: number[] = [];
  private readonly ids = new Map<string, number>();
  private readonly edges = new Map<number, number>();

  constructor(events: number) {
    this.events = events;
  }

  /** Number of functions. */
  get size(): number {
    return this.name.length;
  }

  /** The id of function `name` of `file` in `object`, created on first use. */
  fn(object: string, name: string, file = ""): number {
    const key = `${object}\u0000${file}\u0000${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.name.length;
      this.ids.set(key, id);
      this.name.push(name);
      this.object.push(object);
      this.keyFile.push(file);
      this.file.push(null);
      this.line.push(null);
      this.defined.push(false);
      for (let e = 0; e < this.events; e++) this.self.push(0);
    }
    return id;
  }

  /** Marks a function as seen in an `fn=` line; its first file is kept. */
  define(fn: number, file: string | null): void {
    if (!this.defined[fn]) {
      this.defined[fn] = true;
      this.file[fn] = file;
    } else if (this.file[fn] === null) this.file[fn] = file;
  }

  /** Remembers a line of the function's own file (the smallest is kept). */
  noteLine(fn: number, line: number): void {
    const old = this.line[fn];
    if (line > 0 && Number.isFinite(line) && (old === null || old === undefined || line < old)) this.line[fn] = line;
  }

  /** Adds a (non-call) cost line to a function's self cost. */
  addSelf(fn: number, costs: ArrayLike<number>): void {
    const at = fn * this.events;
    for (let e = 0; e < this.events; e++) this.self[at + e]! += costs[e]!;
  }

  /** Adds a call (count and inclusive costs) from `from` to `to`. */
  addCall(from: number, to: number, count: number, costs: ArrayLike<number>): void {
    const key = from * 67108864 + to;
    let id = this.edges.get(key);
    if (id === undefined) {
      id = this.edgeFrom.length;
      this.edges.set(key, id);
      this.edgeFrom.push(from);
      this.edgeTo.push(to);
      this.edgeCount.push(0);
      for (let e = 0; e < this.events; e++) this.edgeCost.push(0);
    }
    this.edgeCount[id]! += count;
    const at = id * this.events;
    for (let e = 0; e < this.events; e++) this.edgeCost[at + e]! += costs[e]!;
  }

  /** The self cost of a function for one event. */
  selfCost(fn: number, event: number): number {
    return this.self[fn * this.events + event]!;
  }

  /**
   * Points calls to functions that never got `fn=` lines at a defined function of the same
   * file and name in another object (callgrind may name a callee's object differently from
   * its definition), else of the same name. Returns how many callees stay undefined.
   */
  resolveCallees(): number {
    const byName = new Map<string, number>();
    const byFileName = new Map<string, number>();
    for (let f = 0; f < this.size; f++) {
      if (!this.defined[f]) continue;
      if (!byName.has(this.name[f]!)) byName.set(this.name[f]!, f);
      const key = `${this.keyFile[f]}\u0000${this.name[f]}`;
      if (!byFileName.has(key)) byFileName.set(key, f);
    }
    let missing = 0;
    const counted = new Set<number>();
    for (let i = 0; i < this.edgeTo.length; i++) {
      const to = this.edgeTo[i]!;
      if (this.defined[to]) continue;
      const other = byFileName.get(`${this.keyFile[to]}\u0000${this.name[to]}`) ?? byName.get(this.name[to]!);
      if (other !== undefined) this.edgeTo[i] = other;
      else if (!counted.has(to)) {
        counted.add(to);
        missing++;
      }
    }
    return missing;
  }
}
