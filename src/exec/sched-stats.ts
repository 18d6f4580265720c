/**
 * How the processes of a group were scheduled, read from /proc while they run: CPU time, time
 * spent waiting on a run queue (ready but preempted), and voluntary (blocking: IO, sleep, locks)
 * and involuntary (preempted) context switches. This is what tells "the program waited for the
 * disk" apart from "the program waited for a CPU because the machine was busy".
 */
import { readdirSync, readFileSync } from "node:fs";
import { processTable } from "./proc-table.js";

/** Scheduling totals over every thread seen, as /proc last reported them. */
export interface SchedStats {
  /** Time on a CPU, in ns (/proc/<pid>/task/<tid>/schedstat, field 1). */
  cpuNs: number;
  /** Time ready to run but waiting for a CPU, in ns (schedstat field 2: run-queue delay). */
  runDelayNs: number;
  /** Context switches the threads asked for (blocking), from /proc/…/status. */
  voluntary: number;
  /** Context switches forced on them (preemption). */
  involuntary: number;
  /** Threads seen. */
  threads: number;
}

/** A running watch: `stop()` ends it and gives the totals. */
export interface SchedWatch {
  stop(): SchedStats;
}

/**
 * Polls the scheduling counters of every process in process group `pgid` except `exclude`
 * (perf itself, when it leads the group), every `intervalMs`, keeping each thread's last reading:
 * counters only grow, and a thread that ends between two polls loses at most one interval.
 * Reading /proc needs no permission for one's own processes; where there is no /proc (or no
 * schedstat, a kernel without CONFIG_SCHED_INFO) the totals stay 0 and `threads` says so.
 *
 * @example
 * const w = watchSchedStats(child.pid!, { exclude: child.pid });
 * // … when it has exited:
 * const s = w.stop(); // { cpuNs, runDelayNs, voluntary, involuntary, threads }
 */
export function watchSchedStats(pgid: number, opts: { exclude?: number; intervalMs?: number } = {}): SchedWatch {
  const last = new Map<string, { cpu: number; delay: number; vol: number; invol: number }>();
  const poll = () => {
    for (const p of processTable()) {
      if (p.pgid !== pgid || p.pid === opts.exclude) continue;
      let tids: string[];
      try {
        tids = readdirSync(`/proc/${p.pid}/task`);
      } catch {
        continue; // gone
      }
      for (const tid of tids) {
        const r = readTask(p.pid, tid);
        if (r) last.set(`${p.pid}/${tid}`, r);
      }
    }
  };
  poll();
  const timer = setInterval(poll, opts.intervalMs ?? 50);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      poll();
      const out: SchedStats = { cpuNs: 0, runDelayNs: 0, voluntary: 0, involuntary: 0, threads: last.size };
      for (const r of last.values()) {
        out.cpuNs += r.cpu;
        out.runDelayNs += r.delay;
        out.voluntary += r.vol;
        out.involuntary += r.invol;
      }
      return out;
    },
  };
}

function readTask(pid: number, tid: string): { cpu: number; delay: number; vol: number; invol: number } | undefined {
  try {
    const [cpu, delay] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").trim().split(/\s+/).map(Number);
    const status = readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
    const vol = Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    const invol = Number(/^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    if (!Number.isFinite(cpu) || !Number.isFinite(delay)) return undefined;
    return { cpu: cpu!, delay: delay!, vol, invol };
  } catch {
    return undefined; // ended between listing and reading
  }
}
