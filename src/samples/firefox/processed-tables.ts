// Format: the call-stack tables of a Firefox Profiler processed profile, in every version from 0
// to 70 (firefox-devtools/profiler src/types/profile.ts; the upgraders in
// src/profile-logic/processed-profile-versioning.ts): stackTable {frame, prefix | prefixOffset
// (v66+)}, frameTable {func, inlineDepth (v40+), line, lib (v70+)}, funcTable {name, isJS,
// resource, fileName (v4–57) | source (v58+), lineNumber}, resourceTable {name, lib (before v70)}.
// They sit in each thread before version 60 and in profile.shared from 60 on; which columns a
// file has is read from the file, the version only words the errors. Helper of ./processed.ts.
import type { FirefoxOutput } from "./output.js";
import { StackResolver } from "./stacks.js";
import { PROCESSED, tableHome } from "./versions.js";
import { formatPath, get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/** A list and where it is in the document. */
export interface Located {
  values: readonly unknown[];
  path: JsonPath;
}

/** What the tables refer to outside themselves. */
export interface TableContext {
  doc: JsonDoc;
  out: FirefoxOutput;
  version: number;
  /** The string array (shared, or the thread's). */
  strings: Located;
  /** profile.libs (v41+) or the thread's libs; may be empty. */
  libs: Located;
  /** profile.shared.sources.filename (v58+). */
  sources: Located | undefined;
}

/** What flamebook keeps of a func. */
interface Func {
  name: string;
  module: string;
  file: string | null;
  line: number | null;
  js: boolean;
}

/** A JS func name before version 4: "name (url:line)" or "url:line" (the v4 upgrader's patterns). */
const OLD_JS_NAME = [/^(.*) \((.*):([0-9]+)\)$/, /^()(.*):([0-9]+)$/];
/** A JS fileName before version 18 that holds "url:line" (then lineNumber holds the column). */
const FILE_WITH_LINE = /^(.*):([0-9]+)$/;

/**
 * The stack, frame, func and resource tables of one holder (profile.shared, or one thread):
 * `resolve(row)` gives the flamebook stack of a stack-table row, reading each row, frame and
 * func once, lazily. One instance serves every thread when the tables are shared.
 *
 * @example
 * const tables = new ProcessedTables(ctx, shared, ["shared"]);
 * out.b.sample(tables.resolve(doc.index(s, at, tables.rows, tables.name)), tid, event, time, 1);
 */
export class ProcessedTables {
  /** Rows of the stack table. */
  readonly rows: number;
  /** The stack table's path, for errors ("shared.stackTable", "threads[0].stackTable"). */
  readonly name: string;
  private readonly stacks: StackResolver;

  constructor(ctx: TableContext, holder: JsonObject, at: JsonPath) {
    const { doc, out, version } = ctx;
    const table = (key: string): { t: JsonObject; at: JsonPath } => {
      const path = [...at, key];
      return { t: doc.object(get(holder, key), path, tableHome(key, version)), at: path };
    };
    const col = (tb: { t: JsonObject; at: JsonPath }, key: string, required: string | false): readonly unknown[] | undefined => {
      const v = get(tb.t, key);
      if (v === undefined && required === false) return undefined;
      return doc.array(v, [...tb.at, key], required === false ? "an array" : `an array (${required})`);
    };
    const st = table("stackTable");
    const ft = table("frameTable");
    const fn = table("funcTable");
    const rs = get(holder, "resourceTable") === undefined ? undefined : table("resourceTable");
    this.name = formatPath(st.at);

    const stFrame = col(st, "frame", "a required column")!;
    this.rows = stFrame.length;
    const stPrefix = col(st, "prefix", false);
    const stOffset = stPrefix === undefined ? col(st, "prefixOffset", false) : undefined;
    if (stPrefix === undefined && stOffset === undefined) {
      const [key, why] = version >= PROCESSED.prefixOffset ? ["prefixOffset", `a required column since version ${PROCESSED.prefixOffset}, which replaced prefix`] : ["prefix", `a required column before version ${PROCESSED.prefixOffset}, which replaced it with prefixOffset`];
      doc.fail([...st.at, key], `an array (${why}; processed profile version ${version})`, undefined);
    }
    const ftFunc = col(ft, "func", "a required column")!;
    const ftInline = col(ft, "inlineDepth", false);
    const ftLine = col(ft, "line", false);
    const ftLib = col(ft, "lib", false);
    const fnName = col(fn, "name", "a required column")!;
    const fnResource = col(fn, "resource", false);
    const fnFile = col(fn, "fileName", false);
    const fnSource = col(fn, "source", false);
    const fnLine = col(fn, "lineNumber", false);
    const fnIsJS = col(fn, "isJS", false);
    const rsLib = rs && col(rs, "lib", false);
    const rsName = rs && col(rs, "name", false);
    const rsCount = Math.max(rsLib?.length ?? 0, rsName?.length ?? 0);
    const rsPath = rs?.at ?? [...at, "resourceTable"];

    const strs = ctx.strings;
    const str = (v: unknown, path: JsonPath): string => {
      const i = doc.index(v, path, strs.values.length, formatPath(strs.path));
      const s = strs.values[i];
      return typeof s === "string" ? s : doc.fail([...strs.path, i], "a string", s);
    };
    const optStr = (v: unknown, path: JsonPath): string | null => (v === null || v === undefined ? null : str(v, path));
    const libPath = (v: unknown, path: JsonPath): string => {
      const l = doc.index(v, path, ctx.libs.values.length, formatPath(ctx.libs.path));
      const lib = doc.object(ctx.libs.values[l], [...ctx.libs.path, l]);
      // before v2 a lib's `name` is its path (and pdbName its debug name)
      return doc.string(get(lib, "path"), [...ctx.libs.path, l, "path"], "") || doc.string(get(lib, "name"), [...ctx.libs.path, l, "name"], "");
    };
    const noLib = (v: unknown): boolean => v === undefined || v === null || v === -1;

    /** A func's resource: its lib's path (before v70), else the resource's name (a JS URL, a lib name). */
    const moduleOf = (func: number): string => {
      const r = fnResource?.[func];
      if (noLib(r)) return "";
      const res = doc.index(r, [...fn.at, "resource", func], rsCount, formatPath(rsPath));
      const lib = rsLib?.[res];
      if (!noLib(lib)) return libPath(lib, [...rsPath, "lib", res]);
      return rsName === undefined ? "" : (optStr(rsName[res], [...rsPath, "name", res]) ?? "");
    };
    const sourceFile = (src: unknown, func: number): string | null => {
      if (ctx.sources === undefined) return doc.fail(["shared", "sources"], `the source table (funcTable.source refers to it; processed profile version ${version})`, undefined);
      const { values, path } = ctx.sources;
      const s = doc.index(src, [...fn.at, "source", func], values.length, "shared.sources");
      return optStr(values[s], [...path, s]);
    };
    const funcs: (Func | undefined)[] = [];
    const funcOf = (func: number): Func => {
      const known = funcs[func];
      if (known) return known;
      let name = str(fnName[func], [...fn.at, "name", func]);
      const js = fnIsJS?.[func] === true;
      let file: string | null = null;
      let line = doc.lineNumber(fnLine?.[func], [...fn.at, "lineNumber", func]);
      const src = fnSource?.[func];
      if (src !== undefined && src !== null) file = sourceFile(src, func);
      else if (fnFile !== undefined) {
        file = optStr(fnFile[func], [...fn.at, "fileName", func]);
        const m = js && version < PROCESSED.fileNameFixed && file !== null ? FILE_WITH_LINE.exec(file) : null;
        if (m) [file, line] = [m[1]!, Number(m[2])];
      } else if (js && fnSource === undefined && version < PROCESSED.funcFileName) {
        const m = OLD_JS_NAME[0]!.exec(name) ?? OLD_JS_NAME[1]!.exec(name);
        if (m) {
          file = m[2]!.split(" -> ").pop()!;
          name = m[1] || file;
          line = Number(m[3]);
        }
      }
      return (funcs[func] = { name: out.name(name), module: moduleOf(func), file, line, js });
    };

    const frameIds = new Int32Array(ftFunc.length).fill(-1);
    const frameOf = (row: number): number => {
      const f = doc.index(stFrame[row], [...st.at, "frame", row], ftFunc.length, formatPath(ft.at));
      if (frameIds[f]! >= 0) return frameIds[f]!;
      const func = funcOf(doc.index(ftFunc[f], [...ft.at, "func", f], fnName.length, formatPath(fn.at)));
      const depth = doc.lineNumber(ftInline?.[f], [...ft.at, "inlineDepth", f]) ?? 0;
      const line = doc.lineNumber(ftLine?.[f], [...ft.at, "line", f]) ?? func.line;
      const lib = ftLib?.[f];
      const module = noLib(lib) ? func.module : libPath(lib, [...ft.at, "lib", f]);
      const id = out.b.frame(func.name, module, { inlined: depth > 0, file: func.file, line, kind: func.js ? "unknown" : undefined });
      frameIds[f] = id;
      return id;
    };
    const prefixOf = (row: number): number => {
      if (stPrefix !== undefined) {
        const p = stPrefix[row];
        return p === null ? -1 : doc.index(p, [...st.at, "prefix", row], stFrame.length, `${this.name} or null`);
      }
      const k = stOffset![row];
      if (k === 0) return -1;
      if (typeof k === "number" && Number.isInteger(k) && k > 0 && k <= row) return row - k;
      return doc.fail([...st.at, "prefixOffset", row], `0 (a root) or how many rows back the prefix is (1 to ${row})`, k);
    };
    this.stacks = new StackResolver(stFrame.length, prefixOf, frameOf, out.b, (row) =>
      doc.fail([...st.at, "prefix", row], "a prefix chain that ends in a root (null); this one comes back to itself", stPrefix?.[row]),
    );
  }

  /** The flamebook stack of a stack-table row (an index already checked to be below `rows`). */
  resolve(row: number): number {
    return this.stacks.resolve(row);
  }
}
