// Format: what the Firefox Profiler formats (gecko and processed) share once a thread is read:
// weight types (`samples`, `tracing-ms`, `bytes`), thread names and ids, samples without a
// stack. Helper of ./firefox.ts.
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile, WeightUnit } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import type { ImportOptions } from "../importer.js";
import { get, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";

/** How one thread's weights are read: the event row and the factor to flamebook's unit. */
export interface ThreadWeights {
  event: number;
  /** Multiplies the file's weights: 1e6 for `tracing-ms` (milliseconds → nanoseconds). */
  scale: number;
}

const UNITS: Record<string, { unit: WeightUnit; scale: number }> = {
  samples: { unit: "samples", scale: 1 },
  "tracing-ms": { unit: "nanoseconds", scale: 1e6 },
  bytes: { unit: "bytes", scale: 1 },
};

/**
 * Collects the threads of a Firefox profile into one {@link ProfileBuilder}: picks the profile's
 * unit from the first thread with samples (threads weighted in another unit are skipped with a
 * warning, since a profile has one unit), counts samples without a stack, and names threads.
 *
 * @example
 * const out = new FirefoxOutput(opts);
 * const w = out.weights(doc, get(samples, "weightType"), [...at, "samples", "weightType"], "GeckoMain");
 * if (w) out.b.sample(stack, out.thread(doc, thread, at), w.event, time, weight * w.scale);
 * const profile = out.finish();
 */
export class FirefoxOutput {
  readonly b: ProfileBuilder;
  readonly clean: boolean;
  /** Samples whose stack is null: skipped, and counted in a warning. */
  nullStacks = 0;
  private unit: WeightUnit | undefined;
  private readonly skipped: string[] = [];
  private readonly unknownTypes = new Set<string>();

  constructor(opts: ImportOptions) {
    this.b = new ProfileBuilder({ format: "firefox", source: opts.source, keepSamples: opts.keepSamples });
    this.clean = opts.cleanNames ?? false;
  }

  /** A function name as flamebook shows it (`cleanNames` strips Rust hashes). */
  name(raw: string): string {
    return this.clean ? cleanRustName(raw) : raw;
  }

  /**
   * How to read the weights of a thread with this `weightType` (absent: "samples"), or null when
   * the thread is weighted in another unit than the threads before it and is skipped.
   */
  weights(doc: JsonDoc, weightType: unknown, path: JsonPath, label: string): ThreadWeights | null {
    const type = weightType === undefined || weightType === null ? "samples" : doc.string(weightType, path);
    let known = Object.hasOwn(UNITS, type) ? UNITS[type] : undefined;
    if (known === undefined) {
      this.unknownTypes.add(type);
      known = { unit: "events", scale: 1 };
    }
    if (this.unit === undefined) {
      this.unit = known.unit;
      this.b.setUnit(known.unit);
    } else if (this.unit !== known.unit) {
      this.skipped.push(`${label} (${type})`);
      return null;
    }
    return { event: this.b.event(type), scale: known.scale };
  }

  /**
   * The builder thread of a Firefox thread object: comm = `name` (else `processName`), and the
   * pid/tid when they are integers or integer strings (processed profiles store pids as strings).
   * `name` replaces the thread's own name (old formats renamed "Content" threads "GeckoMain").
   */
  thread(thread: JsonObject, name?: string): number {
    const text = (v: unknown): string => (typeof v === "string" ? v : "");
    const comm = (name !== undefined && typeof get(thread, "name") === "string" ? name : text(get(thread, "name"))) || text(get(thread, "processName"));
    return this.b.thread(comm, id(get(thread, "pid")), id(get(thread, "tid")));
  }

  /** The profile, with warnings about skipped samples and threads. */
  finish(): Profile {
    if (this.nullStacks > 0) this.b.warn(`firefox: skipped ${this.nullStacks} sample(s) without a stack (null stack index).`);
    if (this.skipped.length > 0) {
      this.b.warn(`firefox: skipped thread(s) weighted in another unit than ${this.unit}: ${this.skipped.join(", ")}.`);
    }
    for (const t of this.unknownTypes) this.b.warn(`firefox: unknown weightType '${t}'; its weights are read as plain event counts.`);
    if (this.b.sampleCount === 0) this.b.warn("firefox: no samples in this profile.");
    return this.b.finish();
  }
}

function id(v: unknown): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === "string" && /^\d{1,15}$/.test(v)) return Number(v);
  return -1;
}
