import { readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { run } from "../exec/index.js";
import type { Profile } from "../model/profile.js";
import type { ImportOptions, LineParser } from "../samples/importer.js";
import { parseInput } from "../samples/read-lines.js";
import type { RecordTarget } from "./perf.js";
import { ValgrindRecording, type ValgrindRecordingInit } from "./valgrind-recording.js";
import { atomicFile } from "../fs/atomic.js";
import { mkdirStore } from "../fs/self-ignored.js";

/** The Debian package that provides valgrind, for install hints. */
export const VALGRIND_PACKAGE_HINT = "Install it with `sudo apt install valgrind` (Debian/Ubuntu package valgrind).";

/** Options of `callgrind.record`, `cachegrind.record` and `dhat.record`. Every option documents its default. */
export interface ValgrindRecordOptions {
  /** Arguments for the program (after a `{ command, args }` target's own). Default: none. */
  args?: readonly string[];
  /** Extra environment for the program. Default: none. */
  env?: Record<string, string>;
  /** Working directory of the program. Default: the current one. */
  cwd?: string;
  /** Where output files are kept. Default: `.flamebook/recordings` under the current directory. */
  outDir?: string;
  /** Abort: kills valgrind (and the program inside it) and deletes the partial output. Default: none. */
  signal?: AbortSignal;
  /** Kill valgrind after this long (valgrind runs programs 10–100× slower). Default: none. */
  timeoutMs?: number;
  /** Strip Rust `::h<hash>` suffixes from names. Default: true. */
  cleanNames?: boolean;
  /** Progress lines (the command, "reading …"). Default: none. */
  onProgress?: (message: string) => void;
  /**
   * Gets each line the program writes, as it writes it: stdout, and stderr without valgrind's own
   * `==pid==` lines. Default: none (the last 20 stdout lines are kept in `programOutput`).
   */
  onOutputLine?: (line: string, stream: "stdout" | "stderr") => void;
}

/** The valgrind tools flamebook runs. */
export type ValgrindToolName = "callgrind" | "cachegrind" | "dhat";

/** How one valgrind tool is run and read: a line format (`parser`) or a whole document (`decode`). */
export interface ValgrindTool {
  name: ValgrindToolName;
  /** The tool's flags, the output-file flag included. */
  flags(outFile: string): string[];
  /** The end of the kept file's name. Default: `.<name>.out`. */
  suffix?: string;
  parser?(opts: { source: string; cleanNames: boolean }): LineParser<Profile>;
  decode?(bytes: Uint8Array, opts: ImportOptions): Profile;
}

/**
 * Runs a program under a valgrind tool through `run()`, writes the output under a temporary
 * name (`.<name>.<pid>-<random>.partial`, see `atomicFile`), reads it with the tool's importer,
 * and moves it to its final name only when valgrind finished and the file is complete. An
 * aborted, killed or failed run deletes its partial file.
 *
 * @example
 * const rec = await recordWithValgrind(tool, "./target/profiling/app", { args: ["10"] });
 */
export async function recordWithValgrind<R extends ValgrindRecording = ValgrindRecording>(
  tool: ValgrindTool,
  target: RecordTarget,
  opts: ValgrindRecordOptions,
  make: (init: ValgrindRecordingInit) => R = (init) => new ValgrindRecording(init) as R,
): Promise<R> {
  const { command, args, label } = resolveTarget(target, opts);
  const warnings: string[] = typeof target === "object" && "exe" in target && target.warnings ? [...target.warnings] : [];
  const outDir = resolve(opts.outDir ?? ".flamebook/recordings");
  mkdirStore(outDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const final = join(outDir, `${label}-${stamp}-${process.pid}${tool.suffix ?? `.${tool.name}.out`}`);
  const output = await atomicFile(final, { mkdir: false });
  const partial = output.temp;
  const vgArgs = [`--tool=${tool.name}`, ...tool.flags(partial), "--", command, ...args];
  const shown = ["valgrind", ...vgArgs.map((a) => a.replace(partial, final))];
  const programLines: string[] = [];
  opts.onProgress?.(shown.join(" "));
  try {
    const r = await run("valgrind", vgArgs, {
      cwd: opts.cwd,
      env: opts.env,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      check: false,
      notFoundHint: VALGRIND_PACKAGE_HINT,
      stderrTailLines: 200,
      onStdoutLine: (line) => {
        programLines.push(line);
        if (programLines.length > 20) programLines.shift();
        opts.onOutputLine?.(line, "stdout");
      },
      ...(opts.onOutputLine ? { onStderrLine: (line: string) => (/^==\d+==/.test(line) ? undefined : opts.onOutputLine!(line, "stderr")) } : {}),
    });
    const written = (await stat(partial).catch(() => null))?.isFile() ?? false;
    if (!written || r.signal !== null) {
      throw new Error(
        `flamebook: valgrind --tool=${tool.name} failed (exit code ${r.code}${r.signal ? `, ${r.signal}` : ""}${written ? "" : ", no output file"}): ${shown.join(" ")}\n${r.stderrTail.trim()}`,
      );
    }
    if (r.code !== 0) warnings.push(`the profiled program exited with code ${r.code}: check that it did the work you meant to measure.`);
    opts.onProgress?.(`reading ${final}`);
    const cleanNames = opts.cleanNames ?? true;
    const profile = tool.decode
      ? tool.decode(await readFile(partial), { source: final, cleanNames })
      : await parseInput(tool.parser!({ source: final, cleanNames }), { path: partial }, final);
    await output.commit();
    return make({
      profile,
      tool: tool.name,
      outFile: final,
      command: shown,
      wallS: r.durationMs / 1000,
      exitCode: r.code,
      warnings,
      programOutput: programLines.join("\n"),
    });
  } finally {
    await output.abort();
  }
}

function resolveTarget(target: RecordTarget, opts: ValgrindRecordOptions): { command: string; args: string[]; label: string } {
  if (typeof target === "string") return { command: target, args: [...(opts.args ?? [])], label: basename(target) };
  if ("exe" in target) return { command: target.exe, args: [...(opts.args ?? [])], label: basename(target.exe) };
  return { command: target.command, args: [...(target.args ?? []), ...(opts.args ?? [])], label: basename(target.command) };
}
