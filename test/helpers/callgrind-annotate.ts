// Runs the real `callgrind_annotate` (valgrind's Perl script) on a file and reads its function table, for agreement tests.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One row of callgrind_annotate's function table: a `file:function` key and its figures. */
export interface AnnotateRow {
  /** The source file of the key (the function's own file, or an inlined file's). */
  file: string;
  name: string;
  /** One figure per event, in the file's event order ("." is 0). */
  values: number[];
  /** True when callgrind_annotate lists callers of this key (`--tree=caller`). */
  called: boolean;
}

/** What callgrind_annotate printed: the events, `PROGRAM TOTALS`, and every function key. */
export interface AnnotateTable {
  events: string[];
  total: number[];
  /** True when PROGRAM TOTALS says "(calculated)": the file had no nonzero summary:/totals:. */
  calculated: boolean;
  rows: AnnotateRow[];
  /** Its warnings (lines it skipped as malformed), if any. */
  stderr: string;
}

/** The result of a run: the table, or what went wrong (callgrind_annotate missing, or its error). */
export type AnnotateResult = { table: AnnotateTable } | { missing: true } | { error: string };

/**
 * Runs `callgrind_annotate --inclusive=yes|no --tree=caller --threshold=100 --auto=no
 * --show-percs=no` on `path` and parses every function row. It runs in an empty directory, since
 * callgrind_annotate strips the working directory from file names. `objects` are the object
 * names (`ob=`) of the file: callgrind_annotate prints a key's object as a trailing ` [object]`.
 *
 * @example
 * const r = runAnnotate("callgrind.out", false, ["/bin/app"]);
 * if ("table" in r) r.table.rows[0]; // { file: "main.c", name: "main", values: [13, 2], called: false }
 */
export function runAnnotate(path: string, inclusive: boolean, objects: Iterable<string>): AnnotateResult {
  const cwd = mkdtempSync(join(tmpdir(), "flamebook-annotate-"));
  try {
    const args = [`--inclusive=${inclusive ? "yes" : "no"}`, "--tree=caller", "--threshold=100", "--auto=no", "--show-percs=no", path];
    const r = spawnSync("callgrind_annotate", args, { encoding: "utf8", cwd, maxBuffer: 256 * 1024 * 1024 });
    if (r.error) return (r.error as NodeJS.ErrnoException).code === "ENOENT" ? { missing: true } : { error: String(r.error) };
    if (r.status !== 0) return { error: `callgrind_annotate exited with ${r.status}: ${r.stderr.trim()}` };
    return { table: parseAnnotate(r.stdout, r.stderr, [...objects]) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * Parses callgrind_annotate's output (with `--tree=caller --show-percs=no`). Carriage returns
 * are dropped (it keeps a CRLF file's "\r" in names).
 *
 * @example
 * parseAnnotate(stdout, "", ["/bin/app"]).rows.find((r) => r.name === "main");
 */
export function parseAnnotate(stdout: string, stderr: string, objects: readonly string[]): AnnotateTable {
  const lines = stdout.replace(/\r/g, "").split("\n");
  const shown = lines.find((l) => l.startsWith("Events shown:"));
  if (shown === undefined) throw new Error(`callgrind_annotate printed no 'Events shown:' line:\n${stdout.slice(0, 2000)}`);
  const events = shown.slice("Events shown:".length).trim().split(/\s+/);
  // one column per event: a count with commas, or "." (none); a percentage when percentages are on
  const columns = new RegExp(`^ *${String.raw`([\d,]+|\.)(?: \( *-?[\d.]+%\))? +`.repeat(events.length)}(.*)$`);
  // longest first, so "/lib/a.so" does not cut "[/lib/a.so.6]" short
  const suffixes = [...new Set(objects)].filter((o) => o !== "").sort((a, b) => b.length - a.length).map((o) => ` [${o}]`);
  const table: AnnotateTable = { events, total: [], calculated: false, rows: [], stderr };
  let inFunctions = false;
  let called = false;
  for (const line of lines) {
    if (/ file:function$/.test(line)) {
      inFunctions = true;
      continue;
    }
    if (line.trim() === "") {
      called = false;
      continue;
    }
    const m = columns.exec(line);
    if (m === null) continue;
    const values = m.slice(1, 1 + events.length).map((v) => (v === "." ? 0 : Number(v.replace(/,/g, ""))));
    const rest = m[1 + events.length]!;
    if (!inFunctions) {
      if (rest.startsWith("PROGRAM TOTALS")) {
        table.total = values;
        table.calculated = rest.includes("(calculated)");
      }
      continue;
    }
    if (rest.startsWith("< ")) {
      called = true;
      continue;
    }
    if (!rest.startsWith("*  ")) throw new Error(`callgrind_annotate: an unexpected function row: ${JSON.stringify(line)}`);
    let key = rest.slice(3);
    const suffix = suffixes.find((s) => key.endsWith(s));
    if (suffix !== undefined) key = key.slice(0, -suffix.length);
    const colon = key.indexOf(":");
    table.rows.push({ file: key.slice(0, colon), name: key.slice(colon + 1), values, called });
  }
  return table;
}

/**
 * Per function name, callgrind_annotate's figures for one event summed over its keys. Self
 * (`--inclusive=no`): every key (a function's cost is split over the files of its inlined
 * code). Inclusive: the keys that have callers (each is one function; the calls into it are
 * its inclusive cost, which covers its inlined parts), or, for a function nobody calls, all
 * its keys (self plus calls out, split by file).
 *
 * @example
 * byName(selfTable, 0).get("main"); // 13
 */
export function byName(t: AnnotateTable, event: number, inclusive: boolean): Map<string, number> {
  const calledNames = new Set(t.rows.filter((r) => r.called).map((r) => r.name));
  const out = new Map<string, number>();
  for (const r of t.rows) {
    if (inclusive && calledNames.has(r.name) && !r.called) continue;
    out.set(r.name, (out.get(r.name) ?? 0) + r.values[event]!);
  }
  return out;
}
