// Frame search: which names match the search box, and how much of the profile they cover. Pure.
import type { FlameTree } from "../../src/model/flame-tree.js";

/** A compiled search: a name test and how it was read. */
export interface Search {
  readonly text: string;
  readonly mode: "substring" | "regex";
  /** Case-insensitive when the text has no capital letter ("smart case", like ripgrep -S). */
  readonly ignoreCase: boolean;
  test(name: string): boolean;
}

/** The rule, as the search box's placeholder states it. */
export const SEARCH_PLACEHOLDER = "search: text, /regex/ (.* | [] also regex; lowercase = any case)";

const META = /[\\^$.|?*+()[\]{}]/;

/**
 * Compiles the search box text, or null when it is empty. The rule: text between slashes
 * (`/re/`, optionally `/re/i`) is a regular expression; other text is a substring, and when it
 * contains regex metacharacters and is a valid regex it also matches as one (so `to_.*string`
 * works, and a pasted name like `alloc::slice::<impl [T]>::to_vec` still finds itself). A search
 * without capital letters ignores case.
 *
 * @example
 * compileSearch("to_string")!.test("<T as alloc::string::ToString>::to_string"); // true
 * compileSearch("/^std::/")!.mode;                                             // "regex"
 * compileSearch("Vec<T>")!.test("alloc::vec::Vec<T>");                          // true (substring)
 */
export function compileSearch(text: string): Search | null {
  const t = text.trim();
  if (t === "") return null;
  const ignoreCase = !/\p{Lu}/u.test(t);
  const slashed = /^\/(.+)\/([a-z]*)$/s.exec(t);
  if (slashed) {
    let flags = slashed[2]!.replace(/[^imsu]/g, "");
    if (ignoreCase && !flags.includes("i")) flags += "i";
    const re = tryRegex(slashed[1]!, flags);
    if (re) return { text: t, mode: "regex", ignoreCase: re.flags.includes("i"), test: (s) => re.test(s) };
  }
  const needle = ignoreCase ? t.toLowerCase() : t;
  const sub = ignoreCase ? (s: string) => s.toLowerCase().includes(needle) : (s: string) => s.includes(needle);
  const re = META.test(t) ? tryRegex(t, ignoreCase ? "i" : "") : null;
  if (re) return { text: t, mode: "regex", ignoreCase, test: (s) => sub(s) || re.test(s) };
  return { text: t, mode: "substring", ignoreCase, test: sub };
}

/** A RegExp, or null when the source is invalid. */
function tryRegex(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

/**
 * Which strings of the tree's string table match, tested once per distinct name: 1 or 0 per string.
 *
 * @example
 * const m = matchingNames(tree, compileSearch("to_string")!);
 * m[tree.frames.name[tree.nodes.frame[44]]]; // 1
 */
export function matchingNames(tree: FlameTree, search: Search): Uint8Array {
  const out = new Uint8Array(tree.strings.length);
  const { name } = tree.frames;
  const tested = new Uint8Array(tree.strings.length);
  for (let f = 0; f < name.length; f++) {
    const s = name[f]!;
    if (s < 0 || tested[s]) continue;
    tested[s] = 1;
    out[s] = search.test(tree.strings[s]!) ? 1 : 0;
  }
  return out;
}

/**
 * Which nodes match (1) from the matching names; the root never does.
 *
 * @example
 * const hit = matchingNodes(tree, matchingNames(tree, compileSearch("alloc")!));
 */
export function matchingNodes(tree: FlameTree, names: Uint8Array): Uint8Array {
  const { frame } = tree.nodes;
  const out = new Uint8Array(frame.length);
  for (let i = 1; i < frame.length; i++) out[i] = names[tree.frames.name[frame[i]!]!]!;
  return out;
}

/**
 * The weight covered by matching nodes within the subtree of `root`, each sample counted once:
 * the totals of matching nodes that have no matching ancestor (below `root`). O(subtree).
 *
 * @example
 * const w = matchedWeight(tree.nodes.depth, tree.nodes.total, hit, 0);
 * w / tree.nodes.total[0]; // the share shown as "matched: 31.2%"
 */
export function matchedWeight(depth: Int32Array, total: Float64Array, hit: Uint8Array, root: number): number {
  let sum = 0;
  const d0 = depth[root]!;
  let inside = Infinity; // depth of the matching node we are inside of
  for (let i = root; i < depth.length; i++) {
    const d = depth[i]!;
    if (i > root && d <= d0) break;
    if (d <= inside) inside = Infinity;
    if (inside === Infinity && hit[i]) {
      sum += total[i]!;
      inside = d;
    }
  }
  return sum;
}
