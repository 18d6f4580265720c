/**
 * The cells an executor compiled, by the name they run under (`In[3]`), so that positions in
 * errors and type diagnostics are told in the cell's own lines and columns.
 *
 * Each compiled output gets a `//# sourceURL=<name>` comment: V8 then names the cell's stack
 * frames `In[3]:line:column` (instead of `evalmachine.<anonymous>`, the same for every cell),
 * and {@link CellSources.stack} maps those to the cell, for errors of earlier cells too.
 */
import type * as ConverterModule from "tslab/dist/converter.js";
import type { OutputMaps } from "./converter-maps.js";
import { CellMap, cellStack } from "./cell-positions.js";
import { originalOffset, type Insertion } from "./shorthand.js";

type Converted = ReturnType<ReturnType<typeof ConverterModule.createConverter>["convert"]>;
type Position = Converted["diagnostics"][number]["start"];

/** tslab's wrappers around a cell's output on the script's first line (tslab/dist/executor.js). */
const WRAPPER = { sync: "(function(exports, require) { ", async: "(async function(exports, require) { " };
/** Lines before the cell in the source tslab compiles (`export {};` and a line break). */
const SOURCE_PREFIX_LINES = 1;
/** How many cells' maps are kept for errors raised later (timers, promises of earlier cells). */
const KEEP = 500;

/** What the executor knows about a cell being compiled. */
export interface CellCompile {
  /** The cell as the user wrote it. */
  code: string;
  /** The text compiled (shorthand properties expanded). */
  compiled: string;
  insertions: readonly Insertion[];
  /** The output's maps, when the converter recorded them. */
  maps(output: string): OutputMaps | undefined;
}

/**
 * Names cells, keeps their maps, and maps stacks and diagnostics back to cell positions.
 *
 * @example
 * const cells = new CellSources();
 * cells.begin("3");                              // the next compiled cell runs as In[3]
 * const out = cells.adopt(converter.convert(prev, compiled), { code, compiled, insertions, maps: mapsOf });
 * cells.stack(error.stack);                      // "In[3]:1\nthrow new Error(…)\n      ^\n\nError: x\n    at In[3]:1:7"
 */
export class CellSources {
  private readonly cells = new Map<string, CellMap>();
  private pending = "";
  private seq = 0;

  /** Sets the name of the next compiled cell: `In[label]`, made unique (`In[3]#2`). */
  begin(label?: string): void {
    this.seq++;
    const base = `In[${label ?? `_${this.seq}`}]`;
    let name = base;
    for (let n = 2; this.cells.has(name); n++) name = `${base}#${n}`;
    this.pending = name;
  }

  /**
   * Takes a conversion of the cell begun last: its diagnostics get the cell's positions, and
   * its output is named and remembered (the returned output is what runs).
   */
  adopt(r: Converted, c: CellCompile): Converted {
    if (c.insertions.length > 0) {
      for (const d of r.diagnostics) {
        if (d.fileName !== undefined) continue; // another file's positions
        d.start = this.unexpand(d.start, c);
        d.end = this.unexpand(d.end, c);
      }
    }
    if (r.output === undefined) return r;
    if (!this.pending) this.begin();
    const name = this.pending;
    this.pending = "";
    const maps = c.maps(r.output);
    if (maps) {
      this.cells.set(
        name,
        new CellMap({
          name,
          code: c.code,
          compiled: c.compiled,
          insertions: c.insertions,
          maps,
          wrapperPrefix: (r.hasToplevelAwait ? WRAPPER.async : WRAPPER.sync).length,
          sourcePrefixLines: SOURCE_PREFIX_LINES,
          outputLines: r.output.split("\n").length,
        }),
      );
      if (this.cells.size > KEEP) this.cells.delete(this.cells.keys().next().value!);
    }
    return { ...r, output: `${r.output}\n//# sourceURL=${name}\n` };
  }

  /**
   * `stack` with cell frames at cell positions and the failing cell line on top.
   *
   * @example cells.stack(e.stack) // "In[3]:1\nthrow new Error(\"x\")\n      ^\n\nError: x\n    at In[3]:1:7"
   */
  stack(stack: string): string {
    return cellStack(stack, (name) => this.cells.get(name));
  }

  /** A diagnostic position in the compiled text, in the cell. */
  private unexpand(p: Position, c: CellCompile): Position {
    const offset = originalOffset(c.insertions, p.offset);
    const before = c.code.slice(0, offset);
    const lineStart = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1;
    return { offset, line: p.line, character: offset - lineStart };
  }
}
