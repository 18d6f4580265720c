import { cleanRustNames } from "../fold/clean-names.js";
import { stackShare, totalWeight } from "../fold/function-totals.js";
import { groupBy, type Grouping } from "../fold/group-by.js";
import { toRegExp, type Pattern } from "../fold/pattern.js";
import { collapseRecursion, exclude, focus, mergeInlined, prune, userSpace } from "../fold/transforms.js";
import { eventIndex } from "../model/event-index.js";
import type { Profile } from "../model/profile.js";
import type { CleanRustNameOptions } from "../model/rust-names.js";
import type { ColumnTable } from "./arquero.js";
import { neighboursTable } from "./callers-table.js";
import { framesTable } from "./frames-table.js";
import { functionsTable } from "./functions-table.js";
import { samplesTable } from "./samples-table.js";
import { selectSamples } from "./select-samples.js";
import { threadsTable } from "./threads-table.js";
import type { EventName, Fraction } from "../model/units.js";
import { diffFlamegraph, flamegraph, type DiffFlamegraphOptions, type Flamegraph, type FlamegraphOptions } from "./flamegraph.js";
import { MIMEBUNDLE } from "../display/mime.js";
import { escapeHtml } from "../render/flame-html.js";
import { tableBundle, type MimeBundle } from "../render/table-bundle.js";

/** An arquero filter: a table expression function `(d, $) => …` or its text. */
export type SampleFilter = Parameters<ColumnTable["filter"]>[0];

/**
 * A profile with its tables and transforms: what `open()` returns and what a recording is.
 * Tables are arquero tables; transforms return a new ProfileData, so they chain:
 * `p.focus("process").mergeInlined().functions()`.
 *
 * @example
 * const p = await open("perf.txt");
 * p.functions().orderby(aq.desc("total")).objects({ limit: 5 });
 * p.where((d) => d.time > 1.5).flamegraph();
 */
export class ProfileData {
  readonly profile: Profile;

  constructor(profile: Profile) {
    this.profile = profile;
  }

  /** The event names (e.g. ["cpu-clock"], or callgrind's ["Ir", "Dr", …]). */
  get events(): readonly string[] {
    return this.profile.events;
  }

  /** What weights count: "nanoseconds", "samples", "instructions", "events" or "bytes". */
  get unit(): string {
    return this.profile.unit;
  }

  /** What the importer wants a user to know (stray lines, truncation, lost samples…). */
  get warnings(): readonly string[] {
    return this.profile.warnings;
  }

  /**
   * One row per sample: row, time (s from the first sample), clock (the raw timestamp), thread
   * (the `ThreadId` that joins `threads()`), comm (the thread's name), pid, tid, event, stack,
   * weight, leaf, module.
   * @example p.samples().filter((d) => d.time > 1.5).numRows()
   */
  samples(): ColumnTable {
    return samplesTable(this.profile);
  }

  /**
   * name, module, self, total, selfShare, totalShare (fractions, 0–1) per function, of one event
   * (default the first; per-event columns `self_<E>`, `total_<E>` when several).
   * @example p.functions({ event: "D1mr" })
   */
  functions(opts: { event?: EventName; by?: "name" | "name+module" } = {}): ColumnTable {
    return functionsTable(this.profile, opts);
  }

  /** One row per distinct frame, inlined copies apart. @example p.frames().filter((d) => d.inlined) */
  frames(opts: { event?: EventName } = {}): ColumnTable {
    return framesTable(this.profile, opts);
  }

  /**
   * One row per thread: thread (its `ThreadId`), comm, pid, tid, samples, weight, and start/end
   * in seconds from the first sample (the time base of `samples().time`).
   * @example p.samples().join(p.threads().select("thread", "start"), "thread")
   */
  threads(): ColumnTable {
    return threadsTable(this.profile);
  }

  /**
   * The interactive flamegraph of this profile (one event): shown inline as a cell's last
   * expression, or saved as a standalone page.
   *
   * @example
   * rec.flamegraph({ search: "to_string", sandwich: "alloc::fmt::format" });
   * rec.focus("process").flamegraph({ layout: "icicle" }).save("process.html");
   */
  flamegraph(opts: FlamegraphOptions = {}): Flamegraph {
    return flamegraph(this.profile, opts);
  }

  /**
   * The diff flamegraph from `before` to this profile: red grew, blue shrank, grey within noise.
   *
   * @example
   * after.diffFrom(before, { base: "to_string", other: "write!" });
   */
  diffFrom(before: ProfileData | Profile, opts: DiffFlamegraphOptions = {}): Flamegraph {
    return diffFlamegraph(before instanceof ProfileData ? before.profile : before, this.profile, opts);
  }

  /**
   * How a profile shows as a cell's last expression: its functions by self weight as a table, with the
   * events, unit and warnings in the caption line.
   *
   * @example
   * rec; // in a notebook cell
   */
  [MIMEBUNDLE](): MimeBundle {
    const t = tableBundle(this.functions().orderby((d: { self: number }) => -d.self), { limit: 15 });
    const head = `${this.profile.format} profile: ${this.profile.samples.stack.length} samples, events ${this.events.join(", ") || "none"}, weights in ${this.unit}` +
      (this.warnings.length ? `; ${this.warnings.length} warning(s): ${this.warnings.join(" | ")}` : "");
    return { "text/html": `<div>${escapeHtml(head)}</div>${t["text/html"]}`, "text/plain": `${head}\n${t["text/plain"]}` };
  }

  /** Who calls `fn`, with edge weights. @example p.callers("alloc::fmt::format") */
  callers(fn: string | RegExp, opts: { event?: EventName } = {}): ColumnTable {
    return neighboursTable(this.profile, fn, "callers", opts);
  }

  /** What `fn` calls, with edge weights ("(self)" for its own time). @example p.callees("wordfreq::process::process") */
  callees(fn: string | RegExp, opts: { event?: EventName } = {}): ColumnTable {
    return neighboursTable(this.profile, fn, "callees", opts);
  }

  /**
   * The samples that pass an arquero filter on the samples table, as a profile again: a time
   * window, a thread, `op.match(d.leaf, …)`. Filter functions are arquero table expressions:
   * use `$` parameters (`params`) for values from outside.
   *
   * @example
   * p.where((d, $) => d.time >= $.t0 && d.comm === "worker one", { t0: 1.5 });
   */
  where(filter: SampleFilter, params?: Record<string, unknown>): ProfileData {
    const t = params ? this.samples().params(params) : this.samples();
    return this.fromSamples(t.filter(filter));
  }

  /** The samples listed in (a filtered copy of) this profile's samples table. @example p.fromSamples(p.samples().slice(0, 100)) */
  fromSamples(table: ColumnTable): ProfileData {
    if (!table.columnNames().includes("row")) {
      throw new Error("flamebook: fromSamples needs the `row` column of this profile's samples() table; keep it when you select columns.");
    }
    return new ProfileData(selectSamples(this.profile, table.array("row") as ArrayLike<number>));
  }

  /** Keep stacks through `pattern`, re-rooted there. @example p.focus("process") */
  focus(pattern: Pattern): ProfileData {
    return new ProfileData(focus(this.profile, pattern));
  }

  /** Drop samples through `pattern`. @example p.exclude(/^__GI___libc_free$/) */
  exclude(pattern: Pattern): ProfileData {
    return new ProfileData(exclude(this.profile, pattern));
  }

  /** Fold nodes under `minShare` (a fraction, 0–1) of an event's weight (default the first) into their parents. @example p.prune(0.005) */
  prune(minShare: Fraction, opts: { event?: EventName } = {}): ProfileData {
    return new ProfileData(prune(this.profile, minShare, { event: eventIndex(this.profile, opts.event) }));
  }

  /** Fold inlined frames into their callers. @example p.mergeInlined() */
  mergeInlined(): ProfileData {
    return new ProfileData(mergeInlined(this.profile));
  }

  /** Drop kernel frames: the program's own calls on top (in an off-CPU graph, the call that blocked). @example rec.userSpace().flamegraph({ event: "offcpu" }) */
  userSpace(): ProfileData {
    return new ProfileData(userSpace(this.profile));
  }

  /** Merge recursive calls. @example p.collapseRecursion({ indirect: true }) */
  collapseRecursion(opts: { indirect?: boolean } = {}): ProfileData {
    return new ProfileData(collapseRecursion(this.profile, opts));
  }

  /** Clean Rust names (hashes; optionally generics and closures). @example p.cleanRustNames({ generics: true }) */
  cleanRustNames(opts: CleanRustNameOptions = {}): ProfileData {
    return new ProfileData(cleanRustNames(this.profile, opts));
  }

  /** One frame per crate / module / kind. @example p.groupBy("crate") */
  groupBy(by: Grouping): ProfileData {
    return new ProfileData(groupBy(this.profile, by));
  }

  /**
   * The share (a fraction, 0–1) of an event's weight (default the first event) with a frame
   * matching `pattern` on the stack: for one function's exact name, its `totalShare` in `functions()`.
   * @example p.share(/to_string/) // 0.42
   */
  share(pattern: Pattern, opts: { event?: EventName } = {}): Fraction {
    return stackShare(this.profile, toRegExp(pattern), { event: eventIndex(this.profile, opts.event) });
  }

  /** Summed weight of one event (default the first): the whole that shares are fractions of. @example p.totalWeight() */
  totalWeight(event?: EventName): number {
    return totalWeight(this.profile, eventIndex(this.profile, event));
  }
}
