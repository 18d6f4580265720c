// Format: the Firefox Profiler "processed" profile format, version 56 exactly
// (`meta.preprocessedProfileVersion` 56; firefox-devtools/profiler src/types/profile.ts and the
// upgraders in src/profile-logic/processed-profile-versioning.ts): strings in
// `shared.stringArray`, `libs` at the top, and per thread the column tables samples {stack, time,
// weight, weightType}, stackTable {frame, prefix}, frameTable {func, inlineDepth, line, address,
// nativeSymbol, category, subcategory, innerWindowID, column}, funcTable {name, resource, fileName,
// lineNumber, …}, resourceTable {lib, name, host, type}, nativeSymbols. Version 56 is an older
// layout on purpose: profiler.firefox.com upgrades it (upgraders 57–70) and any profiler build
// since 2024 opens it; flamebook reads it back with ./processed.ts like every version 0–70.
import type { Profile } from "../../model/profile.js";
import { eventIndex } from "../../model/event-index.js";
import { profileOf, type ProfileLike } from "../../model/profile-like.js";

/** Options of {@link toFirefox}. */
export interface FirefoxExportOptions {
  /** Which event to write (a Firefox profile has one weight per sample). Default: the profile's first event. */
  event?: string;
  /** `meta.product`, shown as the profile's name. Default: the profile's source, else "flamebook profile". */
  product?: string;
}

/** How flamebook's units map to Firefox weight types, and the factor applied to each weight. */
const WEIGHT: Record<Profile["unit"], { type: string; scale: number }> = {
  nanoseconds: { type: "tracing-ms", scale: 1e-6 },
  bytes: { type: "bytes", scale: 1 },
  samples: { type: "samples", scale: 1 },
  instructions: { type: "samples", scale: 1 },
  events: { type: "samples", scale: 1 },
};

/**
 * Writes one event of a profile as a Firefox Profiler profile in the processed format, version 56
 * (which profiler.firefox.com upgrades on load): one Firefox thread per thread, frames with their module (as a lib), source file, line
 * and inlined mark (`inlineDepth` 1), sample times in ms (the sample index when the profile has no
 * times). Weights in nanoseconds become `tracing-ms`, bytes stay bytes, and counts (samples,
 * instructions, events) become `samples` weights. `open()` reads the file back with the same
 * stacks, weights, threads, modules and inlined marks (counts come back with the unit "samples").
 *
 * @example
 * writeFileSync("wordfreq.profile.json", toFirefox(rec.profile));
 * (await open("wordfreq.profile.json")).totalWeight(); // rec.totalWeight(), up to rounding
 */
export function toFirefox(input: ProfileLike, opts: FirefoxExportOptions = {}): string {
  const profile = profileOf(input);
  const { frames, stacks, samples, threads } = profile;
  const event = eventIndex(profile, opts.event);
  const weight = WEIGHT[profile.unit];
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) stringIds.set(s, (id = strings.push(s) - 1));
    return id;
  };
  const libs: { name: string; path: string; debugName: string; debugPath: string; breakpadId: string; arch: null }[] = [];
  const libIds = new Map<string, number>();
  const libOf = (module: string): number => {
    let id = libIds.get(module);
    if (id === undefined) {
      const name = module.split("/").pop() || module;
      libIds.set(module, (id = libs.push({ name, path: module, debugName: name, debugPath: module, breakpadId: "", arch: null }) - 1));
    }
    return id;
  };
  let t0 = Infinity;
  for (let i = 0; i < samples.time.length; i++) if (samples.time[i]! < t0) t0 = samples.time[i]!;

  const out = threads.map((t, thread) => {
    // Each thread has its own tables: stack and frame ids are made on first use.
    const resource = { lib: [] as number[], name: [] as number[], host: [] as null[], type: [] as number[] };
    const resourceIds = new Map<number, number>();
    const func = { name: [] as number[], resource: [] as number[], fileName: [] as (number | null)[], lineNumber: [] as (number | null)[], columnNumber: [] as null[], isJS: [] as boolean[], relevantForJS: [] as boolean[] };
    const funcIds = new Map<string, number>();
    const frame = { func: [] as number[], inlineDepth: [] as number[], line: [] as (number | null)[], column: [] as null[], address: [] as number[], nativeSymbol: [] as null[], category: [] as number[], subcategory: [] as number[], innerWindowID: [] as null[] };
    const frameIds = new Map<number, number>();
    const stack = { frame: [] as number[], prefix: [] as (number | null)[] };
    const stackIds = new Map<number, number>();
    const resourceOf = (module: string): number => {
      if (module === "") return -1;
      const lib = libOf(module);
      let id = resourceIds.get(lib);
      if (id === undefined) {
        id = resource.lib.push(lib) - 1;
        resource.name.push(str(libs[lib]!.name));
        resource.host.push(null);
        resource.type.push(1); // library
        resourceIds.set(lib, id);
      }
      return id;
    };
    const frameOf = (f: number): number => {
      let id = frameIds.get(f);
      if (id !== undefined) return id;
      const key = `${frames.name[f]}\0${frames.module[f]}\0${frames.file[f] ?? ""}`;
      let fn = funcIds.get(key);
      if (fn === undefined) {
        fn = func.name.push(str(frames.name[f]!)) - 1;
        func.resource.push(resourceOf(frames.module[f]!));
        func.fileName.push(frames.file[f] == null ? null : str(frames.file[f]!));
        func.lineNumber.push(null);
        func.columnNumber.push(null);
        func.isJS.push(false);
        func.relevantForJS.push(false);
        funcIds.set(key, fn);
      }
      id = frame.func.push(fn) - 1;
      frame.inlineDepth.push(frames.inlined[f] ? 1 : 0);
      frame.line.push(frames.line[f] ?? null);
      frame.column.push(null);
      frame.address.push(-1);
      frame.nativeSymbol.push(null);
      frame.category.push(0);
      frame.subcategory.push(0);
      frame.innerWindowID.push(null);
      frameIds.set(f, id);
      return id;
    };
    const stackOf = (s: number): number => {
      let id = stackIds.get(s);
      if (id !== undefined) return id;
      const parent = stacks.parent[s]!;
      const prefix = parent >= 0 ? stackOf(parent) : null;
      id = stack.frame.push(frameOf(stacks.frame[s]!)) - 1;
      stack.prefix.push(prefix);
      stackIds.set(s, id);
      return id;
    };
    const sample = { stack: [] as (number | null)[], time: [] as number[], weight: [] as number[], weightType: weight.type };
    for (let i = 0; i < samples.stack.length; i++) {
      if (samples.thread[i] !== thread || samples.event[i] !== event) continue;
      const s = samples.stack[i]!;
      sample.stack.push(s >= 0 ? stackOf(s) : null);
      const time = samples.time[i]!;
      sample.time.push(Number.isFinite(time) ? (time - t0) * 1000 : sample.time.length);
      sample.weight.push(samples.weight[i]! * weight.scale);
    }
    const n = (o: Record<string, unknown>, length: number) => ({ ...o, length });
    return {
      name: t.comm || `thread ${thread}`,
      processName: t.comm,
      processType: "default",
      pid: String(t.pid),
      tid: t.tid,
      processStartupTime: 0,
      processShutdownTime: null,
      registerTime: 0,
      unregisterTime: null,
      pausedRanges: [],
      isMainThread: t.pid === t.tid,
      samples: n(sample, sample.stack.length),
      markers: { data: [], name: [], startTime: [], endTime: [], phase: [], category: [], length: 0 },
      stackTable: n(stack, stack.frame.length),
      frameTable: n(frame, frame.func.length),
      funcTable: n(func, func.name.length),
      resourceTable: n(resource, resource.lib.length),
      nativeSymbols: { libIndex: [], address: [], name: [], functionSize: [], length: 0 },
    };
  });
  const doc = {
    meta: {
      version: 24,
      preprocessedProfileVersion: 56,
      interval: 1,
      startTime: 0,
      processType: 0,
      product: opts.product ?? profile.source ?? "flamebook profile",
      stackwalk: 1,
      categories: [{ name: "Other", color: "grey", subcategories: ["Other"] }],
      markerSchema: [],
      symbolicated: true,
    },
    libs,
    shared: { stringArray: strings },
    threads: out,
    pages: [],
    counters: [],
  };
  return JSON.stringify(doc);
}
