import { spawn } from "node:child_process";
import { withAmbient } from "./ambient-signal.js";
import { statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { ExecError, displayCommand, type ExecFailure, type RunResult } from "./errors.js";
import { LineSplitter, TailBuffer } from "./lines.js";
import { killGroup, track, untrack } from "./reaper.js";

/**
 * After the leader has exited and its group has been killed, only a process that left the group
 * (setsid, a daemon) can still hold our pipes open. Once they have been silent this long, we stop
 * waiting for them so that `run` settles.
 */
const PIPE_DRAIN_MS = 2000;

/** Options of {@link run}. Every option documents its default. */
export interface RunOptions {
  /** Working directory. Default: the current one. */
  cwd?: string;
  /** Extra environment variables, merged over `process.env`. Default: none. */
  env?: Record<string, string | undefined>;
  /** Called with each stdout line (no "\n"), as it arrives. Default: none. */
  onStdoutLine?: (line: string) => void;
  /** Called with each raw stdout chunk, for consumers that split lines themselves. Default: none. */
  onStdoutChunk?: (chunk: Buffer) => void;
  /** Called with each stderr line, as it arrives (progress). Default: none. */
  onStderrLine?: (line: string) => void;
  /** Collect the whole stdout into `result.stdout`. Default: false (use it for small outputs only). */
  captureStdout?: boolean;
  /**
   * Send stdout to /dev/null instead of a pipe, so nothing reads it (timing runs: no pipe
   * traffic, no blocked writer). `onStdoutLine`, `onStdoutChunk` and `captureStdout` then get
   * nothing. Default: false.
   */
  discardStdout?: boolean;
  /** How many stderr lines to keep for error messages. Default: 40. */
  stderrTailLines?: number;
  /** Kill the whole process group after this many ms. Default: no timeout. */
  timeoutMs?: number;
  /** Aborting kills the whole process group. Default: none. */
  signal?: AbortSignal;
  /**
   * Send SIGINT to the whole group after this many ms, like Ctrl-C at a terminal (perf record
   * then writes its data and exits). The command's exit is then judged as usual. Default: never.
   */
  interruptAfterMs?: number;
  /** How long SIGTERM gets before SIGKILL, in ms. Default: 2000. */
  killGraceMs?: number;
  /** Throw an ExecError on a non-zero exit. Default: true. */
  check?: boolean;
  /** A sentence appended to the "not found" error, e.g. which package to install. Default: none. */
  notFoundHint?: string;
  /** Called with the pid (which is also the process group id) once the command is started. Default: none. */
  onSpawn?: (pid: number) => void;
}

/**
 * Runs a command in its own process group, streaming its output, and resolves when the
 * process has exited and been reaped. Timeout and abort kill the whole group (SIGTERM, then
 * SIGKILL after `killGraceMs`), so grandchildren such as the program under `perf record` or
 * the `rustc` under `cargo` never survive. When the leader exits, whatever is left of its
 * group is killed too.
 *
 * @example
 * const r = await run("perf", ["--version"], { captureStdout: true, timeoutMs: 5000 });
 * console.log(r.stdout.trim()); // "perf version 6.1"
 */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const tail = new TailBuffer(opts.stderrTailLines ?? 40);
  let stdout = "";
  // Decodes across chunk boundaries, so a multi-byte character split between two reads survives.
  const stdoutDecoder = new StringDecoder("utf8");
  const check = opts.check ?? true;
  const shown = displayCommand(command, args);
  const abortSignal = withAmbient(opts.signal);

  return new Promise<RunResult>((resolve, reject) => {
    const result = (code: number | null, signal: NodeJS.Signals | null): RunResult => ({
      command, args, code, signal, stdout, stderrTail: tail.toString(), durationMs: performance.now() - started,
    });
    const fail = (failure: ExecFailure, message: string, r: RunResult) => {
      const t = r.stderrTail.trim();
      reject(new ExecError(failure, t ? `${message}\n--- last lines of its stderr ---\n${t}` : message, r));
    };

    if (abortSignal?.aborted) {
      fail("aborted", `flamebook: not started, already aborted: ${shown}`, result(null, null));
      return;
    }

    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ["ignore", opts.discardStdout ? "ignore" : "pipe", "pipe"],
      detached: true, // own process group (setsid), so we can kill the whole group
    });
    const pgid = child.pid;
    if (pgid !== undefined) track(pgid);
    if (pgid !== undefined && opts.onSpawn) opts.onSpawn(pgid);

    let stopping: "timeout" | "aborted" | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: "timeout" | "aborted") => {
      if (stopping || pgid === undefined) return;
      stopping = why;
      killGroup(pgid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(pgid, "SIGKILL"), opts.killGraceMs ?? 2000);
    };
    const timer = opts.timeoutMs !== undefined ? setTimeout(() => stop("timeout"), opts.timeoutMs) : undefined;
    const interrupt =
      opts.interruptAfterMs !== undefined && pgid !== undefined ? setTimeout(() => killGroup(pgid, "SIGINT"), opts.interruptAfterMs) : undefined;
    const onAbort = () => stop("aborted");
    abortSignal?.addEventListener("abort", onAbort, { once: true });

    let callbackError: unknown;
    const guard = (f: () => void) => {
      if (callbackError !== undefined) return;
      try {
        f();
      } catch (e) {
        // A consumer that throws (e.g. a parser on bad input) stops the command.
        callbackError = e;
        stop("aborted");
      }
    };
    const outLines = opts.onStdoutLine ? new LineSplitter(opts.onStdoutLine) : undefined;
    const onStderrLine = opts.onStderrLine;
    const errLines = new LineSplitter((line) => {
      tail.push(line); // the tail is kept even after a callback failed, for the error message
      if (onStderrLine) guard(() => onStderrLine(line));
    });
    let drainTimer: NodeJS.Timeout | undefined;
    let exited = false;
    const armDrain = () => {
      if (!exited) return;
      clearTimeout(drainTimer);
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_DRAIN_MS);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      armDrain();
      guard(() => {
        opts.onStdoutChunk?.(chunk);
        outLines?.write(chunk);
        if (opts.captureStdout) stdout += stdoutDecoder.write(chunk);
      });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      armDrain();
      errLines.write(chunk);
    });

    let spawnError: NodeJS.ErrnoException | undefined;
    child.on("error", (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on("exit", () => {
      // The leader is gone; anything left in its group is an orphan of ours.
      if (pgid !== undefined) killGroup(pgid, "SIGKILL");
      exited = true;
      armDrain();
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(interrupt);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      abortSignal?.removeEventListener("abort", onAbort);
      if (pgid !== undefined) untrack(pgid);
      guard(() => outLines?.end());
      errLines.end();
      if (opts.captureStdout) stdout += stdoutDecoder.end();
      const r = result(code, signal);
      if (spawnError) {
        if ((spawnError.code === "ENOENT" || spawnError.code === "ENOTDIR") && opts.cwd !== undefined && !isDirectory(opts.cwd)) {
          fail("spawn", `flamebook: cannot run '${command}': its working directory ${opts.cwd} does not exist or is not a directory. Create it or pass another cwd.`, r);
        } else if (spawnError.code === "ENOENT") {
          const where = opts.cwd ? ` (cwd ${opts.cwd})` : "";
          const hint = opts.notFoundHint ? ` ${opts.notFoundHint}` : "";
          fail("not-found", `flamebook: '${command}' was not found on PATH${where}.${hint}`, r);
        } else fail("spawn", `flamebook: could not start '${command}': ${spawnError.message}`, r);
      } else if (callbackError !== undefined) reject(callbackError);
      else if (stopping === "timeout") fail("timeout", `flamebook: timed out after ${opts.timeoutMs} ms, killed: ${shown}`, r);
      else if (stopping === "aborted") fail("aborted", `flamebook: aborted, killed: ${shown}`, r);
      else if (check && signal) fail("signal", `flamebook: killed by ${signal}: ${shown}`, r);
      else if (check && code !== 0) fail("exit", `flamebook: exit code ${code}: ${shown}`, r);
      else resolve(r);
    });
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
