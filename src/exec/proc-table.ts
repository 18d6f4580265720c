/**
 * The Linux process table as flamebook needs it: pid, parent and process group of every process
 * in /proc (zombies included). Empty where there is no /proc.
 */
import { readdirSync, readFileSync } from "node:fs";

/** One process of the table. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

/**
 * Every process /proc lists now; one that leaves while it is read is skipped.
 *
 * @example
 * processTable().filter((p) => p.pgid === pgid).length; // processes left in a group
 */
export function processTable(): ProcEntry[] {
  const out: ProcEntry[] = [];
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = readFileSync(`/proc/${n}/stat`, "utf8");
      // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.push({ pid: Number(n), ppid: Number(rest[1]), pgid: Number(rest[2]) });
    } catch {
      // gone already
    }
  }
  return out;
}
