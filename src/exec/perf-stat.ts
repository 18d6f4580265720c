import { mkdtempSync, rmSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecError } from "./errors.js";
import { findPerfStatLine, parsePerfStatCsv } from "./perf-stat-csv.js";
import { run } from "./run.js";

/** Whether this machine can count an event with `perf stat`. */
export type PerfEventSupport = "supported" | "not-supported" | "unknown-event" | "no-perf";

const cache = new Map<string, Promise<PerfEventSupport>>();
let scratch: string | undefined;
let seq = 0;

/**
 * A fresh file name in this process's scratch directory (removed when the process exits), for
 * `perf stat -o` and the `times` wrapper.
 *
 * @example
 * const out = scratchFile("stat"); // "/tmp/flamebook-stat-Ab12Cd/stat-1"
 */
export function scratchFile(stem: string): string {
  if (scratch === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "flamebook-stat-"));
    scratch = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(scratch, `${stem}-${++seq}`);
}

/**
 * Which of `events` this machine can count with `perf stat` (`perf stat -e ev -- true`, reading
 * `<not supported>`), as a map event → supported. The answer for each event is cached for the
 * life of the process. A name perf does not know, and every event when perf is missing or
 * refuses to run, count as unsupported; {@link perfEventSupport} tells these cases apart.
 *
 * @example
 * await perfStatSupport(["task-clock", "context-switches", "cycles", "instructions"]);
 * // { "task-clock": true, "context-switches": true, cycles: false, instructions: false } (in a VM without a PMU)
 */
export async function perfStatSupport(events: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Record<string, boolean>> {
  const found = await perfEventSupport(events, opts);
  return Object.fromEntries(Object.entries(found).map(([e, s]) => [e, s === "supported"]));
}

/**
 * Like {@link perfStatSupport}, with the reason for each event: "supported", "not-supported"
 * (perf knows it, the machine cannot count it: no PMU in a VM), "unknown-event" (perf rejects
 * the name) or "no-perf" (perf is missing or refuses to run at all).
 *
 * @example
 * await perfEventSupport(["task-clock", "cycels"]); // { "task-clock": "supported", cycels: "unknown-event" }
 */
export async function perfEventSupport(events: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Record<string, PerfEventSupport>> {
  const todo = [...new Set(events)].filter((e) => !cache.has(e));
  if (todo.length > 0) {
    // One perf run for all new events; only when perf rejects the lot is each one asked alone.
    const batch = probe(todo, opts.signal);
    todo.forEach((e) => cache.set(e, batch.then((r) => r.get(e) ?? "unknown-event")));
    batch.catch(() => todo.forEach((e) => cache.delete(e)));
  }
  const entries = await Promise.all(events.map(async (e) => [e, await cache.get(e)!] as const));
  return Object.fromEntries(entries);
}

async function probe(events: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, PerfEventSupport>> {
  const result = new Map<string, PerfEventSupport>();
  const out = scratchFile("probe");
  try {
    const r = await run("perf", ["stat", "-x,", "-o", out, ...events.flatMap((e) => ["-e", e]), "--", "true"], {
      check: false,
      discardStdout: true,
      timeoutMs: 30_000,
      signal,
    });
    const lines = parsePerfStatCsv(await readFile(out, "utf8").catch(() => ""));
    if (r.code === 0 && lines.length > 0) {
      for (const e of events) {
        const l = findPerfStatLine(lines, e);
        result.set(e, l === undefined ? "unknown-event" : l.status === "not-supported" ? "not-supported" : "supported");
      }
      return result;
    }
    if (events.length === 1) {
      // perf ran but refused: an unknown event name (exit 129, "event syntax error"), or perf itself
      // cannot count here (paranoid level, no perf_event_open): tell these apart with task-clock.
      const base = events[0] === "task-clock" ? "no-perf" : ((await probe(["task-clock"], signal)).get("task-clock") === "supported" ? "unknown-event" : "no-perf");
      result.set(events[0]!, base);
      return result;
    }
    for (const e of events) result.set(e, (await probe([e], signal)).get(e)!);
    return result;
  } catch (e) {
    if (e instanceof ExecError && (e.failure === "not-found" || e.failure === "spawn")) {
      for (const ev of events) result.set(ev, "no-perf");
      return result;
    }
    throw e;
  } finally {
    await rm(out, { force: true });
  }
}
