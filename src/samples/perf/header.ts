// Format: the sample header line of Linux `perf script` text (perf-script(1), perf 3.x–6.x):
// `comm  pid[/tid] [cpu] time: [period] [event:] [rest]`, where every field but comm and pid can be
// switched off with `-F`, the event may carry modifiers (`cpu-clock:ppp:`, `cycles:u:`), and
// without a call graph the sampled frame follows the event on the same line.

/** The fields of one sample header. */
export interface PerfHeader {
  comm: string;
  /** The pid, or -1 when perf printed only one id (its default prints the tid alone). */
  pid: number;
  tid: number;
  /** Seconds, NaN when the time field is off. */
  time: number;
  /** The period text (perf's weight: ns for clock events), undefined when not printed. */
  period: string | undefined;
  /** The event name as printed, modifiers included (`cpu-clock:ppp`), undefined when not printed. */
  event: string | undefined;
  /** What follows the event: the sampled frame without a call graph, tracepoint fields, or "". */
  rest: string;
}

// comm (may contain spaces) · pid[/tid] · [cpu] · time: · rest (period, event, …)
// The comm ends with a non-space, so a long run of spaces is not tried once per split (quadratic).
// The rest is `[^]*`, not `.*`: `.` stops at "\r" or U+2028, and `\s*(.*)$` would then give back
// the spaces before it one at a time, each time scanning to that character again (quadratic).
const WITH_TIME = /^(\S(?:.*?\S)?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s*([^]*)$/;
// Without a time field an event is required, or any line would look like a header.
const NO_TIME = /^(\S(?:.*?\S)?)\s+(-?\d+)(?:\/(-?\d+))?(?:\s+\[(\d+)\])?(?:\s+(\d+))?\s+(\S+):(?:\s+([^]*))?$/;
// `-F comm,tid,ip`: only the ids, and the space perf prints after every field (which the Perl
// script needs too), so that `main;work 3` is not a header.
const IDS_ONLY = /^(\S(?:.*?\S)?)\s+(-?\d+)(?:\/(-?\d+))?(?:\s+\[(\d+)\])?[ \t]+$/;
// After the time: [period] [event:] [anything else]
const AFTER_TIME = /^(?:(\d+)\s+)?(?:(\S+):(?=\s|$)\s*)?([^]*)$/;
// perf's event modifiers (`:u`, `:k`, `:ppp`, `:uhH`…), see perf-list(1)
const MODIFIERS = /:[ukhIGHpPSDWeb]+$/;

/**
 * Parses a sample header line; null when the line is not one. A time inside the comm (fields in
 * an order perf never prints) is refused.
 *
 * @example
 * parseHeader("wordfreq 2206/2206 [001] 1969.165950: 1003009 cpu-clock:ppp:");
 * // { comm: "wordfreq", pid: 2206, tid: 2206, time: 1969.16595, period: "1003009", event: "cpu-clock:ppp", rest: "" }
 */
export function parseHeader(text: string): PerfHeader | null {
  // perf ends lines with "\n" (the feeder drops a "\r" before it): a "\r" inside is a file with
  // old Mac line ends, or damage, and never a header
  if (text.includes("\r")) return null;
  const m = WITH_TIME.exec(text);
  if (m) {
    const r = AFTER_TIME.exec(m[6]!)!;
    return header(m[1]!, m[2]!, m[3], Number(m[5]), r[1], r[2], r[3] ?? "");
  }
  const n = NO_TIME.exec(text);
  if (n && !/\d\.\d+:/.test(n[1]!)) return header(n[1]!, n[2]!, n[3], NaN, n[5], n[6], n[7] ?? "");
  const i = IDS_ONLY.exec(text);
  if (i && !/\d\.\d+:/.test(i[1]!)) return header(i[1]!, i[2]!, i[3], NaN, undefined, undefined, "");
  return null;
}

function header(comm: string, pid: string, tid: string | undefined, time: number, period: string | undefined, event: string | undefined, rest: string): PerfHeader {
  // perf's default prints only the tid; the pid is then unknown (-1).
  return tid === undefined
    ? { comm, pid: -1, tid: Number(pid), time, period, event, rest }
    : { comm, pid: Number(pid), tid: Number(tid), time, period, event, rest };
}

/**
 * True when a line could be a sample header: `comm pid[/tid] … :` (a colon followed by a space or
 * the line's end, somewhere after the pid). Linear in the line (the sniffer sees 64 KB heads).
 *
 * @example
 * looksLikeHeader("wordfreq 2206/2206 1969.165950: 1003009 cpu-clock:"); // true
 */
export function looksLikeHeader(line: string): boolean {
  const t = line.trimStart();
  const pid = /\s\d+(?:\/\d+)?\s/.exec(t);
  return pid !== null && /:(?:\s|$)/.test(t.slice(pid.index + pid[0].length));
}

/**
 * The event's name without perf's modifiers: `cpu-clock:ppp` → `cpu-clock`; tracepoints keep
 * their subsystem (`sched:sched_switch`).
 *
 * @example
 * eventBase("cycles:uhH"); // "cycles"
 */
export function eventBase(event: string): string {
  return event.replace(MODIFIERS, "");
}

/**
 * True when the event counts time, so its period is in nanoseconds (`cpu-clock`, `task-clock`,
 * with or without modifiers).
 *
 * @example
 * isClockEvent("task-clock:ppp"); // true
 */
export function isClockEvent(event: string): boolean {
  return /clock$/.test(eventBase(event));
}
