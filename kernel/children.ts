/**
 * Finds and kills every descendant process of the kernel (Linux /proc). This backs up
 * `killAllGroups` from src/exec: cells may load another copy of the library (its CJS build) whose
 * registry the kernel cannot see, and user code may spawn processes directly.
 */
import { readFileSync } from "node:fs";
import { processTable as procs } from "../src/exec/proc-table.js";
import { WATCHDOG_NAME } from "../src/exec/reaper.js";

/**
 * The pids of all descendants of `root`.
 *
 * @example descendants(process.pid) // [4242, 4243]
 */
export function descendants(root: number = process.pid): number[] {
  const all = procs();
  const kids = new Map<number, number[]>();
  for (const p of all) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const stack = [...(kids.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(kids.get(pid) ?? []));
  }
  return out;
}

/** The esbuild service tsx runs as our child to compile TypeScript (when the kernel runs from source): ours, not a cell's. */
function isCompilerService(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "esbuild" && procs().find((p) => p.pid === pid)?.ppid === process.pid;
  } catch {
    return false;
  }
}

/** The exec reaper's watchdog (src/exec/reaper.ts): it kills nothing while we live, and guards the cell's groups. */
function isReaperWatchdog(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(WATCHDOG_NAME);
  } catch {
    return false;
  }
}

/**
 * Kills every descendant of this process, whole process groups where they lead their own,
 * except tsx's esbuild service (the kernel's own compiler) and the reapers' watchdogs. Returns how many were signalled.
 *
 * @example killDescendants() // 3
 */
export function killDescendants(signal: NodeJS.Signals = "SIGKILL"): number {
  const own = procs().find((p) => p.pid === process.pid)?.pgid ?? process.pid;
  const byPid = new Map(procs().map((p) => [p.pid, p]));
  let n = 0;
  for (const pid of descendants()) {
    if (isCompilerService(pid) || isReaperWatchdog(pid)) continue;
    const p = byPid.get(pid);
    try {
      if (p && p.pgid !== own && p.pgid > 1) process.kill(-p.pgid, signal);
      else process.kill(pid, signal);
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}
