import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { ExecError, displayCommand, type RunResult } from "./errors.js";
import { perfEventSupport, scratchFile } from "./perf-stat.js";
import { findPerfStatLine, parsePerfStatCsv, type PerfStatLine } from "./perf-stat-csv.js";
import { signalFromDescription } from "./signal-names.js";
import { run } from "./run.js";

/** How {@link runTimed} measured: `perf stat` around the program, or a shell's `times`. */
export type TimedMethod = "perf-stat" | "times";

/** Options of {@link runTimed}. Every option documents its default. */
export interface TimedOptions {
  /** Working directory. Default: the current one. */
  cwd?: string;
  /** Extra environment variables, merged over `process.env`. Default: none. */
  env?: Record<string, string | undefined>;
  /** Aborting kills the whole process group (perf or the shell, and the program). Default: none. */
  signal?: AbortSignal;
  /** Kill the whole group after this many ms. Default: no timeout. */
  timeoutMs?: number;
  /** Throw an ExecError naming the command when it exits non-zero or dies from a signal. Default: true. */
  check?: boolean;
  /** How many lines of the program's stderr to keep (`stderrTail`, error messages). stdout always goes to /dev/null. Default: 20. */
  stderrTailLines?: number;
  /**
   * Extra `perf stat` events to count, e.g. ["context-switches", "cpu-migrations", "page-faults",
   * "cycles", "instructions"]. Events this machine cannot count (see `perfStatSupport`) are not
   * passed to perf and come back as null. Default: none.
   */
  counters?: readonly string[];
  /**
   * "perf-stat", "times", or "auto": perf stat when it can count task-clock, duration_time,
   * user_time and system_time here (checked once per process), else the `times` wrapper.
   * Default: "auto".
   */
  method?: TimedMethod | "auto";
}

/** One measured run of a program. */
export interface TimedRun {
  /** Wall time of the program: perf's duration_time, or (times) spawn to exit as seen by Node. */
  wallMs: number;
  /** User CPU time of the program and its children (getrusage of the reaped child). */
  userMs: number;
  /** System CPU time of the program and its children. */
  sysMs: number;
  /**
   * CPU time of the program and its children: perf's task-clock (counted from exec, ns-precise;
   * it can differ by a few ms from userMs + sysMs, which also hold perf's fork-to-exec work), or
   * (times) userMs + sysMs.
   */
  cpuMs: number;
  /** The exit code, or null when a signal ended the program (with `times`, a signal n shows as 128 + n). */
  exitCode: number | null;
  /** The signal that ended the program, when known. */
  signal: NodeJS.Signals | null;
  /** The `counters` asked for: value as perf prints it (counts; task-clock in msec), null when not supported here. */
  counters?: Record<string, number | null>;
  method: TimedMethod;
  /** The exact argv that was run (perf or the shell wrapper, then the program), for provenance. */
  command: string[];
  /** The last lines of stderr (the program's, and perf's). */
  stderrTail: string;
}

const TIME_EVENTS = ["duration_time", "user_time", "system_time", "task-clock"] as const;

/**
 * Runs a program once and measures its wall time and CPU time (user + sys, the program and its
 * children) with little overhead, for before/after experiments that compare medians of runs.
 *
 * Node cannot call getrusage(RUSAGE_CHILDREN) and reaps children itself, so the measuring is
 * done by the parent of the program: `perf stat -x, -o <file> -e duration_time -e user_time -e
 * system_time -e task-clock [-e counter…] -- prog args` (task-clock counts CPU time from exec,
 * through forks; user/system time come from perf's wait4), or, without perf, a shell wrapper
 * that runs the program and writes `times` (children's user and sys) to a file. stdin and stdout
 * are /dev/null; the process group is killed on abort and timeout, as with `run`.
 *
 * @example
 * const t = await runTimed(bin.exe, ["200000", "20"], { counters: ["context-switches", "cycles"] });
 * t.wallMs; t.cpuMs; t.counters; // 212.4, 209.8, { "context-switches": 31, cycles: null }
 */
export async function runTimed(command: string, args: readonly string[], opts: TimedOptions = {}): Promise<TimedRun> {
  const method = opts.method === undefined || opts.method === "auto" ? await chooseMethod(opts.signal) : opts.method;
  return method === "perf-stat" ? viaPerfStat(command, args, opts) : viaTimes(command, args, opts);
}

let auto: Promise<TimedMethod> | undefined;

function chooseMethod(signal: AbortSignal | undefined): Promise<TimedMethod> {
  auto ??= perfEventSupport(TIME_EVENTS, { signal }).then((s) => (TIME_EVENTS.every((e) => s[e] === "supported") ? "perf-stat" : "times"));
  return auto.catch((e: unknown) => {
    auto = undefined;
    throw e;
  });
}

async function viaPerfStat(command: string, args: readonly string[], opts: TimedOptions): Promise<TimedRun> {
  const wanted = [...new Set(opts.counters ?? [])];
  const support = wanted.length > 0 ? await perfEventSupport(wanted, { signal: opts.signal }) : {};
  const extra = wanted.filter((e) => support[e] === "supported" && !(TIME_EVENTS as readonly string[]).includes(e));
  const out = scratchFile("stat");
  const perfArgs = ["stat", "-x,", "-o", out, ...[...TIME_EVENTS, ...extra].flatMap((e) => ["-e", e]), "--", command, ...args];
  try {
    const r = await run("perf", perfArgs, {
      ...common(opts),
      notFoundHint: "Install it with `sudo apt-get install linux-perf` (Debian), or pass { method: \"times\" }.",
    });
    const lines = parsePerfStatCsv(await readFile(out, "utf8").catch(() => ""));
    const task = findPerfStatLine(lines, "task-clock");
    if (task === undefined || r.signal !== null) {
      // perf did not run the program (not found, perf refused) or was itself killed.
      const t = r.stderrTail.trim();
      const why = /Workload failed: No such file/.test(t) ? "not-found" : r.signal !== null ? "signal" : "exit";
      const msg = why === "not-found" ? `flamebook: '${command}' was not found (perf stat could not start it)` : `flamebook: perf stat failed (exit code ${r.code}${r.signal ? `, ${r.signal}` : ""})`;
      throw new ExecError(why, `${msg}: ${displayCommand("perf", perfArgs)}${t ? `\n--- last lines of its stderr ---\n${t}` : ""}`, r);
    }
    const ns = (e: string) => msOf(findPerfStatLine(lines, e), 1e-6);
    // perf stat passes the exit code on, but after a signal it exits 0 and prints psignal()'s "prog: Killed".
    const sig = programSignal(r.stderrTail, command);
    const counters = wanted.length > 0 ? Object.fromEntries(wanted.map((e) => [e, counterValue(findPerfStatLine(lines, e), support[e] === "supported")])) : undefined;
    const userMs = ns("user_time");
    const sysMs = ns("system_time");
    const timed: TimedRun = {
      wallMs: ns("duration_time"),
      userMs,
      sysMs,
      cpuMs: task.value ?? userMs + sysMs,
      exitCode: sig === null ? r.code : null,
      signal: sig,
      ...(counters ? { counters } : {}),
      method: "perf-stat",
      command: ["perf", ...perfArgs],
      stderrTail: r.stderrTail,
    };
    return judge(timed, r, opts);
  } finally {
    await rm(out, { force: true });
  }
}

async function viaTimes(command: string, args: readonly string[], opts: TimedOptions): Promise<TimedRun> {
  const out = scratchFile("times");
  // bash's `times` has µs precision (getrusage); dash's has the clock tick (10 ms).
  const shell = existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
  const script = 'f=$1; shift; "$@"; s=$?; times >"$f"; exit $s';
  const shArgs = ["-c", script, "sh", out, command, ...args];
  try {
    const r = await run(shell, shArgs, common(opts));
    const text = await readFile(out, "utf8").catch(() => "");
    const kids = parseTimes(text);
    if (kids === null) {
      const t = r.stderrTail.trim();
      throw new ExecError(r.signal !== null ? "signal" : "exit", `flamebook: the timing shell did not report times (exit code ${r.code}${r.signal ? `, ${r.signal}` : ""}): ${displayCommand(shell, shArgs)}${t ? `\n--- last lines of its stderr ---\n${t}` : ""}`, r);
    }
    const lastLine = r.stderrTail.trimEnd().split("\n").at(-1) ?? "";
    const notFound = r.code === 127 && lastLine.includes(`${command}: `) && /not found|No such file/.test(lastLine);
    if (notFound) throw new ExecError("not-found", `flamebook: '${command}' was not found: ${displayCommand(command, args)}\n${r.stderrTail.trim()}`, r);
    const counters = opts.counters && opts.counters.length > 0 ? Object.fromEntries(opts.counters.map((e) => [e, null])) : undefined;
    return judge(
      {
        wallMs: r.durationMs,
        userMs: kids.userMs,
        sysMs: kids.sysMs,
        cpuMs: kids.userMs + kids.sysMs,
        exitCode: r.code,
        signal: null,
        ...(counters ? { counters } : {}),
        method: "times",
        command: [shell, ...shArgs.map((a) => (a === out ? "<times-file>" : a))],
        stderrTail: r.stderrTail,
      },
      r,
      opts,
    );
  } finally {
    await rm(out, { force: true });
  }
}

function common(opts: TimedOptions) {
  return {
    cwd: opts.cwd,
    env: opts.env,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    check: false,
    discardStdout: true,
    stderrTailLines: opts.stderrTailLines ?? 20,
  };
}

/** Throws like `run` does for a failed program when `check` is on (the default). */
function judge(t: TimedRun, r: RunResult, opts: TimedOptions): TimedRun {
  if (opts.check === false || (t.exitCode === 0 && t.signal === null)) return t;
  const shown = displayCommand(t.command[0]!, t.command.slice(1));
  const tail = t.stderrTail.trim();
  const message = t.signal !== null ? `flamebook: killed by ${t.signal}: ${shown}` : `flamebook: exit code ${t.exitCode}: ${shown}`;
  throw new ExecError(t.signal !== null ? "signal" : "exit", tail ? `${message}\n--- last lines of its stderr ---\n${tail}` : message, r);
}

function msOf(line: PerfStatLine | undefined, factor: number): number {
  if (line === undefined) return NaN;
  if (line.status === "not-counted") return 0; // perf prints a tool event that stayed 0 as <not counted>
  return line.value === null ? NaN : line.value * factor;
}

function counterValue(line: PerfStatLine | undefined, supported: boolean): number | null {
  if (!supported || line === undefined || line.status === "not-supported") return null;
  return line.value ?? 0;
}

function programSignal(stderrTail: string, command: string): NodeJS.Signals | null {
  const last = stderrTail.trimEnd().split("\n").at(-1) ?? "";
  const prefix = `${command}: `;
  return last.startsWith(prefix) ? signalFromDescription(last.slice(prefix.length)) : null;
}

/**
 * Reads the output of the shell builtin `times`: two lines, the shell's then its children's
 * user and system time, as `0m0.287000s 0m0.015000s` (dash) or `0m0.287s 0m0.015s` (bash).
 *
 * @example
 * parseTimes("0m0.000000s 0m0.000000s\n0m0.290000s 0m0.010000s\n"); // { userMs: 290, sysMs: 10 }
 */
export function parseTimes(text: string): { userMs: number; sysMs: number } | null {
  const lines = text.trim().split("\n");
  if (lines.length < 2) return null;
  const m = /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(lines[1]!.trim());
  if (m === null) return null;
  const ms = (min: string, s: string) => Math.round((Number(min) * 60 + Number(s)) * 1e6) / 1e3;
  return { userMs: ms(m[1]!, m[2]!), sysMs: ms(m[3]!, m[4]!) };
}
