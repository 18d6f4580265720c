/**
 * Bad input in a profile file: names the format, the file, the line, what was expected and
 * how to fix it. Parsers throw it; nothing else about bad input reaches the user.
 *
 * @example
 * throw new FormatError("perf-script", 48213, "a frame line like '  55d0c1a2 main+0x1f (/path/bin)'", "garbage", {
 *   fix: "The file may be truncated; re-run `perf script -i perf.data > out.txt`.",
 * });
 */
export class FormatError extends Error {
  override readonly name = "FormatError";
  readonly format: string;
  readonly line: number;
  readonly expected: string;
  readonly got: string;
  readonly source: string | undefined;
  readonly fix: string | undefined;

  constructor(format: string, line: number, expected: string, got: string, opts: { source?: string; fix?: string } = {}) {
    super("");
    this.format = format;
    this.line = line;
    this.expected = expected;
    this.got = got;
    this.source = opts.source;
    this.fix = opts.fix;
    this.message = this.describe();
  }

  /** The same error, now naming the file it came from. */
  withSource(source: string): FormatError {
    return new FormatError(this.format, this.line, this.expected, this.got, { source, fix: this.fix });
  }

  private describe(): string {
    const where = this.source ? `${this.source}: ` : "";
    const got = printable(this.got);
    const fix = this.fix ? `\n${this.fix}` : "";
    return `flamebook: ${where}${this.format} line ${this.line}: expected ${this.expected}, got '${got}'.${fix}`;
  }
}

/** Shows at most 80 characters of a bad line, with control and binary bytes escaped. */
function printable(s: string): string {
  const cut = s.length > 80 ? s.slice(0, 80) + "…" : s;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
