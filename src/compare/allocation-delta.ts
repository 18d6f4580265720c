// The exact verdict of a before/after allocation experiment (DHAT): counts, not statistics.
import { functionStats } from "../fold/function-stats.js";
import { totalWeight } from "../fold/function-totals.js";
import { groupDigits } from "../model/format-weight.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "../table/arquero.js";
import type { VerdictKind } from "./verdict.js";

/** How the allocations of two runs compare: exact counts of DHAT's first two events. */
export interface AllocationDelta {
  readonly base: string;
  readonly other: string;
  /** The events compared: DHAT's block and byte counts ("blocks" and "bytes"). */
  readonly events: readonly [string, string];
  readonly baseBlocks: number;
  readonly otherBlocks: number;
  readonly baseBytes: number;
  readonly otherBytes: number;
  /** otherBlocks − baseBlocks. */
  readonly delta: number;
  /** otherBlocks / baseBlocks. */
  readonly ratio: number;
  /** "improved" (fewer allocations), "regressed" (more) or "no change" (exactly as many). */
  readonly kind: VerdictKind;
  /** "allocations: 44 189 → 4 149 (−90.61%), bytes: 717 428 → 175 748 (−75.50%) (exact, DHAT)" */
  readonly text: string;
}

/**
 * A count with spaces between groups of three digits.
 *
 * @example
 * spacedDigits(40012); // "40 012"
 */
export function spacedDigits(n: number): string {
  return groupDigits(n, " ", "−");
}

/** A relative change with a sign and two decimals: "−90.66%", "+3.00%", "0.00%". */
function change(before: number, after: number): string {
  if (before === 0) return after === 0 ? "0.00%" : "new";
  const pct = ((after - before) / before) * 100;
  const text = Math.abs(pct).toFixed(2);
  return `${pct < 0 && text !== "0.00" ? "−" : pct > 0 && text !== "0.00" ? "+" : ""}${text}%`;
}

/**
 * The exact allocation verdict of two DHAT profiles: blocks (allocations) and bytes before and
 * after, the change, and one line for people. Exact counts need no statistics: any difference
 * is real, so the kind is "no change" only when the block counts are equal.
 *
 * @example
 * allocationDelta(before.profile, after.profile).text;
 * // "allocations: 44 189 → 4 149 (−90.61%), bytes: 717 428 → 175 748 (−75.50%) (exact, DHAT)"
 */
export function allocationDelta(before: Profile, after: Profile, opts: { base?: string; other?: string } = {}): AllocationDelta {
  const events = dhatEvents(before, after);
  const [blocks, bytes] = events;
  const baseBlocks = totalWeight(before, before.events.indexOf(blocks));
  const otherBlocks = totalWeight(after, after.events.indexOf(blocks));
  const baseBytes = totalWeight(before, before.events.indexOf(bytes));
  const otherBytes = totalWeight(after, after.events.indexOf(bytes));
  const delta = otherBlocks - baseBlocks;
  const word = blocks === "blocks" ? "allocations" : blocks;
  const text =
    `${word}: ${spacedDigits(baseBlocks)} → ${spacedDigits(otherBlocks)} (${change(baseBlocks, otherBlocks)}), ` +
    `${bytes}: ${spacedDigits(baseBytes)} → ${spacedDigits(otherBytes)} (${change(baseBytes, otherBytes)}) (exact, DHAT)`;
  return {
    base: opts.base ?? "before",
    other: opts.other ?? "after",
    events,
    baseBlocks,
    otherBlocks,
    baseBytes,
    otherBytes,
    delta,
    ratio: otherBlocks / baseBlocks,
    kind: delta < 0 ? "improved" : delta > 0 ? "regressed" : "no change",
    text,
  };
}

/**
 * Per function, the exact allocations made in it or in what it calls (total `blocks` and
 * `bytes`, recursion counted once) in the base profile and the other, and their change: columns
 * name, status ("vanished", "new", "fewer", "more", "same"), base_blocks, other_blocks,
 * delta_blocks, base_bytes, other_bytes, delta_bytes; the largest change in blocks first. Functions are
 * matched by name, so two builds line up; inlined functions count as functions.
 *
 * @example
 * allocationDeltaTable(before.profile, after.profile).filter((d) => d.status === "vanished").objects();
 */
export function allocationDeltaTable(before: Profile, after: Profile): ColumnTable {
  const [blocks, bytes] = dhatEvents(before, after);
  const totals = (p: Profile) => {
    const st = functionStats(p);
    const kb = p.events.indexOf(blocks);
    const ky = p.events.indexOf(bytes);
    const out = new Map<string, [number, number]>();
    st.name.forEach((name, i) => out.set(name, [st.total[kb]![i]!, st.total[ky]![i]!]));
    return out;
  };
  const a = totals(before);
  const b = totals(after);
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((n) => (a.get(n)?.[0] ?? 0) + (b.get(n)?.[0] ?? 0) + (a.get(n)?.[1] ?? 0) + (b.get(n)?.[1] ?? 0) > 0);
  const row = (n: string) => ({ bk0: a.get(n)?.[0] ?? 0, bk1: b.get(n)?.[0] ?? 0, by0: a.get(n)?.[1] ?? 0, by1: b.get(n)?.[1] ?? 0 });
  const rows = names.map((n) => ({ n, ...row(n) }));
  rows.sort((x, y) => Math.abs(y.bk1 - y.bk0) - Math.abs(x.bk1 - x.bk0) || Math.abs(y.by1 - y.by0) - Math.abs(x.by1 - x.by0) || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0));
  const status = (r: (typeof rows)[number]) =>
    r.bk1 === 0 && r.bk0 > 0 ? "vanished" : r.bk0 === 0 && r.bk1 > 0 ? "new" : r.bk1 < r.bk0 ? "fewer" : r.bk1 > r.bk0 ? "more" : "same";
  return columns({
    name: rows.map((r) => r.n),
    status: rows.map(status),
    base_blocks: Float64Array.from(rows, (r) => r.bk0),
    other_blocks: Float64Array.from(rows, (r) => r.bk1),
    delta_blocks: Float64Array.from(rows, (r) => r.bk1 - r.bk0),
    base_bytes: Float64Array.from(rows, (r) => r.by0),
    other_bytes: Float64Array.from(rows, (r) => r.by1),
    delta_bytes: Float64Array.from(rows, (r) => r.by1 - r.by0),
  });
}

/** The block and byte events both DHAT profiles share (their first two), or a clear error. */
function dhatEvents(before: Profile, after: Profile): [string, string] {
  for (const p of [before, after]) {
    if (p.format !== "dhat" || p.events.length < 2) {
      throw new Error(`flamebook: an allocation comparison needs two DHAT profiles (record them with dhat.record, or measure "dhat"); got a ${p.format} profile with events ${p.events.join(", ") || "none"}.`);
    }
  }
  const events: [string, string] = [before.events[0]!, before.events[1]!];
  if (after.events[0] !== events[0] || after.events[1] !== events[1]) {
    throw new Error(`flamebook: these DHAT profiles count different things (${events.join("/")} and ${after.events.slice(0, 2).join("/")}); record both in the same DHAT mode.`);
  }
  return events;
}
