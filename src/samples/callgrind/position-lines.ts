// Position lines of a callgrind file (`ob=`, `fl=`, `fi=`, `fe=`, `fn=`, `cob=`, `cfi=`, `cfl=`, `cfn=`, `jfi=`, `jfn=`): the current names, with name compression.
import { callgrindError } from "./messages.js";
import { NameTable, type ResolvedName } from "./names.js";

/**
 * The names in force in a callgrind body: the object, file and function the next cost lines
 * belong to, and the object, file and function the next `calls=` line calls (callgrind writes
 * `cob=`/`cfi=` only when they differ from the caller's object and the current file). Each
 * kind of name has its own compression table (`(id) name` defines an id, `(id)` refers to it).
 *
 * @example
 * const names = new PositionLines();
 * names.read("fl", "(1) main.c", "fl=(1) main.c", 5);
 * names.functionName("(2) main", "fn=(2) main", 6); // "main"
 * names.file; // "main.c"
 */
export class PositionLines {
  readonly files = new NameTable();
  readonly fns = new NameTable();
  readonly objs = new NameTable();
  /** The object of the next cost lines (`ob=`); "" before any. */
  ob = "";
  /** The source file of the next cost lines (`fl=`, or `fi=`/`fe=` inside a function); "???" before any. */
  file = "???";
  /** The file in force at the last `fn=` line: the function's own file. */
  fnFile = "???";
  /** The object of the next called function (`cob=`), null when it is the caller's. */
  cob: string | null = null;
  /** The file of the next called function (`cfi=`/`cfl=`), null when it is the current file. */
  cfile: string | null = null;
  /** The next called function (`cfn=`), null when there is none. */
  cfn: string | null = null;

  /** How many compressed ids were defined again with another name, over all three tables. */
  get redefined(): number {
    return this.files.redefined + this.fns.redefined + this.objs.redefined;
  }

  /**
   * Reads a position line other than `fn=` (and the association lines `calls=`, `jump=`,
   * `jcnd=`); false when `key` is not a position key.
   */
  read(key: string, value: string, text: string, no: number): boolean {
    switch (key) {
      case "ob":
        this.ob = this.name(this.objs, value, "object", text, no);
        return true;
      case "fl":
      case "fi":
      case "fe":
        this.file = this.name(this.files, value, "file", text, no);
        return true;
      case "cob":
        this.cob = this.name(this.objs, value, "object", text, no);
        return true;
      case "cfi":
      case "cfl":
        this.cfile = this.name(this.files, value, "file", text, no);
        return true;
      case "cfn": {
        const name = this.name(this.fns, value, "function", text, no);
        if (name === "") throw callgrindError(no, "a function name after 'cfn='", text);
        this.cfn = name;
        return true;
      }
      case "jfi":
        this.name(this.files, value, "file", text, no);
        return true;
      case "jfn":
        this.name(this.fns, value, "function", text, no);
        return true;
      case "bb":
      case "ln":
      case "rec":
      case "frfn":
        // basic-block and line lines of --dump-bbs=yes, recursion and caller lines of
        // --mangle-names=no: callgrind writes them, callgrind_annotate skips them, so do we
        return true;
      default:
        return false;
    }
  }

  /** The function an `fn=` line names (its value is `value`); not empty. */
  functionName(value: string, text: string, no: number): string {
    const name = this.name(this.fns, value, "function", text, no);
    if (name === "") throw callgrindError(no, "a function name after 'fn='", text);
    return name;
  }

  /** After an `fn=` line: the current file is the function's own, and no call is pending. */
  enterFunction(): void {
    this.fnFile = this.file;
    this.endCall();
  }

  /** After a call (or a new function): the next call names its callee again. */
  endCall(): void {
    this.cob = this.cfile = this.cfn = null;
  }

  /** The (object, file, name) of the function the next `calls=` line calls; null without a `cfn=`. */
  callee(): { object: string; file: string; name: string } | null {
    if (this.cfn === null) return null;
    return { object: this.cob ?? this.ob, file: this.cfile ?? this.file, name: this.cfn };
  }

  private name(table: NameTable, value: string, kind: string, text: string, no: number): string {
    const r: ResolvedName = table.resolve(value);
    if ("undefinedId" in r) {
      throw callgrindError(no, `a ${kind} name, or the id of one defined earlier as '(${r.undefinedId}) name' (no ${kind} has id ${r.undefinedId} before this line)`, text);
    }
    return r.name;
  }
}
