import type { JsonPath } from "./json-input.js";

// Positions in JSON text: where a value at a JSON path starts, line/column of an offset, and the
// first syntax error. Both scanners are iterative (no recursion), so deeply nested input cannot overflow
// the stack, and linear in the text.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(t: string, i: number): number {
  while (i < t.length && WS.has(t.charCodeAt(i))) i++;
  return i;
}

/** End of the string literal starting at `i` (a '"'), or -1 when it is not closed. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x5c) j++;
  }
  return -1;
}

/** End of the (valid) JSON value starting at `i`. */
function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 0x22) return stringEnd(t, i);
  if (c !== 0x7b && c !== 0x5b) {
    let j = i;
    while (j < t.length && !WS.has(t.charCodeAt(j)) && !",]}".includes(t[j]!)) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    const d = t.charCodeAt(j);
    if (d === 0x22) j = stringEnd(t, j) - 1;
    else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
  }
  return t.length;
}

/**
 * The offset of the value at `path` in valid JSON text; where the path leaves the document (a
 * missing key, an index past the end), the offset of the deepest value that exists.
 *
 * @example
 * locate('{"a": [1, 22]}', ["a", 1]); // 10
 */
export function locate(t: string, path: JsonPath): number {
  let at = skipWs(t, 0);
  for (const seg of path) {
    const c = t.charCodeAt(at);
    if (typeof seg === "number" && c === 0x5b) {
      let i = skipWs(t, at + 1);
      if (t.charCodeAt(i) === 0x5d) return at;
      for (let k = 0; k < seg; k++) {
        i = skipWs(t, valueEnd(t, i));
        if (t.charCodeAt(i) !== 0x2c) return at;
        i = skipWs(t, i + 1);
      }
      at = i;
    } else if (typeof seg === "string" && c === 0x7b) {
      // JSON.parse keeps the last of duplicate keys, so the last match wins here too
      let i = skipWs(t, at + 1);
      let found = -1;
      while (t.charCodeAt(i) === 0x22) {
        const end = stringEnd(t, i);
        if (end < 0) break;
        const key = t.slice(i, end);
        i = skipWs(t, skipWs(t, end) + 1); // past ':'
        if ((key.includes("\\") ? (JSON.parse(key) as string) : key.slice(1, -1)) === seg) found = i;
        i = skipWs(t, valueEnd(t, i));
        if (t.charCodeAt(i) !== 0x2c) break;
        i = skipWs(t, i + 1);
      }
      if (found < 0) return at;
      at = found;
    } else return at;
  }
  return at;
}

/**
 * The 1-based line of an offset.
 *
 * @example
 * lineAt("a\nb", 2); // 2
 */
export function lineAt(t: string, offset: number): number {
  let line = 1;
  for (let i = t.indexOf("\n"); i !== -1 && i < offset; i = t.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * The 1-based line and column of an offset.
 *
 * @example
 * lineColumn("a\nbc", 3); // { line: 2, column: 2 }
 */
export function lineColumn(t: string, offset: number): { line: number; column: number } {
  const line = lineAt(t, offset);
  return { line, column: offset - (t.lastIndexOf("\n", offset - 1) + 1) + 1 };
}

type Want = "value" | "value-or-end" | "key" | "key-or-end" | "colon" | "comma-or-end" | "eof";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The first syntax error in `t`, as the offset and what was expected there; null when `t` is
 * valid JSON. Used only after JSON.parse failed, because V8's messages do not always say where.
 *
 * @example
 * syntaxError('{"a": }'); // { at: 6, expected: "a JSON value" }
 */
export function syntaxError(t: string): { at: number; expected: string } | null {
  const stack: number[] = []; // 0x7b for an object, 0x5b for an array
  let want: Want = "value";
  let i = 0;
  const afterValue = (): Want => (stack.length > 0 ? "comma-or-end" : "eof");
  for (;;) {
    i = skipWs(t, i);
    if (i >= t.length) {
      if (want === "eof") return null;
      return { at: i, expected: `${describeWant(want, stack.at(-1))} (the input ends early: is the file truncated?)` };
    }
    const c = t.charCodeAt(i);
    switch (want) {
      case "eof":
        return { at: i, expected: "the end of the document after the top-level value" };
      case "colon":
        if (c !== 0x3a) return { at: i, expected: "':' after a property name" };
        i++;
        want = "value";
        break;
      case "comma-or-end": {
        const top = stack.at(-1)!;
        if (c === 0x2c) {
          i++;
          want = top === 0x7b ? "key" : "value";
        } else if ((top === 0x7b && c === 0x7d) || (top === 0x5b && c === 0x5d)) {
          stack.pop();
          i++;
          want = afterValue();
        } else return { at: i, expected: describeWant(want, top) };
        break;
      }
      case "key":
      case "key-or-end":
        if (c === 0x7d && want === "key-or-end") {
          stack.pop();
          i++;
          want = afterValue();
        } else if (c === 0x22) {
          const bad = badString(t, i);
          if (typeof bad !== "number") return bad;
          i = bad;
          want = "colon";
        } else return { at: i, expected: describeWant(want, 0x7b) };
        break;
      case "value":
      case "value-or-end":
        if (c === 0x5d && want === "value-or-end") {
          stack.pop();
          i++;
          want = afterValue();
        } else if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          i++;
          want = c === 0x7b ? "key-or-end" : "value-or-end";
        } else if (c === 0x22) {
          const bad = badString(t, i);
          if (typeof bad !== "number") return bad;
          i = bad;
          want = afterValue();
        } else {
          NUMBER.lastIndex = i;
          const lit = t.startsWith("true", i) ? 4 : t.startsWith("false", i) ? 5 : t.startsWith("null", i) ? 4 : 0;
          if (lit > 0) i += lit;
          else if (NUMBER.test(t)) i = NUMBER.lastIndex;
          else return { at: i, expected: describeWant(want, stack.at(-1)) };
          want = afterValue();
        }
        break;
    }
  }
}

/** The end of a valid string literal at `i`, or the error in it. */
function badString(t: string, i: number): number | { at: number; expected: string } {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { at: j, expected: "a string without raw control characters (use \\n, \\t, …)" };
    if (c === 0x5c) {
      const e = t[j + 1];
      if (e === "u") {
        if (!HEX4.test(t.slice(j + 2, j + 6))) return { at: j, expected: "a \\u escape with four hex digits" };
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else return { at: j, expected: "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" };
    }
  }
  return { at: t.length, expected: "a closing '\"' (the input ends inside a string: is the file truncated?)" };
}

function describeWant(want: Want, top: number | undefined): string {
  switch (want) {
    case "value":
      return "a JSON value";
    case "value-or-end":
      return "a JSON value or ']'";
    case "key":
      return "a property name in double quotes";
    case "key-or-end":
      return "a property name in double quotes or '}'";
    case "colon":
      return "':'";
    case "comma-or-end":
      return top === 0x7b ? "',' or '}' after a property value" : "',' or ']' after an array element";
    case "eof":
      return "the end of the document";
  }
}
