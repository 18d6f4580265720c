import { Command, Option } from "commander";
import { killAllGroups } from "../exec/index.js";
// Each command's module is loaded when that command runs: `flamebook collapse` starts in a
// fraction of the time it would take to load the notebook runner, the kernel and the reports.

/** The flags of `flamebook collapse`, as commander parses them. */
interface CollapseFlags {
  cleanNames: boolean;
  pid: boolean;
  tid: boolean;
  kernel: boolean;
  jit: boolean;
  inlined: boolean;
  all: boolean;
  annotate: boolean;
  addrs: boolean;
  event?: string;
  compat?: "perl" | "inferno";
}

/**
 * The `flamebook` command line. Errors print as one clear message (no stack trace) and exit 1;
 * Ctrl-C kills every process group we started and exits 130.
 *
 * @example
 * await main(["collapse", "perf.txt", "--clean-names"]);
 */
export async function main(argv: readonly string[]): Promise<void> {
  const abort = new AbortController();
  // Bound now: `flamebook run` captures process.stderr for cell output while cells run.
  const stderrWrite = process.stderr.write.bind(process.stderr);
  let forceExit = false;
  const quit = () => {
    abort.abort();
    killAllGroups();
    stderrWrite("\nflamebook: interrupted\n");
    process.exit(130);
  };
  // `flamebook run` stops gracefully on the first Ctrl-C (it saves the notebook so far); a second
  // one, or a run that does not stop within 20 s, quits at once. Other commands quit at once.
  let graceful: (() => void) | undefined;
  const onSigint = () => {
    if (!graceful) return quit();
    const stop = graceful;
    graceful = undefined;
    stderrWrite("\nflamebook: interrupted: stopping the running cell and saving the notebook so far (Ctrl-C again quits at once)\n");
    setTimeout(quit, 20_000).unref();
    stop();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  const printWarning = (w: string) => stderrWrite(`${w.replace(/^(flamebook: )?/, "flamebook: warning: ")}\n`);

  const program = new Command("flamebook")
    .description("Profile Rust programs: cargo profiling builds, perf recording, folded stacks, flamegraphs.")
    .showHelpAfterError();
  program
    .command("collapse")
    .description("read `perf script` output and print folded stacks (like stackcollapse-perf.pl / inferno-collapse-perf)")
    .argument("[file]", "perf script output, or - for stdin", "-")
    .option("--clean-names", "Rust: strip ::h<hash> suffixes and v0 crate disambiguators ([fdfd2bd8633a6659]); mangled and half-demangled names are demangled either way", false)
    .option("--pid", "add the pid to the process name", false)
    .option("--tid", "add the pid and tid to the process name", false)
    .option("--kernel", "suffix kernel frames with _[k]", false)
    .option("--jit", "suffix JIT frames (/tmp/perf-PID.map, jitted-*.so) with _[j]", false)
    .option("--inlined", "suffix inlined frames with _[i]", false)
    .option("--all", "every annotation: --kernel --jit --inlined", false)
    .option("--annotate", "the same as --all (kept for older scripts)", false)
    .option("--addrs", "name unresolved frames with their address: [libc.so.6 <7f12ab>]", false)
    .addOption(new Option("--event <name>", "the event to fold, or 'all' for each under its own root (default: the first one; a warning names the others)"))
    .addOption(new Option("--compat <tool>", "reproduce another collapser byte for byte (their name cutting and quirks included)").choices(["perl", "inferno"]))
    .action(async (file: string, o: CollapseFlags) => {
      const { collapse } = await import("./collapse.js");
      await collapse(file, { ...o, all: o.all || o.annotate }, process.stdout);
    });
  program
    .command("open")
    .description("write a self-contained interactive flamegraph page (no server, no CDN) for a profile and print its path")
    .argument("<profile>", "any profile flamebook reads: perf.data (through `perf script`), perf script, folded, pprof, Firefox/samply, speedscope, cpuprofile, callgrind, cachegrind, DHAT (valgrind or dhat-rs)")
    .option("-o, --output <file>", "where to write the page (default: <profile name>.html here)")
    .option("--title <text>", "page title (default: the profile's file name)")
    .option("--format <name>", "input format (default: sniffed from the content)")
    .option("--event <name>", "event to draw (default: the first one)")
    .action(async (file: string, o: { output?: string; title?: string; format?: string; event?: string }) => {
      const { openCommand } = await import("./open.js");
      process.stdout.write(`${await openCommand(file, { ...o, onWarning: printWarning })}\n`);
    });
  program
    .command("record")
    .description("record any command with perf (cpu-clock, dwarf call graphs), or its heap allocations with valgrind's DHAT (--alloc); write its flamegraph page and print a summary; the program's output passes through")
    .usage("[options] -- <command> [args...]")
    .argument("<command...>", "the command to record and its arguments (put them after --)")
    .option("--html <file>", "where to write the page (default: <command name>.flamegraph.html here)")
    .option("--out <file>", "where to keep perf.data, or with --alloc DHAT's JSON (default: .flamebook/recordings/<command>-<time>-<pid>.perf.data or .dhat.json)")
    .option("--freq <n>", "samples per second (perf -F), a whole number from 1 to 100000 (default: 997)", (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000) throw new Error(`flamebook record: --freq takes a whole number of samples per second from 1 to 100000 (997 is the default), got ${JSON.stringify(v)}.`);
      return v;
    })
    .option("--title <text>", "page title (default: the command line)")
    .option("--event <name>", "the event to sample, perf -e (default: cpu-clock, a software event that works in VMs)")
    .option("--off-cpu", "also record every context switch: time off the CPU (blocked or waiting for a CPU) under the stack where the program waited, a second page <page>.offcpu.html; needs root, or perf_event_paranoid -1 and a readable /sys/kernel/tracing")
    .option("--alloc", "count heap allocations instead of sampling time: the command runs under valgrind's DHAT (10–50× slower), the page shows blocks allocated per stack, --out keeps DHAT's JSON; exact counts")
    .action(async (argv: string[], o: { html?: string; out?: string; freq?: string; title?: string; event?: string; offCpu?: boolean; alloc?: boolean }) => {
      const { recordCommand } = await import("./record.js");
      const freq = o.freq === undefined ? undefined : Number(o.freq);
      process.exitCode = await recordCommand(argv, { html: o.html, out: o.out, freq, title: o.title, event: o.event, offCpu: o.offCpu, alloc: o.alloc, signal: abort.signal });
    });
  program
    .command("diff")
    .description("write the diff flamegraph page of two profiles (vanished frames kept, new ones marked) and print the functions that grew and shrank most")
    .argument("<before>", "the baseline profile, any format flamebook reads (perf.data too)")
    .argument("<after>", "the profile to compare with it")
    .option("-o, --output <file>", "where to write the page", "diff.html")
    .option("--title <text>", "page title (default: '<before> → <after>')")
    .option("--normalize", "compare shares of each profile's whole (the default)")
    .option("--absolute", "compare weights as recorded")
    .option("--format <name>", "input format of both files (default: sniffed from each file's content)")
    .action(async (before: string, after: string, o: { output: string; title?: string; normalize?: boolean; absolute?: boolean; format?: string }) => {
      if (o.normalize && o.absolute) throw new Error("flamebook diff: give --normalize or --absolute, not both.");
      const { diffCommand } = await import("./diff.js");
      const r = await diffCommand(before, after, { output: o.output, title: o.title, format: o.format, mode: o.absolute ? "absolute" : "proportional", onWarning: printWarning });
      process.stdout.write(`${r.text}\n`);
    });
  program
    .command("run")
    .description("execute a notebook headlessly with the flamebook kernel in this process (no Jupyter needed) and save it")
    .argument("<notebook>", "the .ipynb to run")
    .option("-p, --param <name=value>", "set a parameter declared in the cell tagged `parameters` (repeatable; values are JSON or strings)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("-o, --out <file>", "where to write the executed notebook (default: <name>.out.ipynb next to it)")
    .option("--html <file>", "also write a self-contained HTML report")
    .option("--cwd <dir>", "directory the cells run in (default: the notebook's directory)")
    .action(async (file: string, o: { param: string[]; out?: string; html?: string; cwd?: string }) => {
      // Cells may leave timers or handles behind; the run is over when its notebook is written.
      forceExit = true;
      const { runCommand } = await import("./run.js");
      graceful = () => abort.abort();
      const r = await runCommand(file, { ...o, signal: abort.signal });
      graceful = undefined;
      for (const v of r.verdicts) process.stdout.write(`verdict: ${v}\n`);
      if (r.interrupted) {
        killAllGroups();
        stderrWrite(`${r.error}\n`);
        process.exit(130);
      }
      if (!r.ok) throw new Error(r.error);
      if (r.html) process.stdout.write(`report: ${r.html}\n`);
    });
  program
    .command("report")
    .description("write one self-contained HTML page (no network, no server) from an executed notebook: markdown, code, outputs, interactive flamegraphs, verdicts; prints its path")
    .argument("<notebook>", "an executed .ipynb (nbformat 4)")
    .option("-o, --output <file>", "where to write the page (default: <notebook name>.html next to it)")
    .option("--title <text>", "page title (default: the notebook's first '# ' heading)")
    .option("--no-code", "leave out the source of code cells")
    .action(async (file: string, o: { output?: string; title?: string; code: boolean }) => {
      const { reportCommand } = await import("./report.js");
      process.stdout.write(`${await reportCommand(file, { output: o.output, title: o.title, noCode: !o.code })}\n`);
    });
  const kernel = program.command("kernel").description("the flamebook Jupyter kernel (TypeScript cells, widgets, interrupts)");
  kernel
    .command("install")
    .description("write the kernelspec so Jupyter can start the flamebook kernel; prints its directory")
    .option("--user", "install for this user (~/.local/share/jupyter/kernels)", false)
    .option("--prefix <dir>", "install under <dir>/share/jupyter/kernels (e.g. a virtualenv)")
    .option("--name <name>", "kernel name (default: flamebook)")
    .action(async (o: { user: boolean; prefix?: string; name?: string }) => {
      const { installKernelSpec } = await import("./kernel-install.js");
      process.stdout.write(`${installKernelSpec(o)}\n`);
    });
  program
    .command("demo")
    .description("build the clone-in-loop crate before and after its fix, record both with perf, print the top functions")
    .option("--records <n>", "records per round", "200000")
    .option("--rounds <n>", "rounds over the records (default: the crate's own)")
    .action(async (o: { records: string; rounds?: string }) => {
      const { demo } = await import("./demo.js");
      await demo({ records: Number(o.records), rounds: o.rounds === undefined ? undefined : Number(o.rounds), signal: abort.signal });
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
  if (forceExit) process.exit(process.exitCode ?? 0);
}

