import { spawn } from "node:child_process";
import { withAmbient } from "./ambient-signal.js";
import { displayCommand } from "./errors.js";
import { TailBuffer, LineSplitter } from "./lines.js";
import { processTable } from "./proc-table.js";
import { killGroup, track, untrack } from "./reaper.js";

/** Options of {@link startBackground}. Every option documents its default. */
export interface BackgroundOptions {
  /** Working directory. Default: the current one. */
  cwd?: string;
  /** Extra environment variables, merged over `process.env`. Default: none. */
  env?: Record<string, string | undefined>;
  /**
   * Aborting kills the whole process group. The kernel's per-cell signal is obeyed too, so an
   * interrupt of the cell that started it stops it. Default: none.
   */
  signal?: AbortSignal;
  /**
   * Kill the group after this many ms even if nobody calls `stop()`, so a forgotten handle does
   * not burn CPU for the rest of the session. Default: 300 000 (5 minutes); `Infinity` for never.
   */
  timeoutMs?: number;
  /** How many lines of stderr to keep (`stderrTail`). Default: 20. */
  stderrTailLines?: number;
}

/** How a background process ended. */
export interface BackgroundExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it ended: it exited by itself, `stop()` was called, the timeout or an abort. */
  reason: "exited" | "stopped" | "timeout" | "aborted";
  /** From start to exit, in ms. */
  durationMs: number;
  stderrTail: string;
}

/**
 * A process (group) running in the background: registered with the reaper until it has been
 * reaped, so a kernel interrupt, restart or exit kills it; `stop()` kills it now.
 */
export interface BackgroundProcess {
  /** The leader's pid (also its process group id). */
  readonly pid: number;
  /** The exact argv, for provenance. */
  readonly command: readonly string[];
  /** Whether the leader has not exited yet. */
  readonly running: boolean;
  /** Resolves when the process has exited and been reaped (never rejects). */
  readonly exited: Promise<BackgroundExit>;
  /**
   * Kills the whole group (SIGTERM, then SIGKILL after `graceMs`, default 1000) and resolves
   * when it has been reaped. Stopping a process that has already exited just returns its exit.
   */
  stop(opts?: { graceMs?: number }): Promise<BackgroundExit>;
  /** `await using bg = startBackground(…)` stops it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a command in the background, in its own process group, and returns a handle at once.
 * stdin and stdout are /dev/null (nothing has to read them); the last stderr lines are kept.
 * The group is registered with the reaper (`killAllGroups`), so it is killed when the kernel
 * is interrupted, restarted or exits, when `signal` aborts, or after `timeoutMs`.
 *
 * @example
 * const bg = startBackground("sh", ["-c", "while :; do :; done"]);
 * // … measure something while the machine is busy …
 * await bg.stop(); // { code: null, signal: "SIGTERM", reason: "stopped", … }
 */
export function startBackground(command: string, args: readonly string[] = [], opts: BackgroundOptions = {}): BackgroundProcess {
  const started = performance.now();
  const shown = displayCommand(command, args);
  const signal = withAmbient(opts.signal);
  if (signal?.aborted) throw new Error(`flamebook: not started, already aborted: ${shown}`);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  if (!(timeoutMs > 0)) throw new Error(`flamebook: startBackground timeoutMs must be > 0 (or Infinity), got ${timeoutMs}.`);

  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // own process group, killed as a whole
  });
  const pgid = child.pid;
  const tail = new TailBuffer(opts.stderrTailLines ?? 20);
  const lines = new LineSplitter((line) => tail.push(line));
  child.stderr?.on("data", (chunk: Buffer) => lines.write(chunk));

  let reason: BackgroundExit["reason"] | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  const kill = (why: Exclude<BackgroundExit["reason"], "exited">, graceMs: number) => {
    if (pgid === undefined || !running) return;
    reason ??= why;
    killGroup(pgid, "SIGTERM");
    clearTimeout(killTimer);
    killTimer = setTimeout(() => killGroup(pgid, "SIGKILL"), graceMs);
  };
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => kill("timeout", 1000), timeoutMs) : undefined;
  // Unref'd: a background process must not keep a script's event loop alive by itself.
  timer?.unref();
  const onAbort = () => kill("aborted", 1000);
  signal?.addEventListener("abort", onAbort, { once: true });

  let running = pgid !== undefined;
  if (pgid !== undefined) track(pgid);
  const exited = new Promise<BackgroundExit>((resolve) => {
    let spawnError: Error | undefined;
    child.on("error", (e) => {
      spawnError = e;
    });
    child.on("exit", () => {
      running = false;
      if (pgid !== undefined) killGroup(pgid, "SIGKILL"); // whatever the leader left behind
    });
    child.on("close", (code, sig) => {
      running = false;
      clearTimeout(timer);
      clearTimeout(killTimer);
      signal?.removeEventListener("abort", onAbort);
      lines.end();
      if (spawnError) tail.push(`flamebook: could not start '${command}': ${spawnError.message}`);
      const done = () => {
        if (pgid !== undefined) untrack(pgid);
        resolve({ code, signal: sig, reason: reason ?? "exited", durationMs: performance.now() - started, stderrTail: tail.toString() });
      };
      // The leader is gone; the rest of its group was sent SIGKILL on "exit" but may not have left
      // the process table yet (a loaded machine). Resolve once it has, or after GROUP_GONE_MS.
      if (pgid === undefined) done();
      else void groupGone(pgid, GROUP_GONE_MS).then(done);
    });
  });
  if (pgid === undefined) {
    // spawn failed synchronously enough that there is no pid (e.g. ENOENT): report it now.
    throw new Error(`flamebook: could not start '${command}' in the background (not found on PATH, or not executable): ${shown}`);
  }

  return {
    pid: pgid,
    command: [command, ...args],
    get running() {
      return running;
    },
    exited,
    stop(o: { graceMs?: number } = {}) {
      kill("stopped", o.graceMs ?? 1000);
      return exited;
    },
    async [Symbol.asyncDispose]() {
      kill("stopped", 1000);
      await exited;
    },
  };
}

/** How long `exited` waits for the rest of a process group to leave the process table. */
const GROUP_GONE_MS = 2000;

/** Resolves when no process of group `pgid` is left in /proc (zombies included), or after `ms`. */
async function groupGone(pgid: number, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline && processTable().some((p) => p.pgid === pgid)) {
    killGroup(pgid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Options of {@link startBusy}. Every option documents its default. */
export interface BusyOptions extends Omit<BackgroundOptions, "cwd" | "env"> {
  /** How many busy loops (each keeps one CPU at 100%). Default: 1. */
  loops?: number;
}

/**
 * Starts CPU-bound busy loops in the background (`sh -c 'while :; do :; done'`, one per
 * `loops`, all in one process group): the "busy machine" of a noise demonstration. Stop it with
 * `stop()`; an interrupt, a kernel restart or the timeout (default 5 minutes) kill it too.
 *
 * @example
 * const busy = startBusy({ loops: 2 });
 * const noisy = await runTimed(bin.exe, ["hash", "20"]);
 * await busy.stop();
 */
export function startBusy(opts: BusyOptions = {}): BackgroundProcess {
  const loops = opts.loops ?? 1;
  if (!Number.isInteger(loops) || loops < 1 || loops > 256) {
    throw new Error(`flamebook: startBusy loops must be a whole number from 1 to 256, got ${loops}.`);
  }
  const { loops: _loops, ...rest } = opts;
  // `sh` forks a subshell per loop and waits; SIGTERM to the group ends them all.
  const script = `i=0; while [ $i -lt ${loops} ]; do (while :; do :; done) & i=$((i+1)); done; wait`;
  return startBackground("/bin/sh", ["-c", script], rest);
}
