/**
 * Works around a tslab converter bug: identifiers that refer to an earlier cell's variables are
 * rewritten to `exports.name`, but not when they are shorthand properties, so `{ frequency }`
 * after `const frequency = 997;` in an earlier cell throws "frequency is not defined". Expanding
 * every shorthand property to `name: name` first is always equivalent (also in destructuring
 * assignments, `({ a } = o)` is `({ a: a } = o)`), and the converter then rewrites the value.
 */
import type * as TS from "typescript";
// The TypeScript tslab compiles cells with, so the parse matches what the converter sees.
import { tslabTypeScript as typescript } from "../src/notebook/tslab-typescript.js";

/** Text inserted into a cell's source: `length` characters at offset `at` of the original. */
export interface Insertion {
  at: number;
  length: number;
}

/**
 * The cell's source with each shorthand property `{ a }` written out as `{ a: a }`.
 * Sources without one are returned unchanged (the same string).
 *
 * @example
 * expandShorthandProperties("const o = { frequency, runs: 3 };"); // "const o = { frequency: frequency, runs: 3 };"
 */
export function expandShorthandProperties(source: string): string {
  return expandShorthandPropertiesMapped(source).text;
}

/**
 * {@link expandShorthandProperties}, with where text was inserted (ascending), so that positions
 * in the expanded text can be mapped back to the cell (see {@link originalOffset}).
 *
 * @example
 * expandShorthandPropertiesMapped("({ a })"); // { text: "({ a: a })", insertions: [{ at: 4, length: 3 }] }
 */
export function expandShorthandPropertiesMapped(source: string): { text: string; insertions: Insertion[] } {
  if (!source.includes("{")) return { text: source, insertions: [] };
  const t = typescript();
  const file = t.createSourceFile("cell.ts", source, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
  const inserts: { at: number; text: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (t.isShorthandPropertyAssignment(node)) inserts.push({ at: node.name.end, text: `: ${node.name.text}` });
    t.forEachChild(node, visit);
  };
  visit(file);
  if (inserts.length === 0) return { text: source, insertions: [] };
  let out = source;
  for (const { at, text } of [...inserts].sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return { text: out, insertions: inserts.sort((a, b) => a.at - b.at).map(({ at, text }) => ({ at, length: text.length })) };
}

/**
 * The offset in the original source of offset `expanded` in the text with `insertions`;
 * a position inside inserted text maps to where it was inserted.
 *
 * @example
 * originalOffset([{ at: 4, length: 3 }], 8); // 5: the "}" of "({ a })" (8 in "({ a: a })")
 */
export function originalOffset(insertions: readonly Insertion[], expanded: number): number {
  let shift = 0;
  for (const { at, length } of insertions) {
    if (expanded < at + shift) break;
    if (expanded < at + shift + length) return at;
    shift += length;
  }
  return expanded - shift;
}
