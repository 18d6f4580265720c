/** Why a command we started did not succeed. */
export type ExecFailure = "not-found" | "spawn" | "exit" | "signal" | "timeout" | "aborted";

/** What we know about a finished (or failed) child process. */
export interface RunResult {
  /** The executable as given. */
  readonly command: string;
  readonly args: readonly string[];
  /** Exit code, or null when the process died from a signal. */
  readonly code: number | null;
  /** The signal that ended the process, if any. */
  readonly signal: NodeJS.Signals | null;
  /** The collected stdout, when `captureStdout` was set; otherwise "". */
  readonly stdout: string;
  /** The last lines of stderr (for error messages). */
  readonly stderrTail: string;
  readonly durationMs: number;
}

/**
 * A command failed: not found, non-zero exit, killed by a signal, timed out or aborted.
 * The message names the command and ends with the tail of its stderr.
 *
 * @example
 * try { await run("cargo", ["build"]); } catch (e) { if (e instanceof ExecError && e.failure === "timeout") retry(); }
 */
export class ExecError extends Error {
  override readonly name = "ExecError";
  constructor(
    readonly failure: ExecFailure,
    message: string,
    readonly result: RunResult,
  ) {
    super(message);
  }
}

/**
 * Quotes a command line for display in messages (not for a shell to run).
 *
 * @example
 * displayCommand("perf", ["record", "-o", "my data"]); // "perf record -o 'my data'"
 */
export function displayCommand(command: string, args: readonly string[]): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [command, ...args].map(q).join(" ");
}
