// Format: the call trees of V8 CPU profiles in both forms. The current one (Chrome DevTools
// Protocol Profiler.Profile, Node ≥ 8's inspector and `node --cpu-prof`, Chrome ≥ 60): a flat
// `nodes` array of {id, callFrame {functionName, scriptId, url, lineNumber, columnNumber} (0-based),
// hitCount, children [ids] | parent}. The legacy one (V8's C++ CpuProfile API as written by
// v8-profiler for Node ≤ 10, Chrome ≤ 59's saved .cpuprofile): a nested `head` tree of
// {functionName, scriptId, url, lineNumber, columnNumber (1-based), hitCount, callUID,
// bailoutReason | deoptReason, id, children [nodes]} — Chrome DevTools' CPUProfileDataModel
// (compatibilityConversionHeadToNodes) and speedscope's v8cpuFormatter read it the same way.
// Helper of ./cpuprofile.ts.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import { cleanRustName } from "../../model/rust-names.js";
import { asJsonObject, formatPath, get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/** The nodes of a profile's tree: their stacks by id, and each node with its path (for hitCounts). */
export interface V8Nodes {
  /** The flamebook stack of each node id. */
  stackOf: Map<number, number>;
  /** Every node, parents before children. */
  list: readonly { node: JsonObject; stack: number; path(): JsonPath }[];
}

/**
 * The nodes of the current form, `nodes` [{id, callFrame, children | parent}]: parents come from
 * `children` (or a node's `parent`), each node has at most one, and every node must be reachable
 * from a root; a node that is its own ancestor is a FormatError. Iterative, so deep trees
 * cannot overflow the call stack.
 *
 * @example
 * const { stackOf } = flatNodes(doc, root, b, false); // stackOf.get(sampleId)
 */
export function flatNodes(doc: JsonDoc, root: JsonObject, b: ProfileBuilder, clean: boolean): V8Nodes {
  const nodes = doc.array(get(root, "nodes"), ["nodes"], "an array of nodes");
  const index = new Map<number, number>();
  const objs: JsonObject[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const node = doc.object(nodes[k], ["nodes", k]);
    const id = get(node, "id");
    if (typeof id !== "number" || !Number.isSafeInteger(id)) doc.fail(["nodes", k, "id"], "an integer node id", id);
    if (index.has(id)) doc.fail(["nodes", k, "id"], `an id no other node has (nodes[${index.get(id)}] has ${id})`, id);
    index.set(id, k);
    objs.push(node);
  }
  const parent = new Int32Array(nodes.length).fill(-1);
  const setParent = (child: number, p: number, at: JsonPath, got: unknown): void => {
    if (child === p) doc.fail(at, "another node's id (a node cannot be its own child)", got);
    if (parent[child]! >= 0 && parent[child] !== p) doc.fail(at, `a node that no other node lists as its child (nodes[${parent[child]}] already does)`, got);
    parent[child] = p;
  };
  for (let k = 0; k < objs.length; k++) {
    const node = objs[k]!;
    const children = get(node, "children");
    if (children !== undefined) {
      const list = doc.array(children, ["nodes", k, "children"]);
      for (let j = 0; j < list.length; j++) {
        const c = list[j];
        const child = typeof c === "number" ? index.get(c) : undefined;
        if (child === undefined) doc.fail(["nodes", k, "children", j], "the id of a node in nodes", c);
        setParent(child, k, ["nodes", k, "children", j], c);
      }
    }
    const p = get(node, "parent");
    if (p !== undefined) {
      const at = index.get(p as number);
      if (typeof p !== "number" || at === undefined) doc.fail(["nodes", k, "parent"], "the id of a node in nodes", p);
      setParent(k, at, ["nodes", k, "parent"], p);
    }
  }
  // children lists, then breadth first from the roots: parents get their stacks first
  const kids: number[][] = objs.map(() => []);
  for (let k = 0; k < objs.length; k++) if (parent[k]! >= 0) kids[parent[k]!]!.push(k);
  const stack = new Int32Array(objs.length).fill(-2);
  const queue: number[] = [];
  for (let k = 0; k < objs.length; k++) if (parent[k] === -1) queue.push(k);
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q]!;
    const up = parent[k]! >= 0 ? stack[parent[k]!]! : -1;
    const at = ["nodes", k, "callFrame"];
    const frame = callFrame(doc, doc.object(get(objs[k]!, "callFrame"), at), at, b, clean, 0);
    stack[k] = frame === null ? up : b.stack(up, frame);
    for (const c of kids[k]!) queue.push(c);
  }
  if (queue.length < objs.length) {
    const k = stack.findIndex((s) => s === -2);
    doc.fail(["nodes", parent[k]!, "children"], "children that are not ancestors of this node (the node tree has a cycle)", get(objs[parent[k]!]!, "children"));
  }
  const stackOf = new Map<number, number>();
  for (const [id, k] of index) stackOf.set(id, stack[k]!);
  return { stackOf, list: objs.map((node, k) => ({ node, stack: stack[k]!, path: () => ["nodes", k] })) };
}

/**
 * The nodes of the legacy form, a nested `head` tree whose nodes carry their call frame's fields
 * themselves, with 1-based lines. Walked iteratively, and each node's JSON path is rebuilt only
 * for an error, so a tree 100k levels deep costs linear time and memory.
 *
 * @example
 * const { stackOf } = treeNodes(doc, doc.object(root.head, ["head"]), b, false);
 */
export function treeNodes(doc: JsonDoc, head: JsonObject, b: ProfileBuilder, clean: boolean): V8Nodes {
  const nodes: JsonObject[] = [head];
  const parent: number[] = [-1];
  const slot: number[] = [-1]; // index in the parent's children
  const pathOf = (k: number): JsonPath => {
    const up: (string | number)[] = [];
    for (let i = k; parent[i]! >= 0; i = parent[i]!) up.push(slot[i]!, "children");
    return ["head", ...up.reverse()];
  };
  const stack: number[] = [];
  const ids = new Map<number, number>();
  const stackOf = new Map<number, number>();
  const list: V8Nodes["list"][number][] = [];
  // depth first, parents before children; `todo` holds node indices still to visit
  const todo = [0];
  while (todo.length > 0) {
    const k = todo.pop()!;
    const node = nodes[k]!;
    const path = (): JsonPath => pathOf(k);
    const id = get(node, "id");
    if (id !== undefined) {
      if (typeof id !== "number" || !Number.isSafeInteger(id)) doc.fail([...path(), "id"], "an integer node id", id);
      const other = ids.get(id);
      if (other !== undefined) doc.fail([...path(), "id"], `an id no other node has (${formatPath(pathOf(other))} has ${id})`, id);
      ids.set(id, k);
    }
    const up = parent[k]! >= 0 ? stack[parent[k]!]! : -1;
    const frame = callFrame(doc, node, path, b, clean, 1);
    stack[k] = frame === null ? up : b.stack(up, frame);
    if (typeof id === "number") stackOf.set(id, stack[k]!);
    list.push({ node, stack: stack[k]!, path });
    const kids = get(node, "children");
    if (kids === undefined) continue;
    // (paths are built only for an error: building one per node would be quadratic in the depth)
    if (!Array.isArray(kids)) doc.fail([...path(), "children"], "an array", kids);
    for (let j = kids.length - 1; j >= 0; j--) {
      const c = nodes.length;
      const child = asJsonObject(kids[j]) ?? doc.fail([...path(), "children", j], "a node object (the legacy head tree nests its children)", kids[j]);
      nodes.push(child);
      parent.push(k);
      slot.push(j);
      todo.push(c);
    }
  }
  return { stackOf, list };
}

/**
 * The frame of a call frame's fields, or null for V8's synthetic "(root)" at the top of the
 * tree. `lineBase` is 0 for the protocol's callFrame, 1 for the legacy tree's own fields.
 */
function callFrame(doc: JsonDoc, cf: JsonObject, at: JsonPath | (() => JsonPath), b: ProfileBuilder, clean: boolean, lineBase: 0 | 1): number | null {
  const path = (key: string): JsonPath => [...(typeof at === "function" ? at() : at), key];
  const str = (key: string): string => {
    const v = get(cf, key);
    return typeof v === "string" ? v : doc.string(v, path(key), "");
  };
  const num = (key: string): number => {
    const v = get(cf, key);
    return typeof v === "number" && Number.isFinite(v) ? v : doc.number(v, path(key), -1);
  };
  const fn = str("functionName");
  const url = str("url");
  const line = num("lineNumber") + (1 - lineBase);
  num("columnNumber");
  if (fn === "(root)" && url === "") return null;
  const name = fn === "" ? "(anonymous)" : clean ? cleanRustName(fn) : fn;
  return b.frame(name, url, { file: url || null, line: line >= 1 ? line : null, kind: "unknown" });
}
