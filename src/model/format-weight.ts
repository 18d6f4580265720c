// A weight as text, in its unit: the one format the widget (tooltips, toolbar), the static SVG
// and the text summary share. Pure, imports only a type: widgets/ may import it
// (test/widgets/core/bundle.test.ts lists it).
import type { WeightUnit } from "./profile.js";

/** `v` with three significant digits in the largest of `units` (each `step` times the previous) it reaches. */
function scaled(v: number, units: readonly string[], step: number): string {
  if (!Number.isFinite(v)) return `${v}${units[0]}`;
  let x = Math.abs(v);
  let u = 0;
  while (u < units.length - 1 && Number(x.toPrecision(3)) >= step) {
    x /= step;
    u++;
  }
  const digits = (u === 0 && Number.isInteger(x)) || x >= 1000 ? String(Math.round(x)) : x.toPrecision(3);
  return `${v < 0 ? "-" : ""}${digits}${units[u]}`;
}

/**
 * An integer with thousands separators (locale-independent): commas by default, or the given
 * separator and minus sign.
 *
 * @example
 * groupDigits(1234567);              // "1,234,567"
 * groupDigits(-40012, " ", "−");     // "−40 012"
 */
export function groupDigits(n: number, separator = ",", minus = "-"): string {
  const s = String(Math.round(Math.abs(n)));
  const head = s.length % 3 || 3;
  const groups = [s.slice(0, head)];
  for (let i = head; i < s.length; i += 3) groups.push(s.slice(i, i + 3));
  return (n < 0 ? minus : "") + groups.join(separator);
}

/** Options of {@link formatWeight}. Every option documents its default. */
export interface FormatWeightOptions {
  /** Say "samples" after a sample count ("1,234 samples"); false gives the bare count. Default: true. */
  samplesWord?: boolean;
}

/**
 * A weight in its unit, three significant digits: nanoseconds as ns/µs/ms/s, bytes as
 * B/KiB/MiB/GiB, samples as a count, instructions and other events with an SI prefix and the
 * event name (callgrind's "1.23 G Ir").
 *
 * @example
 * formatWeight(60180540, "nanoseconds", "cpu-clock");                   // "60.2 ms"
 * formatWeight(1234567890, "instructions", "Ir");                       // "1.23 G Ir"
 * formatWeight(1234, "samples", "cpu-clock");                           // "1,234 samples"
 * formatWeight(1234, "samples", "cpu-clock", { samplesWord: false });   // "1,234"
 */
export function formatWeight(v: number, unit: WeightUnit, event: string, opts: FormatWeightOptions = {}): string {
  switch (unit) {
    case "nanoseconds":
      return scaled(v, [" ns", " µs", " ms", " s"], 1000);
    case "bytes":
      return scaled(v, [" B", " KiB", " MiB", " GiB", " TiB"], 1024);
    case "samples":
      return (opts.samplesWord ?? true) ? `${groupDigits(v)} ${Math.abs(v) === 1 ? "sample" : "samples"}` : groupDigits(v);
    default:
      return `${scaled(v, [" ", " k ", " M ", " G ", " T "], 1000)}${event || "events"}`;
  }
}
