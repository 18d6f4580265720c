import { frameKind } from "./frame-kind.js";
import { GrowableFloat64, GrowableInt32 } from "./growable.js";
import type { FrameKind, Profile, Thread, WeightUnit } from "./profile.js";

/** Options of {@link ProfileBuilder}. */
export interface ProfileBuilderOptions {
  /** The importer's name, e.g. "perf-script". */
  format: string;
  /** The file the profile comes from. Default: none. */
  source?: string;
  /** What weights count. Default: "samples". */
  unit?: WeightUnit;
  /**
   * Keep one row per sample. Default: true. With false, samples with the same stack, thread and
   * event are merged into one row (time = first time seen), so memory is bounded by the number
   * of unique stacks instead of the file size (what `flamebook collapse` uses).
   */
  keepSamples?: boolean;
}

/** Optional attributes of a frame. */
export interface FrameInfo {
  inlined?: boolean;
  kind?: FrameKind;
  file?: string | null;
  line?: number | null;
}

const MAX_FRAMES = 2 ** 24; // stack trie keys are parent * 2^24 + frame, exact in a double

/**
 * Builds a {@link Profile}: interns frames, deduplicates stacks in a prefix trie and appends
 * sample rows to typed columns. Every importer uses it, so every format ends in one shape.
 *
 * @example
 * const b = new ProfileBuilder({ format: "folded" });
 * const main = b.frame("main", "app"), work = b.frame("work", "app");
 * b.sample(b.stack(b.stack(-1, main), work), b.thread("app", 1, 1), b.event("samples"), NaN, 3);
 * const p = b.finish(); // p.samples.weight[0] === 3
 */
export class ProfileBuilder {
  private readonly opts: ProfileBuilderOptions;
  private readonly frameIds = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly modules: string[] = [];
  private readonly files: (string | null)[] = [];
  private readonly lines: (number | null)[] = [];
  private readonly inlined: boolean[] = [];
  private readonly kinds: FrameKind[] = [];
  private readonly stackIds = new Map<number, number>();
  private readonly stackParent_ = new GrowableInt32();
  private readonly stackFrame_ = new GrowableInt32();
  private readonly sStack = new GrowableInt32();
  private readonly sThread = new GrowableInt32();
  private readonly sEvent = new GrowableInt32();
  private readonly sTime = new GrowableFloat64();
  private readonly sWeight = new GrowableFloat64();
  private readonly merged = new Map<number | string, number>();
  private readonly threadIds = new Map<string, number>();
  private readonly threadList: Thread[] = [];
  private lastThread = -1;
  private readonly eventIds = new Map<string, number>();
  private readonly eventList: string[] = [];
  private readonly warningList: string[] = [];
  private unit: WeightUnit;

  constructor(opts: ProfileBuilderOptions) {
    this.opts = opts;
    this.unit = opts.unit ?? "samples";
  }

  /** Interns a frame; the same name, module and inlined flag always give the same id. */
  frame(name: string, module: string, info: FrameInfo = {}): number {
    const inlined = info.inlined ?? false;
    const key = inlined ? `${name}\u0000${module}\u0000i` : `${name}\u0000${module}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.names.length;
      if (id >= MAX_FRAMES) throw new Error(`flamebook: more than ${MAX_FRAMES} distinct frames; this profile is too large.`);
      this.frameIds.set(key, id);
      this.names.push(name);
      this.modules.push(module);
      this.files.push(info.file ?? null);
      this.lines.push(info.line ?? null);
      this.inlined.push(inlined);
      this.kinds.push(info.kind ?? frameKind(name, module));
    } else if (info.file != null && this.files[id] === null) {
      this.files[id] = info.file;
      this.lines[id] = info.line ?? null;
    }
    return id;
  }

  /** The stack made of `frame` called from stack `parent` (-1: a root frame). */
  stack(parent: number, frame: number): number {
    const key = (parent + 1) * MAX_FRAMES + frame;
    let id = this.stackIds.get(key);
    if (id === undefined) {
      id = this.stackParent_.length;
      this.stackIds.set(key, id);
      this.stackParent_.push(parent);
      this.stackFrame_.push(frame);
    }
    return id;
  }

  /** The stack for frame ids listed root first; -1 for an empty list. */
  stackOf(framesRootFirst: readonly number[]): number {
    let s = -1;
    for (const f of framesRootFirst) s = this.stack(s, f);
    return s;
  }

  /** The parent of stack `s` (-1 for a root). */
  stackParent(s: number): number {
    return this.stackParent_.get(s);
  }

  /** The frame of stack `s`. */
  stackFrame(s: number): number {
    return this.stackFrame_.get(s);
  }

  /** The name of frame `f`. */
  frameName(f: number): string {
    return this.names[f]!;
  }

  /** Interns a thread. */
  thread(comm: string, pid: number, tid: number): number {
    const last = this.threadList[this.lastThread];
    // the usual case: the same thread as the sample before
    if (last !== undefined && last.tid === tid && last.pid === pid && last.comm === comm) return this.lastThread;
    const key = `${comm}\u0000${pid}\u0000${tid}`;
    let id = this.threadIds.get(key);
    if (id === undefined) {
      id = this.threadList.length;
      this.threadIds.set(key, id);
      this.threadList.push({ comm, pid, tid });
    }
    this.lastThread = id;
    return id;
  }

  /** Interns an event name. */
  event(name: string): number {
    let id = this.eventIds.get(name);
    if (id === undefined) {
      id = this.eventList.length;
      this.eventIds.set(name, id);
      this.eventList.push(name);
    }
    return id;
  }

  /** Adds a sample row (or, with `keepSamples: false`, adds its weight to the matching row). */
  sample(stack: number, thread: number, event: number, time: number, weight: number): void {
    if (this.opts.keepSamples === false) {
      // a number while it fits exactly (stack < 2^31, thread < 2^16, event < 2^6), else a string
      const key = thread < 65536 && event < 64 ? (stack + 1) * 4194304 + thread * 64 + event : `${stack},${thread},${event}`;
      const row = this.merged.get(key);
      if (row !== undefined) {
        this.sWeight.add(row, weight);
        return;
      }
      this.merged.set(key, this.sStack.length);
    }
    this.sStack.push(stack);
    this.sThread.push(thread);
    this.sEvent.push(event);
    this.sTime.push(time);
    this.sWeight.push(weight);
  }

  /** Sets what weights count (when the importer learns it only at the end). */
  setUnit(unit: WeightUnit): void {
    this.unit = unit;
  }

  /** The name of event `id`. */
  eventName(id: number): string {
    return this.eventList[id] ?? "";
  }

  /** Records something the user should know about the input. */
  warn(message: string): void {
    this.warningList.push(message);
  }

  get sampleCount(): number {
    return this.sStack.length;
  }

  /** The finished profile. The builder must not be used afterwards. */
  finish(): Profile {
    return {
      format: this.opts.format,
      source: this.opts.source,
      frames: {
        name: this.names,
        module: this.modules,
        file: this.files,
        line: this.lines,
        inlined: this.inlined,
        kind: this.kinds,
      },
      stacks: { parent: this.stackParent_.finish(), frame: this.stackFrame_.finish() },
      samples: {
        stack: this.sStack.finish(),
        thread: this.sThread.finish(),
        event: this.sEvent.finish(),
        time: this.sTime.finish(),
        weight: this.sWeight.finish(),
      },
      threads: this.threadList,
      events: this.eventList,
      unit: this.unit,
      warnings: this.warningList,
    };
  }
}
