/** One counter line of `perf stat -x,` output. */
export interface PerfStatLine {
  /** The event as perf printed it (the name given with -e, maybe with a `:u` modifier). */
  event: string;
  /** The counter value as printed (task-clock in msec, the `*_time` tool events in ns), or null. */
  value: number | null;
  /** The unit column: "msec", "ns" or "" (a count). */
  unit: string;
  /** "ok", or why there is no value: perf cannot open it here, or it never ran (a zero tool event). */
  status: "ok" | "not-supported" | "not-counted";
}

/**
 * Reads the CSV that `perf stat -x,` writes (to `-o file` or stderr): one line per counter,
 * `value,unit,event,run time,run %,metric,metric unit`; `#` comment lines and blank lines are
 * skipped. An event name may itself contain commas (`cpu/event=0x3c,umask=0/`): it is
 * everything between the unit and the last four fields.
 *
 * @example
 * parsePerfStatCsv("296.19,msec,task-clock,296194202,100.00,0.692,CPUs utilized\n<not supported>,,cycles,0,100.00,,");
 * // [{ event: "task-clock", value: 296.19, unit: "msec", status: "ok" }, { event: "cycles", value: null, unit: "", status: "not-supported" }]
 */
export function parsePerfStatCsv(text: string): PerfStatLine[] {
  const out: PerfStatLine[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split(",");
    if (f.length < 3) continue;
    const event = f.length >= 7 ? f.slice(2, f.length - 4).join(",") : f[2]!;
    const v = f[0]!.trim();
    const status = v === "<not supported>" ? "not-supported" : v === "<not counted>" ? "not-counted" : "ok";
    const n = status === "ok" ? Number(v) : NaN;
    if (status === "ok" && !Number.isFinite(n)) continue; // not a counter line
    out.push({ event, value: status === "ok" ? n : null, unit: f[1]!.trim(), status });
  }
  return out;
}

/**
 * The line of `event` among parsed lines: the exact name, or the name with a modifier perf added
 * (`task-clock:u` when perf fell back to user space only).
 *
 * @example
 * findPerfStatLine(parsePerfStatCsv(csv), "task-clock")?.value; // 296.19
 */
export function findPerfStatLine(lines: readonly PerfStatLine[], event: string): PerfStatLine | undefined {
  return lines.find((l) => l.event === event) ?? lines.find((l) => l.event.startsWith(`${event}:`));
}
