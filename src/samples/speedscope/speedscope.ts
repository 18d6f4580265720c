// Format: the speedscope file format, https://www.speedscope.app/file-format-schema.json
// (spec: jlfwong/speedscope src/lib/file-format-spec.ts): `shared.frames` [{name, file, line, col}]
// and `profiles`, each "sampled" (`samples`: frame-index stacks root first, `weights`) or
// "evented" (`events`: {type "O" | "C", at, frame}, properly nested), with a `unit`
// ("none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes").
// flamebook adds an optional `flamebook` object to profiles (comm, pid, tid, event, unit) and
// frames (module, inlined, kind) so its own exports read back exactly; other readers ignore it.
import { constants } from "node:buffer";
import { frameKind } from "../../model/frame-kind.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { FrameKind, Profile, WeightUnit } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import type { ImportOptions, Importer } from "../importer.js";
import { get, readJson, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";
import { profileOf, type ProfileLike } from "../../model/profile-like.js";

const SCHEMA = "https://www.speedscope.app/file-format-schema.json";
const FORMAT = "speedscope";
const FIX = "Export the profile again from speedscope (Export button), or write it with flamebook's toSpeedscope().";
const WEIGHT_UNITS: readonly WeightUnit[] = ["samples", "nanoseconds", "instructions", "bytes", "events"];
const KINDS: readonly FrameKind[] = ["rust", "c", "kernel", "unknown"];

/** Speedscope units: flamebook's unit, the factor to it, and whether values are times. */
const UNITS: Readonly<Record<string, { unit: WeightUnit; scale: number; time: boolean }>> = {
  none: { unit: "samples", scale: 1, time: false },
  nanoseconds: { unit: "nanoseconds", scale: 1, time: true },
  microseconds: { unit: "nanoseconds", scale: 1e3, time: true },
  milliseconds: { unit: "nanoseconds", scale: 1e6, time: true },
  seconds: { unit: "nanoseconds", scale: 1e9, time: true },
  bytes: { unit: "bytes", scale: 1, time: false },
};

/** flamebook's unit as a speedscope unit: counts without a speedscope unit become "none". */
const SPEEDSCOPE_UNIT: Readonly<Record<WeightUnit, string>> = {
  samples: "none",
  nanoseconds: "nanoseconds",
  instructions: "none",
  bytes: "bytes",
  events: "none",
};

/** The thread, event and unit flamebook writes into each profile it exports. */
interface ProfileExtension {
  comm: string;
  pid: number;
  tid: number;
  event: string;
  unit: WeightUnit;
}

/**
 * Reads a speedscope file: one flamebook thread per profile (comm = profile name), sampled
 * profiles as they are, evented ones as one sample per interval between events, weighted by
 * its length and carrying the open stack. Time units become nanoseconds, "none" counts samples.
 * Profiles in another unit than the first are skipped with a warning (a profile has one unit).
 * Unbalanced or badly nested events, dangling frame indices and bad weights are FormatErrors.
 *
 * @example
 * const profile = speedscope.decode(readFileSync("profile.speedscope.json"));
 * toFolded(profile); // ["main;a;b 12", …]
 */
export const speedscope: Importer & { decode(bytes: Uint8Array, opts?: ImportOptions): Profile } = {
  name: FORMAT,
  extensions: [".speedscope.json", ".json"],
  sniff: (head) =>
    /"\$schema"\s*:\s*"https:\/\/www\.speedscope\.app\/file-format-schema\.json"/.test(head) ||
    (/"shared"\s*:\s*\{\s*"frames"\s*:/.test(head) && /"profiles"\s*:\s*\[/.test(head)),
  decode(bytes, opts = {}) {
    const doc = readJson(bytes, FORMAT, { source: opts.source, fix: FIX });
    return new SpeedscopeReader(doc, opts).read();
  },
};

class SpeedscopeReader {
  private readonly b: ProfileBuilder;
  private readonly clean: boolean;
  private frames: readonly unknown[] = [];
  private frameIds = new Int32Array(0);
  private unit: WeightUnit | undefined;
  private readonly skipped: string[] = [];
  private readonly names = new Set<string>();

  constructor(
    private readonly doc: JsonDoc,
    opts: ImportOptions,
  ) {
    this.b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples });
    this.clean = opts.cleanNames ?? false;
  }

  read(): Profile {
    const doc: JsonDoc = this.doc;
    const root = doc.object(doc.value, [], "a speedscope file (an object with shared.frames and profiles)");
    const schema = get(root, "$schema");
    if (schema !== undefined && schema !== SCHEMA) doc.fail(["$schema"], JSON.stringify(SCHEMA), schema);
    const shared = doc.object(get(root, "shared"), ["shared"]);
    this.frames = doc.array(get(shared, "frames"), ["shared", "frames"]);
    this.frameIds = new Int32Array(this.frames.length).fill(-1);
    const profiles = doc.array(get(root, "profiles"), ["profiles"]);
    for (let p = 0; p < profiles.length; p++) this.profile(doc.object(profiles[p], ["profiles", p]), ["profiles", p], p);
    if (this.skipped.length > 0) this.b.warn(`speedscope: skipped profile(s) in another unit than ${this.unit}: ${this.skipped.join(", ")}.`);
    if (this.b.sampleCount === 0) this.b.warn("speedscope: no samples in this file.");
    return this.b.finish();
  }

  private profile(profile: JsonObject, at: JsonPath, p: number): void {
    const doc: JsonDoc = this.doc;
    const b = this.b;
    const type = get(profile, "type");
    if (type !== "sampled" && type !== "evented") doc.fail([...at, "type"], `"sampled" or "evented"`, type);
    const name = doc.string(get(profile, "name"), [...at, "name"], `profile ${p}`);
    const unitName = doc.string(get(profile, "unit"), [...at, "unit"], "none");
    if (!Object.hasOwn(UNITS, unitName)) doc.fail([...at, "unit"], `one of ${Object.keys(UNITS).join(", ")}`, unitName);
    const unit = UNITS[unitName]!;
    for (const key of ["startValue", "endValue"]) doc.number(get(profile, key), [...at, key], 0);
    const ext = extension(get(profile, "flamebook"), unit.unit);
    const flamebookUnit = ext?.unit ?? unit.unit;
    const items = type === "sampled" ? "samples" : "events";
    const list = doc.array(get(profile, items), [...at, items]);
    if (list.length > 0) {
      if (this.unit === undefined) b.setUnit((this.unit = flamebookUnit));
      else if (this.unit !== flamebookUnit) {
        this.skipped.push(`${JSON.stringify(name)} (${unitName})`);
        return;
      }
    }
    const thread = ext ? b.thread(ext.comm, ext.pid, ext.tid) : b.thread(this.uniqueName(name, p), -1, -1);
    const event = b.event(ext?.event ?? "samples");
    if (type === "sampled") this.sampled(profile, at, list, thread, event, unit.scale);
    else this.evented(at, list, thread, event, unit);
  }

  /** Profile names become thread names; a repeated name gets its profile index so threads stay apart. */
  private uniqueName(name: string, p: number): string {
    const unique = this.names.has(name) ? `${name} #${p}` : name;
    this.names.add(unique);
    return unique;
  }

  private sampled(profile: JsonObject, at: JsonPath, samples: readonly unknown[], thread: number, event: number, scale: number): void {
    const doc: JsonDoc = this.doc;
    const b = this.b;
    const weights = doc.array(get(profile, "weights"), [...at, "weights"]);
    if (weights.length !== samples.length) doc.fail([...at, "weights"], `an array as long as samples (${samples.length} items)`, weights);
    for (let i = 0; i < samples.length; i++) {
      const stack = samples[i];
      if (!Array.isArray(stack)) doc.fail([...at, "samples", i], "a stack (an array of frame indices, root first)", stack);
      let s = -1;
      for (let j = 0; j < stack.length; j++) s = b.stack(s, this.frame(stack[j], [...at, "samples", i, j]));
      const w: unknown = weights[i];
      if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(w * scale)) doc.fail([...at, "weights", i], "a finite, non-negative weight", w);
      b.sample(s, thread, event, NaN, w * scale);
    }
  }

  private evented(at: JsonPath, events: readonly unknown[], thread: number, event: number, unit: { scale: number; time: boolean }): void {
    const doc: JsonDoc = this.doc;
    const b = this.b;
    const openFrames: number[] = [];
    const openStacks: number[] = [];
    let last = -Infinity;
    for (let k = 0; k < events.length; k++) {
      const e = doc.object(events[k], [...at, "events", k]);
      const type = get(e, "type");
      if (type !== "O" && type !== "C") doc.fail([...at, "events", k, "type"], `"O" (open) or "C" (close)`, type);
      const time = get(e, "at");
      if (typeof time !== "number" || !Number.isFinite(time)) doc.fail([...at, "events", k, "at"], "a finite time", time);
      if (time < last) doc.fail([...at, "events", k, "at"], `a time at or after the previous event's (${last}); events must be sorted`, time);
      const f = this.frameIndex(get(e, "frame"), [...at, "events", k, "frame"]);
      if (time > last && openStacks.length > 0) {
        const weight = (time - last) * unit.scale;
        const seconds = unit.time ? (last * unit.scale) / 1e9 : NaN;
        if (!Number.isFinite(weight) || !(Number.isFinite(seconds) || !unit.time)) {
          doc.fail([...at, "events", k, "at"], "a time whose distance to the previous event is a finite number of nanoseconds", time);
        }
        b.sample(openStacks.at(-1)!, thread, event, seconds, weight);
      }
      last = time;
      if (type === "O") {
        openStacks.push(b.stack(openStacks.at(-1) ?? -1, this.frameId(f)));
        openFrames.push(f);
      } else if (openFrames.length === 0) {
        doc.fail([...at, "events", k], "a close event after the open event of its frame (no frame is open here)", e);
      } else if (openFrames.at(-1) !== f) {
        doc.fail([...at, "events", k, "frame"], `frame ${openFrames.at(-1)} (${this.frameName(openFrames.at(-1)!)}), the innermost open frame; events must nest`, f);
      } else {
        openFrames.pop();
        openStacks.pop();
      }
    }
    if (openFrames.length > 0) {
      const names = openFrames.slice(-3).map((f) => this.frameName(f));
      doc.fail([...at, "events"], `balanced open and close events, but ${openFrames.length} frame(s) are still open at the end (innermost: ${names.join(" → ")})`, events);
    }
  }

  private frameIndex(v: unknown, path: JsonPath): number {
    return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < this.frames.length ? v : this.doc.index(v, path, this.frames.length, "shared.frames");
  }

  private frame(v: unknown, path: JsonPath): number {
    return this.frameId(this.frameIndex(v, path));
  }

  private frameName(f: number): string {
    const frame = this.frames[f];
    const name = typeof frame === "object" && frame !== null ? get(frame as JsonObject, "name") : undefined;
    return typeof name === "string" ? name : `#${f}`;
  }

  /** The builder frame of shared.frames[f], validated on first use. */
  private frameId(f: number): number {
    const known = this.frameIds[f]!;
    if (known >= 0) return known;
    const doc: JsonDoc = this.doc;
    const at = ["shared", "frames", f];
    const frame = doc.object(this.frames[f], at);
    const name = doc.string(get(frame, "name"), [...at, "name"]);
    const file = doc.string(get(frame, "file"), [...at, "file"], "");
    const line = doc.lineNumber(get(frame, "line"), [...at, "line"]);
    const ext = get(frame, "flamebook");
    let module = "";
    let inlined = false;
    let kind: FrameKind | undefined;
    if (typeof ext === "object" && ext !== null && !Array.isArray(ext)) {
      const m = get(ext as JsonObject, "module");
      if (typeof m === "string") module = m;
      inlined = get(ext as JsonObject, "inlined") === true;
      const k = get(ext as JsonObject, "kind");
      if (typeof k === "string" && (KINDS as readonly string[]).includes(k)) kind = k as FrameKind;
    }
    const id = this.b.frame(this.clean ? cleanRustName(name) : name, module, { file: file || null, line, inlined, kind });
    this.frameIds[f] = id;
    return id;
  }
}

/** The `flamebook` object of a profile, when it is well-formed and fits the speedscope unit. */
function extension(v: unknown, unit: WeightUnit): ProfileExtension | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const o = v as JsonObject;
  const comm = get(o, "comm");
  const pid = get(o, "pid");
  const tid = get(o, "tid");
  const event = get(o, "event");
  const extUnit = get(o, "unit");
  const int = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= -1;
  if (typeof comm !== "string" || !int(pid) || !int(tid) || typeof event !== "string") return undefined;
  const fits = typeof extUnit === "string" && (WEIGHT_UNITS as readonly string[]).includes(extUnit) && UNITS[SPEEDSCOPE_UNIT[extUnit as WeightUnit]]!.unit === unit;
  return { comm, pid, tid, event, unit: fits ? (extUnit as WeightUnit) : unit };
}

/** Options of {@link toSpeedscope}. */
export interface SpeedscopeOptions {
  /** The file's `name`, shown in speedscope's title. Default: the profile's source, else "flamebook profile". */
  name?: string;
  /**
   * One sample per distinct stack (per thread and event) instead of the samples in time order.
   * Much smaller for long recordings, and what makes very large profiles fit in one file; the
   * Left Heavy and Sandwich views are unchanged, the Time Order view loses its meaning.
   * Default: false (time order, runs of one stack merged).
   */
  aggregate?: boolean;
}

/**
 * Writes a profile as a speedscope file: one sampled profile per thread and event (samples in
 * file order, runs of the same stack merged), frames shared, the unit mapped (nanoseconds →
 * "nanoseconds", bytes → "bytes", counts → "none"), `exporter: "flamebook"`. Open it at
 * https://www.speedscope.app; {@link speedscope}.decode reads it back with the same stacks,
 * weights, threads, modules and inlined marks.
 *
 * @example
 * writeFileSync("wordfreq.speedscope.json", toSpeedscope(profile, { name: "wordfreq" }));
 */
export function toSpeedscope(input: ProfileLike, opts: SpeedscopeOptions = {}): string {
  const profile = profileOf(input);
  const { frames, stacks, samples, threads, events } = profile;
  const out: Record<string, unknown>[] = [];
  const frameIndex = new Int32Array(frames.name.length).fill(-1);
  const shared = (f: number): number => {
    if (frameIndex[f]! < 0) {
      const frame: Record<string, unknown> = { name: frames.name[f] };
      if (frames.file[f] != null) frame.file = frames.file[f];
      if (frames.line[f] != null) frame.line = frames.line[f];
      const ext: Record<string, unknown> = {};
      if (frames.module[f]) ext.module = frames.module[f];
      if (frames.inlined[f]) ext.inlined = true;
      if (frames.kind[f] !== frameKind(frames.name[f]!, frames.module[f]!)) ext.kind = frames.kind[f];
      if (Object.keys(ext).length > 0) frame.flamebook = ext;
      frameIndex[f] = out.push(frame) - 1;
    }
    return frameIndex[f]!;
  };
  const paths = new Map<number, number[]>();
  const pathOf = (s: number): number[] => {
    let path = paths.get(s);
    if (path === undefined) {
      path = [];
      for (let t = s; t >= 0; t = stacks.parent[t]!) path.push(stacks.frame[t]!);
      path.reverse();
      for (let k = 0; k < path.length; k++) path[k] = shared(path[k]!);
      paths.set(s, path);
    }
    return path;
  };

  interface Group { event: number; thread: number; samples: number[][]; weights: number[]; last: number; total: number; at: Map<number, number> }
  const groups = new Map<number, Group>();
  for (let i = 0; i < samples.stack.length; i++) {
    const key = samples.event[i]! * threads.length + samples.thread[i]!;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { event: samples.event[i]!, thread: samples.thread[i]!, samples: [], weights: [], last: -2, total: 0, at: new Map() }));
    const s = samples.stack[i]!;
    const w = samples.weight[i]!;
    g.total += w;
    const at = opts.aggregate ? g.at.get(s) : s === g.last ? g.weights.length - 1 : undefined;
    if (at !== undefined) g.weights[at]! += w;
    else {
      if (opts.aggregate) g.at.set(s, g.weights.length);
      g.samples.push(pathOf(s));
      g.weights.push(w);
      g.last = s;
    }
  }
  const unit = SPEEDSCOPE_UNIT[profile.unit];
  const ordered = [...groups.values()].sort((a, b) => a.event - b.event || a.thread - b.thread);
  const profiles = ordered.map((g) => {
    const t = threads[g.thread]!;
    const event = events[g.event] ?? "samples";
    const ids = t.pid >= 0 || t.tid >= 0 ? ` (${t.pid >= 0 ? t.pid : "?"}/${t.tid >= 0 ? t.tid : "?"})` : "";
    const ext: ProfileExtension = { comm: t.comm, pid: t.pid, tid: t.tid, event, unit: profile.unit };
    return {
      type: "sampled",
      name: `${t.comm || "thread"}${ids}${events.length > 1 ? ` [${event}]` : ""}`,
      unit,
      startValue: 0,
      endValue: g.total,
      samples: g.samples,
      weights: g.weights,
      flamebook: ext,
    };
  });
  const file = { $schema: SCHEMA, exporter: "flamebook", name: opts.name ?? profile.source ?? "flamebook profile", activeProfileIndex: 0, shared: { frames: out }, profiles };
  try {
    return JSON.stringify(file);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const advice = opts.aggregate ? "Export a part of it (one thread, or a focused tree)." : "Pass { aggregate: true } to write one sample per distinct stack.";
    throw new Error(`flamebook: this profile is too large for one speedscope file (the JSON would pass the ${constants.MAX_STRING_LENGTH}-character string limit). ${advice}`);
  }
}
