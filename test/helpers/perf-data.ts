// Real perf.data files for tests: the `threads` fixture crate (two named threads spinning for a
// given time), built with cargo and recorded with perf record (cpu-clock, dwarf call graphs), as
// `flamebook record` does. perf and cargo run on this machine (and in CI).
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { cargo } from "../../src/build/index.js";
import { run } from "../../src/exec/index.js";
import { perfPreflight } from "../../src/record/preflight.js";
import { fixture } from "./golden.js";

let built: Promise<string> | undefined;

/** The `threads` crate's executable, built once per test process. */
export function threadsExe(): Promise<string> {
  built ??= cargo.build(fixture("crates", "threads"), { bin: "threads" }).then((b) => b.exe);
  return built;
}

/** Options of {@link recordThreads}. Every option documents its default. */
export interface RecordThreadsOptions {
  /** How long the program spins, in ms. Default: 150. */
  ms?: number;
  /** Extra `perf record` arguments (before `--`). Default: none. */
  perfArgs?: readonly string[];
  /** Run a copy of the executable at this path (e.g. to delete it afterwards). Default: the built one. */
  exeCopy?: string;
  /** Environment for perf (e.g. HOME, for a build-id cache of its own). Default: ours. */
  env?: Record<string, string>;
}

/**
 * Records the `threads` crate into `out` with `perf record -e cpu-clock -F 999 --call-graph dwarf`
 * (`cpu-clock:u` where this user may sample user space only) and returns `out`.
 *
 * @example
 * const data = await recordThreads(join(dir, "a.perf.data"), { ms: 200 });
 */
export async function recordThreads(out: string, opts: RecordThreadsOptions = {}): Promise<string> {
  let exe = await threadsExe();
  if (opts.exeCopy) {
    copyFileSync(exe, opts.exeCopy);
    exe = opts.exeCopy;
  }
  const event = (await perfPreflight()).userOnly ? "cpu-clock:u" : "cpu-clock"; // paranoid level 2 as non-root
  const args = ["record", "-e", event, "-F", "999", "--call-graph", "dwarf", ...(opts.perfArgs ?? []), "-o", out, "--", exe, String(opts.ms ?? 150)];
  await run("perf", args, { env: opts.env, timeoutMs: 60_000, stderrTailLines: 20 });
  return out;
}

/** A fresh path for a perf.data file in `dir`. */
export const perfDataPath = (dir: string, name: string): string => join(dir, `${name}.perf.data`);
