import { functionTotals, totalWeight } from "../../src/fold/function-totals.js";
import type { Profile } from "../../src/model/profile.js";

/**
 * Which lines a summary has. The defaults give the common summary (perf-script, speedscope);
 * each importer's golden files fix its own choice, so changing an option changes its goldens.
 */
export interface DescribeOptions {
  /** A `threads:` line. Default: true. */
  threads?: boolean;
  /** `with file N` in the `frames:` line. Default: true. */
  withFile?: boolean;
  /** Where a `modules:` line (distinct modules, sorted) goes, if anywhere. Default: none. */
  modules?: "after frames" | "after kinds";
  /** `total`: one `weight:` line after `stacks:`; `per event`: one line per event under `events:`. Default: total. */
  weight?: "total" | "per event";
  /** A `top self:` line with this many functions by self weight (0: none). Default: 0. */
  topSelf?: number;
  /** `flag`: `timed: true|false`; `range`: also the first and last time; `none`: no line. Default: flag. */
  timed?: "flag" | "range" | "none";
  /** `source lines:`, one per frame, when any frame has a file. Default: false. */
  sourceLines?: boolean;
}

/** A stable text summary of a profile, for golden files. */
export function describeProfile(p: Profile, options: DescribeOptions = {}): string {
  const { threads = true, withFile = true, modules, weight = "total", topSelf = 0, timed = "flag", sourceLines = false } = options;
  const kinds = new Map<string, number>();
  p.frames.kind.forEach((k) => kinds.set(k, (kinds.get(k) ?? 0) + 1));
  const files = p.frames.file.filter((f) => f !== null).length;
  const modulesLine = `modules: ${[...new Set(p.frames.module)].sort().map((m) => JSON.stringify(m)).join(" ")}`;
  const out = [`samples: ${p.samples.stack.length}`, `events: ${p.events.join(", ")}`];
  if (weight === "per event") out.push(...p.events.map((e, i) => `  ${e}: ${totalWeight(p, i)} ${p.unit}`));
  if (threads) out.push(`threads: ${p.threads.map((t) => `${JSON.stringify(t.comm)} pid=${t.pid} tid=${t.tid}`).join("; ")}`);
  out.push(`frames: ${p.frames.name.length} (inlined ${p.frames.inlined.filter(Boolean).length}${withFile ? `, with file ${files}` : ""})`);
  if (modules === "after frames") out.push(modulesLine);
  out.push(`kinds: ${[...kinds].sort().map(([k, n]) => `${k}=${n}`).join(" ")}`);
  if (modules === "after kinds") out.push(modulesLine);
  out.push(`stacks: ${p.stacks.frame.length}`);
  if (weight === "total") out.push(`weight: ${totalWeight(p)} ${p.unit}`);
  if (topSelf > 0) {
    const top = [...functionTotals(p)].sort((a, b) => b.self - a.self).slice(0, topSelf);
    out.push(`top self: ${top.map((f) => `${f.name} ${f.self}`).join("; ")}`);
  }
  if (timed === "flag") out.push(`timed: ${p.samples.time.every((t) => Number.isFinite(t))}`);
  if (timed === "range") {
    const times = [...p.samples.time];
    out.push(`timed: ${times.every((t) => Number.isFinite(t))} (${Math.min(...times)}–${Math.max(...times)} s)`);
  }
  out.push(`warnings: ${JSON.stringify(p.warnings)}`);
  if (sourceLines && files > 0) {
    const { name, file, line, inlined } = p.frames;
    out.push("source lines:", ...name.map((n, i) => `  ${n} @ ${file[i] ?? "?"}:${line[i] ?? "?"}${inlined[i] ? " (inlined)" : ""}`));
  }
  out.push("");
  return out.join("\n");
}
