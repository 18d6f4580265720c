/** What `perf record` said on stderr about the recording. */
export interface PerfRecordReport {
  /** From "[ perf record: Captured and wrote 20.596 MB perf.data (2558 samples) ]". */
  samples: number | null;
  megabytes: number | null;
  /** Lost chunks/events/samples reported by perf (0 when none were reported). */
  lost: number;
}

/**
 * Reads the summary `perf record` prints on stderr: sample count, size and lost data
 * ("Processed N events and lost M chunks!", "N samples lost"). perf leaves the count out when it
 * caught no sample at all (a program that ended within a sampling period): that is 0 samples,
 * not a failure.
 *
 * @example
 * parsePerfRecordStderr("[ perf record: Captured and wrote 1.5 MB perf.data (812 samples) ]"); // { samples: 812, megabytes: 1.5, lost: 0 }
 * parsePerfRecordStderr("[ perf record: Captured and wrote 0.005 MB perf.data ]").samples;   // 0
 */
export function parsePerfRecordStderr(stderr: string): PerfRecordReport {
  const cap = /Captured and wrote ([\d.]+) MB [^\n]*?(?:\((\d+) samples\))?\s*\]/.exec(stderr);
  let lost = 0;
  for (const m of stderr.matchAll(/lost (\d+) (?:chunks|events|samples)|(\d+) (?:samples|events|chunks) lost/gi)) {
    lost += Number(m[1] ?? m[2]);
  }
  return { samples: cap ? Number(cap[2] ?? 0) : null, megabytes: cap ? Number(cap[1]) : null, lost };
}
