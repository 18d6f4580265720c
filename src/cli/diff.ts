import { mkdir } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { functionTotals } from "../fold/function-totals.js";
import { eventIndex } from "../model/event-index.js";
import type { Profile, WeightUnit } from "../model/profile.js";
import { diffFlamegraph } from "../table/flamegraph.js";
import { openCliProfile } from "./open.js";

/** Options of `flamebook diff`. Every option documents its default. */
export interface DiffCommandOptions {
  /** Where to write the page. Default: `diff.html` in the current directory. */
  output?: string;
  /** Page title. Default: "<before file> → <after file>". */
  title?: string;
  /**
   * "proportional" (`--normalize`): colours and the printed changes compare shares of each
   * profile's whole, so runs of different lengths compare; "absolute" (`--absolute`): colours
   * compare weights as recorded. Default: "proportional".
   */
  mode?: "proportional" | "absolute";
  /** Input format of both files by name. Default: sniffed from each file's content. */
  format?: string;
  /** How many grown and shrunk functions to list. Default: 5. */
  top?: number;
  /** Gets each warning of either profile (stray lines, nameless frames…). Default: none. */
  onWarning?: (warning: string) => void;
}

/**
 * One function's inclusive weight on both sides: a share of the whole (fractions: 0.2 = 20%), or
 * with `absolute` the weight itself, in the profiles' unit.
 */
export interface FrameChange {
  name: string;
  before: number;
  after: number;
  /** after − before (a fraction: multiply by 100 for percentage points; or in the profiles' unit). */
  delta: number;
}

/** What `flamebook diff` did: the page, the biggest changes and the printed report. */
export interface DiffCommandResult {
  /** Absolute path of the page. */
  path: string;
  grew: FrameChange[];
  shrank: FrameChange[];
  /** The report to print; the page's path is its last line. */
  text: string;
}

/** Units that count samples (or their sampled time), so shares of them compare across formats. */
const SAMPLED: readonly WeightUnit[] = ["samples", "nanoseconds", "events"];

/**
 * `flamebook diff <before> <after>`: opens two profiles of any format flamebook reads (perf.data
 * through `perf script`), writes the diff flamegraph page (after's shape; frames that vanished
 * keep their before width, new frames are marked) and reports the 5 functions whose inclusive share of the samples grew most and the
 * 5 that shrank most, in percentage points. Two sampled profiles in different units (folded
 * sample counts against perf's cpu-clock nanoseconds) are compared as sample counts, with a note.
 * An unreadable file gives an error that names it.
 *
 * @example
 * const r = await diffCommand("before.folded", "after.perf.txt", { output: "diff.html" });
 * console.log(r.text); // "grew (inclusive share of samples; Δ in percentage points): …"
 */
export async function diffCommand(beforeFile: string, afterFile: string, opts: DiffCommandOptions = {}): Promise<DiffCommandResult> {
  const mode = opts.mode ?? "proportional";
  let before = await open(beforeFile, "before", opts.format);
  let after = await open(afterFile, "after", opts.format);
  for (const w of [...before.warnings, ...after.warnings]) opts.onWarning?.(w);
  const notes: string[] = [];
  if (before.unit !== after.unit) {
    if (mode === "absolute") {
      throw new Error(
        `flamebook diff: ${beforeFile} counts ${before.unit} and ${afterFile} counts ${after.unit}: an absolute diff needs the same unit. Use --normalize, or record both the same way.`,
      );
    }
    if (!SAMPLED.includes(before.unit) || !SAMPLED.includes(after.unit)) {
      throw new Error(
        `flamebook diff: ${beforeFile} counts ${before.unit} and ${afterFile} counts ${after.unit}: exact counts and samples do not compare. Record both the same way.`,
      );
    }
    const convert = (p: Profile, file: string, other: string): Profile => {
      if (p.unit === "samples") return p;
      notes.push(`note: ${file} weighs its samples in ${p.unit}, ${other} does not: its weights were turned into sample counts (weight ÷ mean weight).`);
      return asSampleCounts(p);
    };
    before = convert(before, beforeFile, afterFile);
    after = convert(after, afterFile, beforeFile);
  }

  const baseLabel = basename(beforeFile);
  const label = basename(afterFile);
  const title = opts.title ?? `${baseLabel} → ${label}`;
  const output = resolve(opts.output ?? "diff.html");
  await mkdir(dirname(output), { recursive: true });
  const path = await diffFlamegraph(before, after, { title, base: baseLabel, other: label, diffMode: mode }).save(output, { title });

  const changes = frameChanges(before, after, { absolute: mode === "absolute" });
  const n = opts.top ?? 5;
  const grew = changes.filter((c) => c.delta > 0).sort((a, b) => b.delta - a.delta || cmp(a.name, b.name)).slice(0, n);
  const shrank = changes.filter((c) => c.delta < 0).sort((a, b) => a.delta - b.delta || cmp(a.name, b.name)).slice(0, n);
  const unit = after.unit;
  const text = [
    `── flamebook diff: ${title}`,
    ...notes,
    mode === "absolute"
      ? `grew (inclusive ${unit === "nanoseconds" ? "time" : unit}, as recorded; Δ in ${absoluteUnit(unit)}):`
      : `grew (inclusive share of ${unit === "nanoseconds" ? "samples" : unit}; Δ in percentage points):`,
    changeTable(grew, mode === "absolute" ? unit : undefined),
    `shrank:`,
    changeTable(shrank, mode === "absolute" ? unit : undefined),
    path,
  ].join("\n");
  return { path, grew, shrank, text };
}

/**
 * Every function's inclusive share of the whole on both sides (first event of each), by name, or
 * with `absolute` its inclusive weight as recorded; functions on one side only have 0 on the other.
 *
 * @example
 * frameChanges(before, after).find((c) => c.name === "to_string"); // { before: 0.6, after: 0, delta: -0.6 }
 * frameChanges(before, after, { absolute: true }).find((c) => c.name === "to_string"); // { before: 6.1e8, after: 0, delta: -6.1e8 } (ns)
 */
export function frameChanges(before: Profile, after: Profile, opts: { event?: string; absolute?: boolean } = {}): FrameChange[] {
  const shares = (p: Profile) => {
    const e = eventIndex(p, opts.event);
    const rows = functionTotals(p, { event: e });
    if (opts.absolute) return new Map(rows.map((r) => [r.name, r.total]));
    let all = 0;
    for (let i = 0; i < p.samples.weight.length; i++) if (p.samples.event[i] === e) all += p.samples.weight[i]!;
    return new Map(rows.map((r) => [r.name, all > 0 ? r.total / all : 0]));
  };
  const b = shares(before);
  const a = shares(after);
  const names = new Set([...b.keys(), ...a.keys()]);
  return [...names].map((name) => {
    const x = b.get(name) ?? 0;
    const y = a.get(name) ?? 0;
    return { name, before: x, after: y, delta: y - x };
  });
}

/**
 * The same profile with every sample's weight divided by the mean weight of its event, in unit
 * "samples": perf's cpu-clock periods (nanoseconds) become sample counts, so the profile
 * compares with folded stacks or other sample counts.
 *
 * @example
 * asSampleCounts(perfProfile).unit; // "samples"
 */
export function asSampleCounts(p: Profile): Profile {
  const { event, weight } = p.samples;
  const sum = new Float64Array(Math.max(1, p.events.length));
  const count = new Float64Array(sum.length);
  for (let i = 0; i < weight.length; i++) {
    sum[event[i]!]! += weight[i]!;
    count[event[i]!]! += 1;
  }
  const scaled = weight.map((w, i) => {
    const e = event[i]!;
    return sum[e]! > 0 ? (w * count[e]!) / sum[e]! : 0;
  });
  return { ...p, unit: "samples", samples: { ...p.samples, weight: scaled } };
}

async function open(file: string, side: string, format: string | undefined): Promise<Profile> {
  try {
    return await openCliProfile(file, format);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes(file)) throw e;
    throw new Error(`flamebook diff: cannot read the ${side} profile ${file}: ${message.replace(/^flamebook: /, "")}`);
  }
}

/** The unit the absolute table prints a profile's weights in. */
function absoluteUnit(unit: WeightUnit): string {
  return unit === "nanoseconds" ? "ms" : unit;
}

/** The table of changes: shares in % and Δ in percentage points, or, given the unit, absolute weights. */
function changeTable(rows: readonly FrameChange[], absolute?: WeightUnit): string {
  if (rows.length === 0) return "  (none)";
  const value = absolute === undefined ? (v: number) => `${(100 * v).toFixed(1)}%` : (v: number) => formatAbsolute(v, absolute);
  const delta = absolute === undefined ? (v: number) => (100 * v).toFixed(1) : (v: number) => formatAbsolute(v, absolute);
  const cells = rows.map((r) => [value(r.before), value(r.after), `${r.delta > 0 ? "+" : ""}${delta(r.delta)}`]);
  const width = Math.max(7, ...cells.flat().map((c) => c.length));
  const head = absolute === undefined ? "Δ pp" : `Δ ${absoluteUnit(absolute)}`;
  const lines = [`  ${"before".padStart(width)} ${"after".padStart(width)} ${head.padStart(width)}  function`];
  rows.forEach((r, i) => {
    const mark = r.before === 0 ? " (new)" : r.after === 0 ? " (vanished)" : "";
    const name = r.name.length > 110 ? `${r.name.slice(0, 109)}…` : r.name;
    lines.push(`  ${cells[i]!.map((c) => c.padStart(width)).join(" ")}  ${name}${mark}`);
  });
  return lines.join("\n");
}

/** A weight in its unit: nanoseconds as ms with one decimal, counts as whole numbers with thousands separators. */
function formatAbsolute(v: number, unit: WeightUnit): string {
  if (unit === "nanoseconds") return (v / 1e6).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return Math.round(v).toLocaleString("en-US");
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
