// Format: name compression of valgrind's "Callgrind Format Specification" (valgrind manual):
// `PositionName := ( "(" Number ")" )? (Space* NoNewLineChar*)?`. `(id) name` defines an id,
// a bare `(id)` refers to it; file names (fl, fi, fe, cfi, cfl, jfi), function names (fn, cfn,
// jfn) and object names (ob, cob) each have their own ids.

const COMPRESSED = /^\((\d{1,15})\)[ \t]*(.*)$/s;

/** The result of {@link NameTable.resolve}: the name, or why it could not be resolved. */
export type ResolvedName = { name: string } | { undefinedId: number };

/**
 * One namespace of compressed callgrind names.
 *
 * @example
 * const fns = new NameTable();
 * fns.resolve("(3) main");  // { name: "main" }  (defines id 3)
 * fns.resolve("(3)");       // { name: "main" }
 * fns.resolve("(4)");       // { undefinedId: 4 }
 * fns.resolve("free");      // { name: "free" }  (not compressed)
 */
export class NameTable {
  private readonly byId = new Map<number, string>();
  /** How many ids were defined again with a different name (callgrind never does that). */
  redefined = 0;

  /** Resolves the text after `fn=` (or `fl=`, `ob=`…), defining an id when it has a name. */
  resolve(spec: string): ResolvedName {
    const m = spec.charCodeAt(0) === 40 ? COMPRESSED.exec(spec) : null;
    if (m === null) return { name: spec.replace(/^[ \t]+/, "") };
    const id = Number(m[1]);
    const name = m[2]!;
    if (name === "") {
      const known = this.byId.get(id);
      return known === undefined ? { undefinedId: id } : { name: known };
    }
    const old = this.byId.get(id);
    if (old !== undefined && old !== name) this.redefined++;
    this.byId.set(id, name);
    return { name };
  }
}
