import { spawn, type ChildProcess } from "node:child_process";

/**
 * Every process group we start is registered here until its leader is reaped, so that a
 * timeout, an abort, an interrupt or the exit of our own process never leaves orphans.
 */
const live = new Set<number>();
let hooked = false;

/**
 * The name a watchdog shows in the process table (its `$0`), so that the kernel's sweep of its
 * descendants can leave it alone.
 */
export const WATCHDOG_NAME = "flamebook-reaper-watchdog";

/**
 * A SIGKILL of this process (e.g. Jupyter restarting a kernel "now", which SIGKILLs the kernel's
 * process group) runs no exit handler, and the groups we started are not in our process group. So
 * a small shell in a group of its own reads "+ pgid" / "- pgid" lines on a pipe from us; when the
 * pipe closes because we died, it SIGKILLs the groups still listed.
 */
const WATCHDOG_SCRIPT = `live=" "
while read -r op pg; do
  case "$op" in
    +) live="$live$pg " ;;
    -) case "$live" in *" $pg "*) live="\${live%% $pg *} \${live#* $pg }" ;; esac ;;
  esac
done
for pg in $live; do kill -s KILL -- "-$pg" 2>/dev/null; done`;
let watchdog: ChildProcess | undefined;

function tell(line: string): void {
  if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null && watchdog.stdin?.writable) {
    watchdog.stdin.write(`${line}\n`);
    return;
  }
  if (live.size === 0) return;
  let w: ChildProcess;
  try {
    w = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, WATCHDOG_NAME], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
  } catch {
    watchdog = undefined; // no /bin/sh: the exit handler still covers normal exits
    return;
  }
  watchdog = w;
  const lost = () => {
    if (watchdog === w) watchdog = undefined; // killed: the next track starts another
  };
  w.on("error", lost);
  w.on("exit", lost);
  w.stdin!.on("error", lost);
  w.unref();
  (w.stdin as unknown as { unref?: () => void }).unref?.();
  // A new watchdog learns every group still running (the one being tracked included).
  w.stdin!.write([...live].map((pgid) => `+ ${pgid}\n`).join(""));
}

/** Sends `signal` to a whole process group; a group that is already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

/** Records a live process group (its leader's pid). */
export function track(pgid: number): void {
  live.add(pgid);
  tell(`+ ${pgid}`);
  if (!hooked) {
    hooked = true;
    // 'exit' handlers run on a normal exit and on process.exit(); they must be synchronous.
    process.on("exit", () => killAllGroups());
  }
}

/** Forgets a process group whose leader has been reaped. */
export function untrack(pgid: number): void {
  live.delete(pgid);
  tell(`- ${pgid}`);
}

/**
 * Kills every process group started through `src/exec` that is still running. The kernel calls
 * this on shutdown and restart; it also runs automatically when this Node process exits.
 *
 * @example
 * process.on("SIGTERM", () => { killAllGroups(); process.exit(143); });
 */
export function killAllGroups(signal: NodeJS.Signals = "SIGKILL"): number {
  const n = live.size;
  for (const pgid of live) killGroup(pgid, signal);
  return n;
}

/** How many process groups started by us are still running. @example liveGroups() // 0 */
export function liveGroups(): number {
  return live.size;
}
