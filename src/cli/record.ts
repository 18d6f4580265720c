import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { functionTotals, totalWeight } from "../fold/function-totals.js";
import { perf } from "../record/perf.js";
import { flamegraph } from "../table/flamegraph.js";
import { functionTable } from "./text-table.js";
import { mkdirStore } from "../fs/self-ignored.js";
import { recordAllocCommand } from "./record-alloc.js";

/** Options of `flamebook record`. Every option documents its default. */
export interface RecordCommandOptions {
  /** Where to write the flamegraph page. Default: `<command name>.flamegraph.html` in the current directory. */
  html?: string;
  /** Where to keep perf.data. Default: `.flamebook/recordings/<command>-<time>-<pid>.perf.data` here. */
  out?: string;
  /** Samples per second (perf -F). Default: 997. */
  freq?: number;
  /** The event to sample (perf -e). Default: cpu-clock (a software event: works in VMs without a PMU). */
  event?: string;
  /** Page title. Default: the command line. */
  title?: string;
  /** Stops perf and the command. Default: none. */
  signal?: AbortSignal;
  /**
   * Also record every context switch (see `perf.record`'s `offCpu`): the summary says what share
   * of the wall time was off the CPU and where, and a second page, `<page>.offcpu.html` next to
   * the CPU page, shows the off-CPU flamegraph. Default: false.
   */
  offCpu?: boolean;
  /**
   * Count allocations instead of sampling time: the command runs under valgrind's DHAT (see
   * {@link recordAllocCommand}); `out` is then where DHAT's JSON is kept and the page shows blocks
   * allocated. Not with `freq`, `event` or `offCpu`. Default: false.
   */
  alloc?: boolean;
}

/** Where `flamebook record` writes: the program's output, then its own summary. Default: this process's streams. */
export interface RecordCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** A command that cannot be started: exit code 127 (not found) or 126 (not executable), as shells do. */
export class CommandNotFound extends Error {
  constructor(
    message: string,
    readonly exitCode: 126 | 127,
  ) {
    super(message);
  }
}

/**
 * `flamebook record [--html page.html] [--out perf.data] [--freq N] [--title T] -- <cmd> [args…]`:
 * records any command with `perf record -e cpu-clock --call-graph dwarf` (through
 * {@link perf.record}), writes the self-contained flamegraph page and prints a summary: sample
 * count, duration, lost samples, warnings, the top 5 functions by self time, then the page's
 * path as the last line. Resolves to the exit code to use: the command's own (the page is
 * written even when it failed), 127/126 when it cannot be started. Perf errors (missing,
 * not permitted) are thrown.
 *
 * The program's stdout and stderr pass through line by line as it runs (its stdin is
 * /dev/null); perf's own `[ perf record: … ]` lines are left out, the summary says the same.
 * perf.data is written in a private temporary directory and only renamed to its final name
 * when the recording is complete; an interrupted run (Ctrl-C) removes it, and the page is
 * written to a temporary name and renamed, so nothing left behind reads as complete.
 *
 * @example
 * const code = await recordCommand(["./target/profiling/wordfreq", "200000"], { html: "wf.html" });
 * process.exitCode = code;
 */
export async function recordCommand(argv: readonly string[], opts: RecordCommandOptions = {}, io: RecordCommandIo = process): Promise<number> {
  const [command, ...args] = argv;
  if (!command) throw new Error("flamebook record: give the command to record after --, e.g. `flamebook record -- ./target/release/app --n 1000`.");
  const frequency = opts.freq ?? 997;
  if (!Number.isInteger(frequency) || frequency <= 0) throw new Error(`flamebook record: --freq must be a positive whole number of samples per second, got '${opts.freq}'.`);

  let exe: string;
  try {
    exe = findExecutable(command);
  } catch (e) {
    if (!(e instanceof CommandNotFound)) throw e;
    io.stderr.write(`${e.message}\n`);
    return e.exitCode;
  }

  if (opts.alloc) {
    const clash = (["freq", "event", "offCpu"] as const).filter((k) => opts[k] !== undefined && opts[k] !== false);
    if (clash.length > 0) throw new Error(`flamebook record: --alloc counts allocations under valgrind and samples nothing, so it takes no ${clash.map((k) => `--${k === "offCpu" ? "off-cpu" : k}`).join(" or ")}; record twice, once with --alloc and once without.`);
    return recordAllocCommand(exe, args, { html: opts.html, out: opts.out, title: opts.title, signal: opts.signal }, io);
  }

  // perf missing or not permitted: say so before anything is written
  await perf.preflight({ signal: opts.signal });

  const name = basename(command);
  const html = resolve(opts.html ?? `${name}.flamegraph.html`);
  const title = opts.title ?? [name, ...args].join(" ");
  const keepDir = opts.out ? dirname(resolve(opts.out)) : resolve(".flamebook/recordings");
  mkdirStore(keepDir);
  // perf writes into a private directory next to the final place (same file system, so the
  // final rename is atomic); whatever stops this process removes it.
  const work = mkdtempSync(join(keepDir, ".flamebook-record-"));
  const offHtml = opts.offCpu ? offCpuPagePath(html) : undefined;
  const cleanup = () => {
    rmSync(work, { recursive: true, force: true }); // the pages' temporary files: src/fs/atomic.ts's exit hook
  };
  process.on("exit", cleanup);
  try {
    const rec = await perf.record(
      { command: exe, args },
      {
        frequency,
        event: opts.event,
        offCpu: opts.offCpu,
        outDir: work,
        signal: opts.signal,
        onOutputLine: (line, stream) => {
          if (stream === "stdout") io.stdout.write(`${line}\n`);
          else if (!/^\[ perf record: /.test(line)) io.stderr.write(`${line}\n`);
        },
      },
    );
    const perfData = opts.out ? resolve(opts.out) : join(keepDir, basename(rec.perfData));
    let page: string;
    let offPage: string | undefined;
    try {
      mkdirSync(dirname(html), { recursive: true });
      if (offHtml) offPage = await flamegraph(rec.profile, { title: `${title}: off the CPU`, event: "offcpu" }).save(offHtml, { title: `${title}: off the CPU` });
      page = await flamegraph(rec.profile, { title }).save(html, { title });
    } finally {
      // Renamed in the same turn as the page's own rename completes, so a Ctrl-C (handled
      // between turns) sees both or neither. A page that cannot be written keeps the recording.
      renameSync(rec.perfData, perfData);
    }

    const s = rec.summary();
    const all = s.offCpu ? s.weight : totalWeight(rec.profile);
    const code = rec.exitCode ?? 1;
    const lines = [
      `── flamebook record: ${title}`,
      `samples:  ${s.samples} (${opts.event ?? "cpu-clock"} at ${frequency} Hz${s.offCpu ? ", and every context switch" : ""}), ${s.lost} lost`,
      `duration: ${Number.isFinite(s.durationS) ? `${s.durationS.toFixed(2)} s sampled` : "unknown"}, ${s.wallS.toFixed(2)} s wall`,
      ...(s.offCpu ? [s.offCpu.text] : []),
      ...s.warnings.map((w) => `warning: ${w}`),
      functionTable(functionTotals(rec.profile), "self", 5, all),
      ...(code !== 0 ? [`the command exited with code ${code}: the page shows what it did until then.`] : []),
      `perf.data: ${perfData}`,
      ...(offPage ? [`off-CPU page: ${offPage}`] : []),
      page,
    ];
    io.stdout.write(`${lines.join("\n")}\n`);
    if (code !== 0) io.stderr.write(`flamebook record: ${name} exited with code ${code}.\n`);
    return code;
  } finally {
    process.off("exit", cleanup);
    cleanup();
  }
}

/**
 * Where `flamebook record --off-cpu` writes the off-CPU page: `.offcpu` before the CPU page's
 * `.flamegraph.html` / `.html` ending.
 *
 * @example
 * offCpuPagePath("app.flamegraph.html"); // "app.offcpu.flamegraph.html"
 * offCpuPagePath("out/wf.html");         // "out/wf.offcpu.html"
 */
export function offCpuPagePath(html: string): string {
  const m = /((?:\.flamegraph)?\.html?)$/i.exec(html);
  return m ? `${html.slice(0, m.index)}.offcpu${m[1]}` : `${html}.offcpu.html`;
}

/**
 * The path `command` runs as: itself when it has a slash, else the first executable file of that
 * name on PATH. Throws {@link CommandNotFound} with a message that names the command.
 *
 * @example
 * findExecutable("sh"); // "/usr/bin/sh"
 */
export function findExecutable(command: string, path = process.env.PATH ?? ""): string {
  if (command.includes("/")) {
    const abs = isAbsolute(command) ? command : resolve(command);
    if (!isFile(abs)) throw new CommandNotFound(`flamebook record: command '${command}' not found: no such file.`, 127);
    if (!isExecutable(abs)) throw new CommandNotFound(`flamebook record: command '${command}' is not executable (chmod +x it?).`, 126);
    return abs;
  }
  for (const dir of path.split(delimiter)) {
    const candidate = resolve(dir || ".", command);
    if (isFile(candidate) && isExecutable(candidate)) return candidate;
  }
  throw new CommandNotFound(`flamebook record: command '${command}' not found on PATH (${path || "empty"}).`, 127);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
