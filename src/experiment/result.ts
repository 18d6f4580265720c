import { allocationDelta, allocationDeltaTable, type AllocationDelta } from "../compare/allocation-delta.js";
import { frameStats, frameStatsTable, significantFrames, type FrameStat, type FrameStatsOptions } from "../compare/frame-stats.js";
import { verdict, VERDICT_MIME, type Verdict, type VerdictOptions } from "../compare/verdict.js";
import { MIMEBUNDLE } from "../display/mime.js";
import { mergeProfiles } from "../fold/merge-profiles.js";
import { eventIndex } from "../model/event-index.js";
import { hasExactCounts } from "../model/exact-counts.js";
import type { FlameDisplayOptions } from "../model/flame-display.js";
import type { Profile } from "../model/profile.js";
import { escapeHtml } from "../render/flame-html.js";
import type { MimeBundle } from "../render/table-bundle.js";
import { columns, type ColumnTable } from "../table/arquero.js";
import { diffFlamegraph, type Flamegraph, type FlamegraphOptions } from "../table/flamegraph.js";
import { ProfileData } from "../table/profile-data.js";
import type { ExperimentRecord, RunRecord } from "./record.js";

/** Which time a verdict judges: wall-clock or CPU (user + sys) time of the measured runs. */
export type TimeMetric = "wall" | "cpu";

/** What an experiment measured, per variant: profiles of the profiled runs, callgrind runs and DHAT runs. */
export interface ExperimentData {
  /** perf profiles of the measured profiled runs, per variant, in run order. */
  perf: ReadonlyMap<string, readonly Profile[]>;
  /** callgrind profiles, per variant (exact: one run is enough). */
  callgrind: ReadonlyMap<string, readonly Profile[]>;
  /** DHAT profiles, per variant (exact allocation counts: one run is enough). Default: none. */
  dhat?: ReadonlyMap<string, readonly Profile[]>;
}

/** The profiles an analysis reads: perf samples, callgrind instructions or DHAT allocations. */
type ProfileSource = "perf" | "callgrind" | "dhat";

/** Exact instruction counts of the callgrind runs: per variant, and the change from base to other. */
export interface InstructionDelta {
  readonly base: string;
  readonly other: string;
  readonly baseIr: number;
  readonly otherIr: number;
  /** otherIr − baseIr. */
  readonly delta: number;
  /** otherIr / baseIr. */
  readonly ratio: number;
  readonly text: string;
}

/**
 * The result of a before/after experiment: its record (provenance, every run) and what was
 * measured, with the analyses — `verdict()` (is it faster?), `diff()` (where did the time go?),
 * `frames()` (which functions changed, with significance), `runs()`, `instructions()`,
 * `allocations()` and `allocationsByFunction()` (DHAT). It shows
 * itself in a notebook as a summary card, and is the same whether the experiment just ran or
 * was loaded from its record (`experiment.load`).
 *
 * @example
 * exp.verdict().text;                    // "after is 14.8% faster than before (…)"
 * exp.diff();                            // the diff flamegraph, non-significant frames grey
 * exp.frames().filter((d) => d.significant);
 */
export class Experiment {
  readonly record: ExperimentRecord;
  /** Where the record is stored. */
  readonly path: string;
  /** True when this result came from the store instead of new runs (same spec and inputs). */
  readonly cached: boolean;
  private readonly data: ExperimentData;
  private readonly memo = new Map<string, unknown>();

  constructor(record: ExperimentRecord, data: ExperimentData, opts: { path: string; cached?: boolean }) {
    this.record = record;
    this.data = data;
    this.path = opts.path;
    this.cached = opts.cached ?? false;
  }

  /** The record's id (its cache key). */
  get id(): string {
    return this.record.id;
  }

  /** The variant names in the order given: the first is the base ("before"). */
  get variants(): string[] {
    return Object.keys(this.record.spec.variants);
  }

  /** Every warning: the experiment's, the builds' and the runs', once each. */
  get warnings(): string[] {
    const all = [...this.record.warnings];
    for (const v of Object.values(this.record.variants)) all.push(...(v.build?.warnings ?? []));
    all.push(...mergeAlike(this.record.runs.flatMap((r) => r.warnings ?? [])));
    return [...new Set(all)];
  }

  /**
   * The measured times of one variant's timed runs, in ms (an experiment's times are all in ms,
   * like its record's `wallMs`), in run order.
   *
   * @example exp.times("after"); // [41.2, 40.8, …]
   */
  times(variant: string, metric: TimeMetric = "wall"): number[] {
    this.check(variant);
    return this.record.runs
      .filter((r) => r.variant === variant && r.phase === "measured" && r.kind === "timed")
      .map((r) => (metric === "wall" ? r.wallMs : (r.userMs ?? NaN) + (r.sysMs ?? NaN)));
  }

  /**
   * Is it faster? The verdict on the timed runs of two variants (`base` and `other`, default: the
   * first two), labelled with their names: median ratio with a bootstrap CI, Mann–Whitney p, the
   * noise threshold from the spec. `metric` picks the times: "wall" (default) or "cpu".
   *
   * @example exp.verdict().kind; // "improved"
   * exp.verdict({ base: "before", other: "after", metric: "cpu" }).text;
   */
  verdict(opts: Omit<VerdictOptions, "metric"> & { metric?: TimeMetric } = {}): Verdict {
    const [base, other] = this.pair(opts.base, opts.other);
    // `metric` here picks the times ("wall" | "cpu"); the verdict's own `metric` is the label in its text.
    const { metric: which, base: _base, other: _other, ...rest } = opts;
    const metric = which ?? "wall";
    const key = `verdict:${base}:${other}:${metric}:${JSON.stringify(opts)}`;
    return this.memoize(key, () =>
      verdict(this.times(base, metric), this.times(other, metric), {
        noise: this.record.spec.noise,
        seed: this.record.spec.seed,
        unit: "ms",
        ...rest,
        base,
        other,
        metric: metric === "wall" ? "wall time" : "CPU time",
      }),
    );
  }

  /**
   * The profile of one variant: all its profiled runs merged, weights per run (the mean run), as
   * tables and flamegraphs. perf runs when there are, else callgrind, else DHAT; with `event`,
   * the first of these that has the event (`{ event: "blocks" }`: DHAT's allocations).
   *
   * @example exp.profile("before").functions();
   * exp.profile("after", { event: "blocks" }).functions({ event: "blocks" });
   */
  profile(variant: string, opts: { event?: string } = {}): ProfileData {
    this.check(variant);
    const source = this.sourceFor([variant], opts.event);
    return this.memoize(`profile:${variant}:${source}`, () => {
      const use = this.profilesOf(source, variant);
      return new ProfileData(mergeProfiles(use, { source: `${variant} (mean of ${use.length} run${use.length === 1 ? "" : "s"})`, perRun: true }));
    });
  }

  /**
   * The flamegraph of one variant (all its profiled runs); `event` picks the event and with it the
   * profiles (see {@link profile}).
   *
   * @example exp.flamegraph("before", { search: "to_string" });
   * exp.flamegraph("before", { event: "blocks" }); // DHAT's allocation counts
   */
  flamegraph(variant: string, options: FlamegraphOptions = {}): Flamegraph {
    return this.profile(variant, { event: options.event }).flamegraph({ title: `${variant}: ${this.record.spec.bin ?? this.record.spec.exe ?? "program"}`, ...options });
  }

  /**
   * Per-function shares across the repeated profiled runs of two variants, with a test per
   * function (Mann–Whitney, Benjamini–Hochberg corrected): which functions really changed.
   *
   * @example exp.frameStats().filter((f) => f.significant).map((f) => f.name);
   */
  frameStats(opts: FrameStatsOptions & { base?: string; other?: string } = {}): FrameStat[] {
    const [base, other] = this.pair(opts.base, opts.other);
    return this.memoize(`frames:${base}:${other}:${JSON.stringify(opts)}`, () => {
      const [a, b] = this.profiledRuns(base, other).runs;
      return frameStats(a, b, { seed: this.record.spec.seed, ...opts });
    });
  }

  /**
   * `frameStats` as an arquero table: name, status, base, other (mean shares, 0–1), delta,
   * ciLow, ciHigh, p, q, significant, baseSelf, otherSelf.
   *
   * @example exp.frames().filter((d) => d.significant).objects();
   */
  frames(opts: FrameStatsOptions & { base?: string; other?: string } = {}): ColumnTable {
    return frameStatsTable(this.frameStats(opts));
  }

  /**
   * Where did the time go? The diff flamegraph of all profiled runs of two variants: every path
   * of either side, vanished frames drawn with their base width, new ones marked; frames whose
   * change is not significant across the repeated runs are grey. Exact counts (callgrind, DHAT)
   * need no test: every change is real. `event` picks the event and with it the profiles (see
   * {@link profile}): `{ event: "blocks" }` is the diff of DHAT's allocation counts.
   *
   * @example exp.diff({ search: "to_string" });
   * exp.diff({ event: "blocks" }); // where the allocations went
   */
  diff(options: FlameDisplayOptions & { base?: string; other?: string; event?: string } = {}): Flamegraph {
    const { base: b, other: o, ...display } = options;
    const [base, other] = this.pair(b, o);
    const { source, runs } = this.profiledRuns(base, other, options.event);
    const [a, c] = runs;
    const exact = hasExactCounts(a[0]!);
    const sig = exact || source !== "perf" ? undefined : significantFrames(this.frameStats({ base, other }));
    // Weights are per run (the mean run of each side), so "absolute" compares like with like.
    return diffFlamegraph(mergeProfiles(a, { perRun: true }), mergeProfiles(c, { perRun: true }), {
      base,
      other,
      title: `${base} → ${other}: ${this.record.spec.bin ?? this.record.spec.exe ?? "program"}`,
      ...(sig ? { significant: (name: string) => sig.has(name) } : {}),
      ...display,
    });
  }

  /**
   * Exact instruction counts (callgrind) of two variants and their difference.
   *
   * @example exp.instructions().delta; // -1234567
   */
  instructions(opts: { base?: string; other?: string } = {}): InstructionDelta {
    const [base, other] = this.pair(opts.base, opts.other);
    const ir = (v: string) => {
      const runs = this.record.runs.filter((r) => r.variant === v && r.kind === "callgrind" && r.phase === "measured" && r.ir !== undefined);
      if (runs.length === 0) throw new Error(`flamebook: experiment ${this.id} has no callgrind run of "${v}": add "callgrind" to measure.`);
      return runs[0]!.ir!;
    };
    const baseIr = ir(base);
    const otherIr = ir(other);
    const delta = otherIr - baseIr;
    const ratio = otherIr / baseIr;
    const pct = ((ratio - 1) * 100).toFixed(2);
    const text = `${other} executes ${Math.abs(delta).toLocaleString("en-US")} ${delta <= 0 ? "fewer" : "more"} instructions than ${base} (${baseIr.toLocaleString("en-US")} → ${otherIr.toLocaleString("en-US")}, ${delta <= 0 ? "" : "+"}${pct}%; exact, callgrind)`;
    return { base, other, baseIr, otherIr, delta, ratio, text };
  }

  /**
   * Exact allocation counts (DHAT) of two variants and their difference: blocks (allocations) and
   * bytes, with a one-line text and a kind ("improved" when fewer blocks are allocated). One run
   * per variant is enough: the same binary, input and environment allocate exactly the same.
   *
   * @example exp.allocations().text; // "allocations: 44 189 → 4 149 (−90.61%), bytes: 717 428 → 175 748 (−75.50%) (exact, DHAT)"
   */
  allocations(opts: { base?: string; other?: string } = {}): AllocationDelta {
    const [base, other] = this.pair(opts.base, opts.other);
    return this.memoize(`allocations:${base}:${other}`, () => allocationDelta(this.dhatProfile(base), this.dhatProfile(other), { base, other }));
  }

  /**
   * Per function, the exact allocations (DHAT) made in it or below it in each variant, and the
   * change: name, status ("vanished", "new", "fewer", "more", "same"), base/other/delta of
   * blocks and of bytes (`base_blocks`, `other_blocks`, `delta_blocks`, …), the largest change first.
   *
   * @example exp.allocationsByFunction().filter((d) => d.status === "vanished").objects({ limit: 5 });
   */
  allocationsByFunction(opts: { base?: string; other?: string } = {}): ColumnTable {
    const [base, other] = this.pair(opts.base, opts.other);
    return allocationDeltaTable(this.dhatProfile(base), this.dhatProfile(other));
  }

  /**
   * Every run as an arquero table: index, variant, phase, kind, startedAt, wallMs, userMs, sysMs
   * (times in ms, as in the record's runs), exitCode, samples, ir, blocks, bytes.
   *
   * @example exp.runs().filter((d) => d.phase === "measured").groupby("variant").rollup({ median: (d) => op.median(d.wallMs) });
   */
  runs(): ColumnTable {
    const rs = this.record.runs;
    const col = <T>(f: (r: RunRecord) => T) => rs.map(f);
    return columns({
      index: col((r) => r.index),
      variant: col((r) => r.variant),
      phase: col((r) => r.phase),
      kind: col((r) => r.kind),
      startedAt: col((r) => r.startedAt),
      wallMs: col((r) => r.wallMs),
      userMs: col((r) => r.userMs ?? null),
      sysMs: col((r) => r.sysMs ?? null),
      exitCode: col((r) => r.exitCode),
      samples: col((r) => r.samples ?? null),
      ir: col((r) => r.ir ?? null),
      blocks: col((r) => r.blocks ?? null),
      bytes: col((r) => r.bytes ?? null),
    });
  }

  /**
   * The provenance lines: machine, tools, variants (commit, features, exact commands).
   *
   * @example console.log(exp.provenanceText());
   */
  provenanceText(): string {
    const r = this.record;
    const p = r.provenance;
    const lines = [
      `experiment ${r.id} (${r.status}), ${r.createdAt}${r.finishedAt ? ` → ${r.finishedAt}` : ""}, flamebook ${r.flamebookVersion}`,
      `machine: ${p.cpuModel}, ${p.nproc} CPUs, ${p.os}, Linux ${p.kernel}, governor ${p.governors.length > 0 ? [...new Set(p.governors)].join("/") : "n/a"}, perf_event_paranoid ${p.perfEventParanoid ?? "n/a"}, load ${p.loadavg.map((x) => x.toFixed(2)).join(" ")}${p.loadEnd ? ` → ${p.loadEnd.map((x) => x.toFixed(2)).join(" ")}` : ""}`,
      `tools: ${(p.rustc ?? "rustc n/a").split("\n")[0]}; ${p.cargo ?? "cargo n/a"}; ${p.perf ?? "perf n/a"}; ${p.valgrind ?? "valgrind n/a"}; node ${p.node}`,
      `spec: ${r.spec.runs} runs per variant (${r.spec.order}), ${r.spec.warmup} warm-up, measure ${r.spec.measure.join("+")}, ${r.spec.profiledRuns} profiled runs at ${r.spec.frequency} Hz, noise threshold ${(r.spec.noise * 100).toFixed(1)}%, seed ${r.spec.seed}`,
    ];
    for (const [name, v] of Object.entries(r.variants)) {
      const git = v.git ? `${v.git.sha.slice(0, 12)}${v.git.dirty ? ` (dirty${v.git.changes?.length ? `: ${v.git.changes.join(", ")}` : ""})` : ""}` : "no git";
      const build = v.build ? `${v.build.command.join(" ")} [profile ${v.build.profile}]` : "prebuilt";
      lines.push(`${name}: ${git}; ${build}; run: ${[v.command.exe, ...v.command.args].join(" ")}${Object.keys(v.command.env).length ? ` env ${JSON.stringify(v.command.env)}` : ""}`);
    }
    const perfRun = r.runs.find((x) => x.kind === "perf");
    if (perfRun) lines.push(`perf: ${perfRun.command.join(" ")}`);
    const dhatRun = r.runs.find((x) => x.kind === "dhat");
    if (dhatRun) lines.push(`dhat: ${dhatRun.command.join(" ")}`);
    const timed = r.runs.find((x) => x.kind === "timed");
    if (timed) lines.push(`timing: ${timed.command.join(" ")}`);
    return lines.join("\n");
  }

  /** A one-line summary: the verdict, else the exact allocation delta, else what the experiment has. */
  toString(): string {
    try {
      return this.verdict().text;
    } catch {
      try {
        if (this.record.runs.some((x) => x.kind === "dhat")) return this.allocations().text;
      } catch {
        // only one side has a DHAT run (interrupted)
      }
      return `experiment ${this.id} (${this.record.status}, ${this.record.runs.length} runs)`;
    }
  }

  /** The notebook display: verdict, medians, exact instructions, warnings, provenance. */
  [MIMEBUNDLE](): MimeBundle {
    const parts: string[] = [];
    const text: string[] = [];
    let verdictData: Record<string, unknown> | undefined;
    const r = this.record;
    const head = `${r.status === "complete" ? "" : `[${r.status}] `}experiment ${r.id}${this.cached ? " (from the store: same spec and inputs)" : ""}`;
    text.push(head);
    parts.push(`<div class="flamebook-experiment" style="font-family: system-ui, sans-serif; line-height: 1.45; max-width: 60em">`);
    parts.push(`<div style="opacity: 0.7; font-size: 0.85em">${escapeHtml(head)}</div>`);
    try {
      const v = this.verdict();
      const colour = v.kind === "improved" ? "#1a7f37" : v.kind === "regressed" ? "#cf222e" : "#6e7781";
      parts.push(`<div style="font-size: 1.15em; margin: 0.3em 0"><b style="color: ${colour}">${escapeHtml(v.kind)}</b>: ${escapeHtml(v.text)}</div>`);
      text.push(v.text);
      verdictData = v.toJSON() as unknown as Record<string, unknown>;
      const rows = this.variants.map((name) => {
        const w = this.times(name);
        const s = [...w].sort((a, b) => a - b);
        const med = s.length ? s[Math.floor((s.length - 1) / 2)]! / 2 + s[Math.ceil((s.length - 1) / 2)]! / 2 : NaN;
        return `<tr><td>${escapeHtml(name)}</td><td style="text-align:right">${w.length}</td><td style="text-align:right">${med.toFixed(1)}</td><td style="text-align:right">${s.length ? s[0]!.toFixed(1) : ""}</td><td style="text-align:right">${s.length ? s.at(-1)!.toFixed(1) : ""}</td></tr>`;
      });
      parts.push(`<table style="border-collapse: collapse; margin: 0.3em 0"><thead><tr><th style="text-align:left">variant</th><th>runs</th><th>median ms</th><th>min</th><th>max</th></tr></thead><tbody>${rows.join("")}</tbody></table>`);
    } catch (e) {
      // Without timed runs an exact count is the verdict (below); say so only when there is none.
      if (!r.runs.some((x) => x.kind === "callgrind" || x.kind === "dhat")) parts.push(`<div>${escapeHtml((e as Error).message)}</div>`);
    }
    if (r.runs.some((x) => x.kind === "callgrind")) {
      try {
        const ir = this.instructions();
        parts.push(`<div>${escapeHtml(ir.text)}</div>`);
        text.push(ir.text);
      } catch {
        // only one side has callgrind runs (interrupted)
      }
    }
    if (r.runs.some((x) => x.kind === "dhat")) {
      try {
        const al = this.allocations();
        const colour = al.kind === "improved" ? "#1a7f37" : al.kind === "regressed" ? "#cf222e" : "#6e7781";
        parts.push(`<div style="font-size: 1.05em; margin: 0.3em 0"><b style="color: ${colour}">${escapeHtml(al.kind)}</b>: ${escapeHtml(al.text)}</div>`);
        text.push(al.text);
      } catch {
        // only one side has a DHAT run (interrupted)
      }
    }
    const warnings = this.warnings;
    if (warnings.length > 0) {
      parts.push(`<ul style="color: #9a6700; margin: 0.3em 0">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>`);
      text.push(...warnings.map((w) => `warning: ${w}`));
    }
    const prov = this.provenanceText();
    parts.push(`<details><summary>how it was made (rerun: <code>experiment.load(${escapeHtml(JSON.stringify(r.id))})</code>)</summary><pre style="white-space: pre-wrap; font-size: 0.85em">${escapeHtml(prov)}</pre></details>`);
    parts.push(`</div>`);
    const bundle: MimeBundle = { "text/html": parts.join("\n"), "text/plain": [...text, prov].join("\n") };
    if (verdictData !== undefined) bundle[VERDICT_MIME] = verdictData;
    return bundle;
  }

  private check(variant: string): void {
    if (!(variant in this.record.spec.variants)) {
      throw new Error(`flamebook: experiment ${this.id} has no variant "${variant}"; it has ${this.variants.map((v) => `"${v}"`).join(", ")}.`);
    }
  }

  private pair(base?: string, other?: string): [string, string] {
    const names = this.variants;
    const b = base ?? names[0];
    const o = other ?? names.find((n) => n !== b);
    if (b === undefined || o === undefined) throw new Error(`flamebook: experiment ${this.id} needs two variants to compare; it has ${names.length}.`);
    this.check(b);
    this.check(o);
    return [b, o];
  }

  /** The profiles to compare: perf runs when both sides have them, else callgrind, else DHAT runs (with `event`: the first that has it). */
  private profiledRuns(base: string, other: string, event?: string): { source: ProfileSource; runs: [readonly Profile[], readonly Profile[]] } {
    const source = this.sourceFor([base, other], event);
    return { source, runs: [this.profilesOf(source, base), this.profilesOf(source, other)] };
  }

  /** The profiles of one variant from one source, in run order. */
  private profilesOf(source: ProfileSource, variant: string): readonly Profile[] {
    return (source === "dhat" ? this.data.dhat : this.data[source])?.get(variant) ?? [];
  }

  /** The first source (perf, callgrind, DHAT) with profiles of every variant (and the event, when given). */
  private sourceFor(variants: readonly string[], event?: string): ProfileSource {
    const sources: ProfileSource[] = ["perf", "callgrind", "dhat"];
    const has = (s: ProfileSource) =>
      variants.every((v) => {
        const first = this.profilesOf(s, v)[0];
        return first !== undefined && (event === undefined || hasEvent(first, event));
      });
    const found = sources.find(has);
    if (found) return found;
    const names = variants.map((v) => `"${v}"`).join(" and ");
    const what = event === undefined ? "profiles" : `profiles with the event "${event}"`;
    const add = event === undefined ? `add "perf", "callgrind" or "dhat" to measure` : `measure ${/^(blocks|bytes|maxBytes|readBytes|writeBytes)$/.test(event) ? '"dhat"' : "what records it"}`;
    throw new Error(`flamebook: experiment ${this.id} has no ${what} of ${names}: ${add} (or it was interrupted before profiling).`);
  }

  /** The DHAT profile of one variant (its one measured DHAT run), or an error saying to measure "dhat". */
  private dhatProfile(variant: string): Profile {
    const p = this.data.dhat?.get(variant)?.[0];
    if (p === undefined) throw new Error(`flamebook: experiment ${this.id} has no DHAT run of "${variant}": add "dhat" to measure.`);
    return p;
  }

  private memoize<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }
}

const NUMBER = /\d+(?:[.,]\d+)*/g;

/**
 * Run warnings that differ only in their numbers ("only 195 samples…", "only 345 samples…") as
 * one line per kind, each number shown as the range it took: "10 runs: only 195–345 samples…".
 *
 * @example mergeAlike(["only 3 samples", "only 5 samples", "lost 2"]); // ["2 runs: only 3–5 samples", "lost 2"]
 */
export function mergeAlike(warnings: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const w of warnings) {
    const key = w.replace(NUMBER, "#");
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  return [...groups.values()].map((list) => {
    const distinct = [...new Set(list)];
    if (distinct.length === 1) return list.length === 1 ? distinct[0]! : `${list.length} runs: ${distinct[0]}`;
    const numbers = list.map((w) => [...w.matchAll(NUMBER)].map((m) => m[0]));
    let i = 0;
    const merged = list[0]!.replace(NUMBER, (first) => {
      const at = i++;
      const values = numbers.map((ns) => ns[at] ?? first);
      const asNumber = (x: string) => Number(x.replace(/,/g, ""));
      const sorted = [...values].sort((a, b) => asNumber(a) - asNumber(b));
      return sorted[0] === sorted.at(-1) ? first : `${sorted[0]}–${sorted.at(-1)}`;
    });
    return `${list.length} runs: ${merged}`;
  });
}

/** Whether a profile has an event, by name (perf's modifiers allowed: `cpu-clock` finds `cpu-clock:ppp`). */
function hasEvent(profile: Profile, event: string): boolean {
  try {
    eventIndex(profile, event);
    return true;
  } catch {
    return false;
  }
}
