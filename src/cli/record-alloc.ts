// `flamebook record --alloc`: any command under valgrind's DHAT, its allocation flamegraph page
// and a summary of exact counts. The perf path is record.ts; this one shares its conventions
// (the program's output passes through, the page and the kept file appear whole or not at all).
import { mkdirSync, renameSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Profile } from "../model/profile.js";
import { dhat } from "../record/dhat.js";
import { flamegraph } from "../table/flamegraph.js";
import type { RecordCommandIo } from "./record.js";
import { groupDigits } from "../model/format-weight.js";
import { frameCategory } from "../model/frame-category.js";

/** Options of `flamebook record --alloc`. Every option documents its default. */
export interface RecordAllocOptions {
  /** Where to write the page. Default: `<command name>.alloc.html` in the current directory. */
  html?: string;
  /** Where to keep DHAT's JSON. Default: `.flamebook/recordings/<command>-<time>-<pid>.dhat.json` here. */
  out?: string;
  /** Page title. Default: the command line. */
  title?: string;
  /** Stops valgrind and the command. Default: none. */
  signal?: AbortSignal;
}

/**
 * Records `exe args…` with {@link dhat.record} (valgrind's DHAT, heap mode), writes the flamegraph
 * page of allocation counts (event `blocks`, with `bytes`, `maxBytes`, `readBytes`, `writeBytes`
 * in the same tables) and prints a summary: blocks and bytes allocated (exact), the slowdown under
 * valgrind, warnings, the functions of the user's crates that asked for the blocks (the innermost such frame of each stack), the kept DHAT file (valgrind's dh_view.html
 * opens it too) and the page's path as the last line. Resolves to the command's exit code.
 *
 * @example
 * const code = await recordAllocCommand("/usr/bin/sort", ["big.txt"], { html: "sort.alloc.html" });
 */
export async function recordAllocCommand(exe: string, args: readonly string[], opts: RecordAllocOptions = {}, io: RecordCommandIo = process): Promise<number> {
  const name = basename(exe);
  const html = resolve(opts.html ?? `${name}.alloc.html`);
  const title = opts.title ?? [name, ...args].join(" ");
  const out = opts.out === undefined ? undefined : resolve(opts.out);
  const rec = await dhat.record(
    { command: exe, args },
    {
      outDir: out ? dirname(out) : undefined,
      signal: opts.signal,
      onOutputLine: (line, stream) => (stream === "stdout" ? io.stdout : io.stderr).write(`${line}\n`),
    },
  );
  mkdirSync(dirname(html), { recursive: true });
  const page = await flamegraph(rec.profile, { title: `${title}: allocations`, event: "blocks" }).save(html, { title: `${title}: allocations` });
  // DHAT's file was written beside `out` (same directory, so the rename is atomic)
  const kept = out ?? rec.outFile;
  if (out) renameSync(rec.outFile, out);

  const code = rec.exitCode ?? 1;
  const lines = [
    `── flamebook record --alloc: ${title}`,
    `allocations: ${groupDigits(rec.blocks)} blocks, ${groupDigits(rec.bytes)} bytes allocated (exact, valgrind's DHAT: a single-threaded program gives the same counts on every run of the same input)`,
    `duration: ${rec.wallS.toFixed(2)} s under valgrind (programs run 10–50× slower there: time them with flamebook record, not this)`,
    ...rec.warnings.map((w) => `warning: ${w}`),
    // self is always the allocator (malloc, realloc) and total is a chain of std frames: what a
    // reader wants is which of their functions allocates, the first of their crates' frames
    `where: the blocks by the innermost function of your crates on their stacks (the code that asked for them):`,
    ...ownAllocators(rec.profile, 8),
    ...(code !== 0 ? [`the command exited with code ${code}: the counts are what it did until then.`] : []),
    `DHAT file: ${kept} (valgrind's dh_view.html opens it too)`,
    page,
  ];
  io.stdout.write(`${lines.join("\n")}\n`);
  if (code !== 0) io.stderr.write(`flamebook record: ${name} exited with code ${code}.\n`);
  return code;
}

/**
 * The top `n` functions of the user's own crates by the blocks (event 0) allocated under them,
 * each block counted once, for the innermost such frame on its stack; blocks whose stacks have no
 * frame of the user's crates (std's own start-up, C code) are one line. Lines of text, shares of
 * all blocks.
 */
function ownAllocators(profile: Profile, n: number): string[] {
  const { frames, stacks, samples } = profile;
  const own = frames.name.map((name, f) => frameCategory(name, frames.kind[f]!, frames.module[f]!) === "user");
  const innermost = new Int32Array(stacks.frame.length).fill(-1); // per stack: its innermost own frame, or -1
  for (let s = 0; s < stacks.frame.length; s++) {
    const f = stacks.frame[s]!;
    const up = stacks.parent[s]!;
    innermost[s] = own[f] ? f : up >= 0 ? innermost[up]! : -1;
  }
  const byFrame = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < samples.weight.length; i++) {
    if (samples.event[i] !== 0) continue;
    const s = samples.stack[i]!;
    const f = s >= 0 ? innermost[s]! : -1;
    const key = f >= 0 ? frames.name[f]! : "(no frame of your crates: std's start-up, C code)";
    byFrame.set(key, (byFrame.get(key) ?? 0) + samples.weight[i]!);
    all += samples.weight[i]!;
  }
  const top = [...byFrame.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return top.map(([name, w]) => `  ${(all > 0 ? `${((100 * w) / all).toFixed(1)}%` : "-").padStart(7)} ${groupDigits(w).padStart(12)}  ${name.length > 110 ? `${name.slice(0, 109)}…` : name}`);
}
