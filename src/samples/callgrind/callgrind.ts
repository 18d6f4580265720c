// Format: callgrind profile data, as specified by the "Callgrind Format Specification" in the
// valgrind manual (https://valgrind.org/docs/manual/cl-format.html), format versions 0 and 1, as
// written by `valgrind --tool=callgrind` 3.x (3.19 checked, with --dump-instr, --dump-line,
// --dump-bb, --dump-bbs, --collect-jumps, --cache-sim, --branch-sim, --compress-strings=no,
// --compress-pos=no, --separate-threads, --combine-dumps, --toggle-collect) and as read by
// callgrind_annotate: header lines (`version:`, `creator:`, `pid:`, `thread:`, `part:`, `cmd:`,
// `desc:`, `event:`, `positions:` with instr/addr, bb and line columns, `events:`, `summary:`,
// `totals:`; unknown ones are skipped with a warning), position lines (`ob=`, `fl=`, `fi=`,
// `fe=`, `fn=`, `cob=`, `cfi=`/`cfl=`, `cfn=`, `jfi=`, `jfn=`) with name compression (`(id)
// name`, `(id)`), cost lines `subpositions costs…` with subposition compression (`+N`, `-N`,
// `*`, `0x…`; missing costs are 0), and `calls=<count> <target>` lines followed by the cost line
// of those calls (their inclusive cost). `jump=`/`jcnd=` (`<taken>/<executed>` as callgrind
// writes it, or two numbers as the manual has it), `bb=`, `ln=`, `rec=` and `frfn=` lines are
// read and not kept; other `key=` lines are skipped with a warning, as callgrind_annotate does.
import type { Profile } from "../../model/profile.js";
import type { LineImporter, LineParser } from "../importer.js";
import { FORMAT } from "./messages.js";
import { CallgrindParser, type CallgrindOptions } from "./parser.js";

export type { CallgrindOptions } from "./parser.js";

/** The callgrind importer: a {@link LineImporter} whose parser also takes {@link CallgrindOptions}. */
export type CallgrindImporter = LineImporter & { parser(opts?: CallgrindOptions): LineParser<Profile> };

/**
 * Reads callgrind profile data (`callgrind.out.<pid>`): every event column, name and position
 * compression, inlined-file switches (`fi=`/`fe=`), calls, and every part and thread of a file.
 * Functions are keyed like callgrind keys them, by object, file and name; frames are functions
 * with their object (`ob=`, "" when unknown) as module and their file (`fl=`, or the `fi=`/`fe=`
 * file in force at `fn=`). There is one sample row per (stack, event); `events` are the file's
 * event names in order, the unit is "instructions" when the only event is Ir, else "events".
 * Per function and event, self costs and the total (the sum of the cost lines) are exactly
 * callgrind_annotate's.
 *
 * The Profile has stacks, not a call graph, so stacks are rebuilt from callgrind's call graph
 * (see `expandCallGraph` in expand.ts): self costs per function and event totals are exact. An
 * inclusive cost is exact for a function that owns its callees (nothing else calls them); where
 * callees are shared, their cost is split over the call paths in whole events, so it is within
 * one event per stack under the function; under recursion or the expansion limits it is
 * approximate (a warning says so).
 * An empty file, or one without an `events:` line, is not a callgrind profile: FormatError.
 * A file whose cost lines do not add up to its `totals:` (or, without one, `summary:`) line is
 * cut short: FormatError.
 *
 * @example
 * const p = await parseInput(callgrind.parser(), { path: "callgrind.out.1234" });
 * toFolded(p, { event: "Ir" }); // ["wordfreq-before;0x…1ab70;(below main);…;wordfreq::main 34000", …]
 * callgrind.parser({ maxDepth: 64, maxNodes: 20_000 }); // smaller call trees for huge call graphs
 */
export const callgrind: CallgrindImporter = {
  name: FORMAT,
  extensions: [".callgrind", ".out"],
  sniff: (head) =>
    /^#\s*callgrind format/.test(head) ||
    /^creator:\s*callgrind/m.test(head) ||
    (/^events:/m.test(head) && /^c?fn=/m.test(head) && /^(positions:|version:|calls=|ob=|cfn=)/m.test(head)),
  parser: (opts: CallgrindOptions = {}) => new CallgrindParser(opts),
};
