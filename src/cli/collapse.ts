import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { toFolded } from "../fold/to-folded.js";
import type { Profile } from "../model/profile.js";
import { PeerCollapser, type PeerDialect } from "../samples/perf/peer-collapse.js";
import { perfScript } from "../samples/perf/perf-script.js";
import { parseInput, type TextInput } from "../samples/read-lines.js";

/** Options of the `flamebook collapse` command. Every option documents its default. */
export interface CollapseOptions {
  /** Strip Rust `::h<hash>` suffixes and finish half-demangled legacy names. Default: false. */
  cleanNames?: boolean;
  /** Add the pid to the process name. Default: false. */
  pid?: boolean;
  /** Add the pid and tid to the process name. Default: false. */
  tid?: boolean;
  /** Annotate kernel frames with `_[k]`. Default: false. */
  kernel?: boolean;
  /** Annotate JIT frames with `_[j]`. Default: false. */
  jit?: boolean;
  /** Annotate inlined frames with `_[i]`. Default: false. */
  inlined?: boolean;
  /** Every annotation (kernel, JIT, inlined). Default: false. */
  all?: boolean;
  /** Name unresolved frames with their address. Default: false. */
  addrs?: boolean;
  /** The event to fold, or "all". Default: the first one (a warning names the others). */
  event?: string;
  /** Reproduce stackcollapse-perf.pl or inferno-collapse-perf byte for byte. Default: flamebook's own reading. */
  compat?: PeerDialect;
}

/**
 * `flamebook collapse [file|-]`: streams `perf script` output and writes folded stacks, like
 * stackcollapse-perf.pl / inferno-collapse-perf. Memory is bounded by the number of distinct
 * stacks (samples are merged as they are read). Warnings go to stderr; nothing reaches `out`
 * unless the whole input was read.
 *
 * @example
 * await collapse("perf.txt", { cleanNames: true }, process.stdout);
 */
export async function collapse(file: string, opts: CollapseOptions, out: NodeJS.WritableStream): Promise<void> {
  const input = file === "-" ? process.stdin : (await isGzipFile(file)) ? createReadStream(file).pipe(createGunzip()) : { path: file };
  const source = file === "-" ? "<stdin>" : file;
  if (opts.compat !== undefined) return compatCollapse(input, source, opts, out);
  const profile = await parseInput(perfScript.parser({ source, cleanNames: opts.cleanNames, keepSamples: false, addrs: opts.addrs }), input, source);
  for (const w of [...profile.warnings, ...eventWarnings(profile, opts.event)]) process.stderr.write(`flamebook: warning: ${w}\n`);
  const all = opts.all ?? false;
  const lines = toFolded(profile, { pid: opts.pid, tid: opts.tid, kernel: all || opts.kernel, jit: all || opts.jit, inlined: all || opts.inlined, event: opts.event });
  // write in large blocks: one write per line is slow on pipes
  for (let i = 0; i < lines.length; i += 4096) await write(out, lines.slice(i, i + 4096).join("\n") + "\n");
}

/** Without `--event`, samples of events other than the first are left out: say which, and how to get them. */
function eventWarnings(profile: Profile, event: string | undefined): string[] {
  if (event !== undefined || profile.events.length < 2) return [];
  const count = profile.events.map(() => 0);
  for (let i = 0; i < profile.samples.event.length; i++) count[profile.samples.event[i]!]!++;
  const others = profile.events.slice(1).map((e, i) => `${e} (${count[i + 1]} stack${count[i + 1] === 1 ? "" : "s"})`);
  return [`folded the first event, ${profile.events[0]}, only; also in the input: ${others.join(", ")}. Choose one with --event NAME, or fold each under its own root with --event all.`];
}

async function compatCollapse(input: TextInput | { path: string }, source: string, opts: CollapseOptions, out: NodeJS.WritableStream): Promise<void> {
  const tool = opts.compat === "perl" ? "stackcollapse-perf.pl" : "inferno-collapse-perf";
  if (opts.compat !== "perl" && opts.compat !== "inferno") throw new Error(`flamebook collapse: --compat takes perl or inferno, got '${String(opts.compat)}'.`);
  const own = [opts.cleanNames && "--clean-names", opts.inlined && "--inlined", opts.event === "all" && "--event all"].filter(Boolean);
  if (own.length > 0) throw new Error(`flamebook collapse: ${own.join(", ")} has no counterpart in ${tool}; leave it out with --compat ${opts.compat}.`);
  const r = await parseInput(new PeerCollapser({ dialect: opts.compat, pid: opts.pid, tid: opts.tid, kernel: opts.kernel, jit: opts.jit, all: opts.all, addrs: opts.addrs, event: opts.event }), input, source);
  for (const w of r.warnings) process.stderr.write(`flamebook: warning: ${w}\n`);
  await write(out, r.output);
}

/** True when the file starts with gzip's magic bytes (`perf script | gzip` is a common way to keep it). */
async function isGzipFile(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch {
    return false; // the reader names a missing file
  }
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function write(out: NodeJS.WritableStream, data: string | Buffer): Promise<void> | void {
  if (!out.write(data)) return new Promise((r) => out.once("drain", () => r()));
}
