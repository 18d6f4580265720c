/** A rendered rustc/cargo diagnostic starts with `error:`, `error[E0308]:`, `warning:` … at column 0. */
const HEADER = /^(error|warning)(\[[A-Za-z0-9]+\])?:/;

/**
 * Shortens cargo's rendered stderr to at most `max` lines for an error message. Short output is
 * kept whole; longer output first loses its warning diagnostics (errors matter), then its middle.
 *
 * @example
 * summariseDiagnostics(["error[E0308]: mismatched types", " --> src/main.rs:2:18"], 200);
 * // "error[E0308]: mismatched types\n --> src/main.rs:2:18"
 */
export function summariseDiagnostics(lines: readonly string[], max = 200): string {
  if (lines.length <= max) return lines.join("\n");
  const kept: string[] = [];
  let droppedWarnings = 0;
  let inWarning = false;
  for (const line of lines) {
    const h = HEADER.exec(line);
    if (h) {
      // "warning: `x` (bin "x") generated 3 warnings" is a summary line, not a diagnostic; keep it.
      inWarning = h[1] === "warning" && !/generated \d+ warnings?/.test(line);
      if (inWarning) droppedWarnings++;
    } else if (/^\s+(Compiling|Checking|Finished|Fresh|Running|Building)\b/.test(line)) inWarning = false;
    if (!inWarning) kept.push(line);
  }
  const note = droppedWarnings > 0 ? [`(${droppedWarnings} warning diagnostics omitted)`] : [];
  if (kept.length + note.length <= max) return [...kept, ...note].join("\n");
  const tailN = Math.min(40, Math.floor(max / 4));
  const headN = max - tailN - 1 - note.length;
  const omitted = kept.length - headN - tailN;
  return [...kept.slice(0, headN), `… ${omitted} lines omitted …`, ...kept.slice(-tailN), ...note].join("\n");
}

/**
 * Collects stderr lines up to a memory bound (the first `limit` lines are kept, and a count of
 * the rest), for {@link summariseDiagnostics}.
 *
 * @example
 * const c = new LineCollector(); c.push("error: x"); c.lines; // ["error: x"]
 */
export class LineCollector {
  readonly lines: string[] = [];
  dropped = 0;
  constructor(private readonly limit = 20_000) {}
  push(line: string): void {
    if (this.lines.length < this.limit) this.lines.push(line.length > 4000 ? line.slice(0, 4000) + "…" : line);
    else this.dropped++;
  }
}
