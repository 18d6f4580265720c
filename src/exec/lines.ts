import { StringDecoder } from "node:string_decoder";

/**
 * Splits a stream of byte chunks into lines (without the "\n"), calling `onLine` for each.
 * A final line without a newline is delivered by `end()`.
 *
 * @example
 * const s = new LineSplitter((l) => console.log(l)); s.write(Buffer.from("a\nb")); s.end(); // "a", "b"
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";
  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer | string): void {
    const text = this.rest + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(): void {
    const text = this.rest + this.decoder.end();
    this.rest = "";
    if (text.length > 0) this.onLine(text);
  }
}

/** Keeps the last `max` lines (each cut to 2000 characters) for error messages. */
export class TailBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}
  push(line: string): void {
    this.lines.push(line.length > 2000 ? line.slice(0, 2000) + "…" : line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  toString(): string {
    return this.lines.join("\n");
  }
}
