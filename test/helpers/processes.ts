// The processes tests look for by command line (kernels a server started, valgrind and its
// program), read from /proc. src/exec/proc-table.ts has the table flamebook itself needs (pid,
// parent, group); tests also need the command line and whether a process is a zombie.
import { readdirSync, readFileSync } from "node:fs";

/** A running process: its pid, its command line (arguments joined by spaces) and whether it is a zombie. */
export interface ProcessLine {
  readonly pid: number;
  readonly cmdline: string;
  readonly zombie: boolean;
}

/**
 * Every process /proc lists now, with its command line; one that ends while it is read is skipped.
 *
 * @example
 * runningProcesses().filter((p) => p.cmdline.includes("valgrind") && !p.zombie);
 */
export function runningProcesses(): ProcessLine[] {
  const out: ProcessLine[] = [];
  for (const n of readdirSync("/proc")) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const cmdline = readFileSync(`/proc/${n}/cmdline`, "utf8").replace(/\0/g, " ");
      const stat = readFileSync(`/proc/${n}/stat`, "utf8");
      out.push({ pid: Number(n), cmdline, zombie: stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z" });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * Pids of processes (zombies too) whose command line contains every one of `parts`: the kernels a
 * server started, found by their kernelspec's argv and connection-file directory.
 *
 * @example
 * pidsWith(["kernel/main.ts", runtimeDir]); // [31337]
 */
export function pidsWith(parts: readonly string[]): number[] {
  return runningProcesses()
    .filter((p) => parts.every((x) => p.cmdline.includes(x)))
    .map((p) => p.pid);
}
