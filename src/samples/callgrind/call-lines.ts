// Association lines of a callgrind file: `calls=<count> <target>` and `jump=`/`jcnd=` (read and checked, not kept).
import { callgrindError } from "./messages.js";
import { readNumber, readTargetPosition } from "./numbers.js";

/**
 * Reads the value of a `calls=` line, `<count> <target position>`: returns the count. `pos`
 * is the current position (the target may be relative to it); it is not changed. The target
 * is not used, so any number of subpositions is accepted (callgrind_annotate ignores it too).
 *
 * @example
 * readCallsLine("2 0x500 10", "calls=2 0x500 10", 9, new Float64Array(2)); // 2
 */
export function readCallsLine(value: string, text: string, no: number, pos: Float64Array): number {
  const m = /^[ \t]*(\S+)(.*)$/s.exec(value);
  const count = m ? readNumber(m[1]!, 0, m[1]!.length) : NaN;
  if (Number.isNaN(count)) throw callgrindError(no, "'calls=<count> <target position>' with a whole-number count", text);
  const bad = readTargetPosition(m![2]!, pos);
  if (bad !== null) throw callgrindError(no, `'calls=<count> <target position>': ${bad}`, text);
  return count;
}

/**
 * Checks the value of a `jump=<count> <target>` or `jcnd=<taken>/<executed> <target>` line
 * (`key` is "jump" or "jcnd"); jumps are not part of the profile. Callgrind writes `jcnd=`
 * counts as `<taken>/<executed>` (valgrind's dump.c); the manual's grammar has
 * `<taken> <executed>`; both are read.
 *
 * @example
 * checkJumpLine("jcnd", "5/5 +19 +2 ", "jcnd=5/5 +19 +2 ", 12, new Float64Array(2)); // no error
 * checkJumpLine("jcnd", "2 5 -1", "jcnd=2 5 -1", 12, new Float64Array(1));           // no error
 */
export function checkJumpLine(key: string, value: string, text: string, no: number, pos: Float64Array): void {
  const tokens = value.trim().split(/[ \t]+/).filter((t) => t !== "");
  const isCount = (t: string | undefined) => t !== undefined && !Number.isNaN(readNumber(t, 0, t.length));
  let counts = 1;
  let ok = isCount(tokens[0]);
  if (key === "jcnd") {
    const slash = tokens[0]?.indexOf("/") ?? -1;
    if (slash >= 0) ok = isCount(tokens[0]!.slice(0, slash)) && isCount(tokens[0]!.slice(slash + 1));
    else {
      counts = 2;
      ok = ok && isCount(tokens[1]);
    }
  }
  if (!ok || readTargetPosition(tokens.slice(counts).join(" "), pos) !== null) {
    throw callgrindError(no, key === "jcnd" ? "'jcnd=<taken>/<executed> <target position>'" : "'jump=<count> <target position>'", text);
  }
}
