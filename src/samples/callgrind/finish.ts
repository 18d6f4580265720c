// The end of a callgrind read: each thread's call graph expanded into stacks, and the warnings a user should see.
import type { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import { expandCallGraph, type ExpandOptions } from "./expand.js";
import type { CallGraph } from "./graph.js";

/** What {@link finishProfile} needs from the parser. */
export interface FinishInput {
  /** The file's event names and the builder's ids for them, in file order. */
  events: readonly string[];
  eventIds: readonly number[];
  /** `cmd:`, `pid:`; "" and -1 when missing. */
  cmd: string;
  pid: number;
  /** The call graph of each thread id. */
  graphs: ReadonlyMap<number, CallGraph>;
  /** Cost lines in the file (0: nothing was collected). */
  costLines: number;
  /** Unknown header lines, and the line of the first. */
  unknownHeaders: number;
  firstUnknownHeader: number;
  /** Body lines `key=…` with an unknown key, and the first of them. */
  unknownLines: number;
  firstUnknownLine: { no: number; text: string };
  /** Compressed name ids defined again with another name. */
  redefined: number;
  /** Strip Rust hashes from names. */
  cleanNames: boolean;
  /** The limits of the stack expansion. */
  limits: ExpandOptions;
}

/**
 * Builds the profile: frames per function (object as module, file, smallest line), one thread
 * per call graph, stacks expanded from each graph (see {@link expandCallGraph}), and warnings
 * for what was approximated or skipped.
 *
 * @example
 * return finishProfile(builder, { events: ["Ir"], eventIds: [0], cmd: "./app", pid: 7, graphs, costLines: 120,
 *   unknownHeaders: 0, firstUnknownHeader: 0, unknownLines: 0, firstUnknownLine: { no: 0, text: "" }, redefined: 0,
 *   cleanNames: false, limits: {} });
 */
export function finishProfile(b: ProfileBuilder, input: FinishInput): Profile {
  const { events, eventIds, limits } = input;
  b.setUnit(events.length === 1 && events[0] === "Ir" ? "instructions" : "events");
  const comm = input.cmd === "" ? "" : basename(input.cmd.split(/[ \t]+/)[0]!);
  let cycles = 0;
  let depthCuts = 0;
  let budgetCuts = 0;
  let extraRoots = 0;
  let missing = 0;
  for (const [tid, g] of input.graphs) {
    missing += g.resolveCallees();
    const frames = new Int32Array(g.size);
    for (let f = 0; f < g.size; f++) {
      const name = input.cleanNames ? cleanRustName(g.name[f]!) : g.name[f]!;
      const obj = g.object[f]!;
      frames[f] = b.frame(name, obj === "???" ? "" : obj, { file: g.file[f], line: g.line[f] });
    }
    const thread = b.thread(comm, input.pid, tid);
    const r = expandCallGraph(g, b, frames, thread, eventIds, { maxDepth: limits.maxDepth, maxNodes: limits.maxNodes });
    cycles += r.cycles;
    depthCuts += r.depthCuts;
    budgetCuts += r.budgetCuts;
    extraRoots += r.extraRoots;
  }
  if (input.costLines === 0) b.warn("callgrind: the file has no cost lines (nothing was collected; was the program run with --collect-atstart=no or --toggle-collect?).");
  if (cycles > 0) {
    b.warn(
      `callgrind: the call graph has recursion (${cycles} call(s) into a function already on the stack); they are folded into the outer call. Stacks are expanded from callgrind's call graph: self costs are exact, inclusive costs of the recursive functions are approximate.`,
    );
  }
  if (depthCuts > 0 || budgetCuts > 0) {
    const why = [depthCuts > 0 ? `${depthCuts} at depth ${limits.maxDepth ?? 256}` : "", budgetCuts > 0 ? `${budgetCuts} after ${limits.maxNodes ?? 100000} stacks` : ""].filter(Boolean).join(", ");
    b.warn(`callgrind: the expanded call tree was cut (${why}); self costs stay exact, inclusive costs below the cut are approximate (raise maxDepth/maxNodes).`);
  }
  if (extraRoots > 0) {
    b.warn(`callgrind: ${extraRoots} function(s) with cost are in call cycles that no root of the call graph reaches; the heaviest function of each is shown as a root.`);
  }
  if (missing > 0) b.warn(`callgrind: ${missing} called function(s) have no 'fn=' lines (no cost of their own).`);
  if (input.unknownHeaders > 0) b.warn(`callgrind: skipped ${input.unknownHeaders} unknown header line(s) (the first at line ${input.firstUnknownHeader}).`);
  if (input.unknownLines > 0) {
    const first = input.firstUnknownLine;
    const shown = first.text.length > 60 ? `${first.text.slice(0, 60)}…` : first.text;
    b.warn(`callgrind: skipped ${input.unknownLines} line(s) with an unknown key (the first at line ${first.no}: ${JSON.stringify(shown)}), as callgrind_annotate does.`);
  }
  if (input.redefined > 0) b.warn(`callgrind: ${input.redefined} compressed name id(s) were defined again with another name; the latest definition was used.`);
  return b.finish();
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
