/**
 * Where in a cell a position of its compiled JavaScript came from, and stack traces told in
 * cell positions.
 *
 * A cell runs as tslab's output (kernel/converter-maps.ts has its two source maps) wrapped in
 * `(function(exports, require) { ` … `})(…)` on the first line, named by a `//# sourceURL=`
 * comment (e.g. `In[3]`), after the kernel expanded its shorthand properties
 * (kernel/shorthand.ts). Without mapping, a one-line cell's `throw` is reported at line 2 (tslab's
 * CommonJS prologue), later lines drift (tslab adds `exports.x = x;` lines and drops blank
 * lines), and columns shift after a shorthand property.
 */
import type { OutputMaps } from "./converter-maps.js";
import { originalOffset, type Insertion } from "./shorthand.js";

/** A 1-based line and column. */
export interface LineColumn {
  line: number;
  column: number;
}

/** Offsets at which lines start, with TypeScript's line breaks (CRLF, CR, LF, LS, PS). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|[\r\n\u2028\u2029]/g)) starts.push(m.index + m[0].length);
  return starts;
}

/** What a cell ran as: enough to map its positions back. */
export interface CellMapInit {
  /** The `sourceURL` the cell ran under. */
  name: string;
  /** The cell as the user wrote it. */
  code: string;
  /** The cell as compiled: with the text the kernel inserted (shorthand properties). */
  compiled: string;
  /** Where that text was inserted. */
  insertions: readonly Insertion[];
  /** The compiled output's source maps. */
  maps: OutputMaps;
  /** Characters before the output on the script's first line (tslab's function wrapper). */
  wrapperPrefix: number;
  /** Lines of the converter's source before the cell (tslab's `export {};` prefix). */
  sourcePrefixLines: number;
  /** How many lines the output has: a frame below them is tslab's wrapper call. */
  outputLines: number;
}

/**
 * Maps positions in a cell's compiled script back to the cell.
 *
 * @example
 * const m = new CellMap({ name: "In[1]", code: 'throw new Error("x")', … });
 * m.position(2, 7); // { line: 1, column: 7 }
 */
export class CellMap {
  readonly name: string;
  readonly code: string;
  private readonly init: CellMapInit;
  private expandedStarts?: number[];
  private codeStarts?: number[];

  constructor(init: CellMapInit) {
    this.init = init;
    this.name = init.name;
    this.code = init.code;
  }

  /** Whether a 1-based script line is tslab's wrapper call after the output (no cell line). */
  isWrapperLine(line: number): boolean {
    return line > this.init.outputLines;
  }

  /**
   * The cell position of a 1-based script position (as stack frames print them), or undefined
   * when it is no position in the cell (tslab's prologue and `exports.x = x;` lines).
   */
  position(line: number, column: number): LineColumn | undefined {
    const { maps, wrapperPrefix, sourcePrefixLines, insertions } = this.init;
    const l0 = line - 1;
    const c0 = column - 1 - (l0 === 0 ? wrapperPrefix : 0);
    if (l0 < 0 || c0 < 0) return undefined;
    const esm = exactLine(maps.cjs, l0, c0);
    if (!esm) return undefined;
    const src = exactLine(maps.esm, esm.line, esm.column);
    if (!src) return undefined;
    const expandedLine = src.line - sourcePrefixLines;
    const expanded = this.init.compiled;
    const starts = (this.expandedStarts ??= lineStarts(expanded));
    if (expandedLine < 0 || expandedLine >= starts.length) return undefined;
    const lineEnd = expandedLine + 1 < starts.length ? starts[expandedLine + 1]! : expanded.length;
    const offset = Math.min(starts[expandedLine]! + src.column, lineEnd);
    const original = originalOffset(insertions, offset);
    const codeStarts = (this.codeStarts ??= lineStarts(this.code));
    let i = codeStarts.length - 1;
    while (i > 0 && codeStarts[i]! > original) i--;
    return { line: i + 1, column: original - codeStarts[i]! + 1 };
  }

  /** The text of the cell's 1-based line `line`, without its line break. */
  lineText(line: number): string {
    const starts = (this.codeStarts ??= lineStarts(this.code));
    const start = starts[line - 1] ?? this.code.length;
    return this.code.slice(start, starts[line] ?? this.code.length).replace(/(\r\n|[\r\n\u2028\u2029])$/, "");
  }
}

/**
 * The original position of a 0-based generated position in `map`: that of the mapping starting
 * at or before it on the same line (TypeScript maps every token, and V8 reports token starts;
 * an offset into a mapping is not carried over, as the generated text may differ from the
 * source there, e.g. `(0, fs_1.readFileSync)(` for `readFileSync(`).
 */
function exactLine(map: OutputMaps["cjs"], line: number, column: number): { line: number; column: number } | undefined {
  const e = map.findEntry(line, column) as Partial<{ generatedLine: number; generatedColumn: number; originalLine: number; originalColumn: number }>;
  if (e.generatedLine !== line || e.originalLine === undefined || e.originalColumn === undefined || e.generatedColumn === undefined) return undefined;
  return { line: e.originalLine, column: e.originalColumn };
}

/** `name:line:column` of a frame; the name may contain anything but whitespace, parentheses and ":". */
const LOCATION = /([^\s():]+):(\d+):(\d+)/g;
/**
 * Node's "arrow message" header on an error thrown synchronously while `vm` ran a script:
 * `file:line`, that file's source line, a caret (not always), a blank line. It shows compiled
 * JavaScript (of the cell, a cell's local module, or `JSON.parse`'s input). No whitespace before
 * `:line`: an undecorated stack's first line is `Name: message`.
 */
const NODE_HEADER = /^\S+:\d+\n[^\n]*\n(?:[ \t]*\^+[ \t]*\n)?\n/;

/**
 * A stack with positions in cells (frames of `cells`' scripts) rewritten to cell positions:
 * tslab's wrapper frames go, Node's header of the compiled line gives way to one with the cell's
 * line and a caret under the column of the first cell frame.
 *
 * @example
 * cellStack('evalmachine…', (n) => maps.get(n));
 * // "In[1]:1\nthrow new Error(\"x\")\n      ^\n\nError: x\n    at In[1]:1:7"
 */
export function cellStack(stack: string, cells: (name: string) => CellMap | undefined): string {
  const header = NODE_HEADER.exec(stack);
  const text = header ? stack.slice(header[0].length) : stack;
  let first: { cell: CellMap; at: LineColumn } | undefined;
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    let drop = false;
    const mapped = line.replace(LOCATION, (whole, name: string, l: string, c: string) => {
      const cell = cells(name);
      if (!cell) return whole;
      const at = cell.position(Number(l), Number(c));
      if (!at) {
        if (cell.isWrapperLine(Number(l)) && /^\s+at /.test(line)) drop = true;
        return whole;
      }
      first ??= { cell, at };
      return `${name}:${at.line}:${at.column}`;
    });
    // A function of an earlier cell is called as a property of tslab's exports proxy.
    if (!drop) lines.push(mapped !== line ? mapped.replace(/^(\s+at (?:async )?)Proxy\./, "$1") : mapped);
  }
  if (!first) return stack;
  const { cell, at } = first;
  const source = cell.lineText(at.line);
  const caret = source.slice(0, at.column - 1).replace(/[^\t]/g, " ") + "^";
  return [`${cell.name}:${at.line}`, source, caret, "", ...lines].join("\n");
}
