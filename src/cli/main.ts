import { Command, Option } from "commander";
import { killAllGroups } from "../exec/index.js";
import { collapse } from "./collapse.js";
import { demo } from "./demo.js";
import { openCommand } from "./open.js";
import { runCommand } from "./run.js";
import { installKernelSpec } from "./kernel-install.js";

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
  const onSigint = () => {
    abort.abort();
    killAllGroups();
    stderrWrite("\nflamebook: interrupted\n");
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);

  const program = new Command("flamebook")
    .description("Profile Rust programs: cargo profiling builds, perf recording, folded stacks, flamegraphs.")
    .showHelpAfterError();
  program
    .command("collapse")
    .description("read `perf script` output and print folded stacks (like stackcollapse-perf.pl / inferno-collapse-perf)")
    .argument("[file]", "perf script output, or - for stdin", "-")
    .option("--clean-names", "strip Rust ::h<hash> suffixes", false)
    .option("--pid", "add the pid to the process name", false)
    .option("--tid", "add the pid and tid to the process name", false)
    .option("--annotate", "suffix kernel frames with _[k] and inlined ones with _[i]", false)
    .addOption(new Option("--event <name>", "which event to fold (default: the first one)"))
    .action(async (file: string, o: { cleanNames: boolean; pid: boolean; tid: boolean; annotate: boolean; event?: string }) => {
      await collapse(file, o, process.stdout);
    });
  program
    .command("open")
    .description("write a self-contained interactive flamegraph page (no server, no CDN) for a profile and print its path")
    .argument("<profile>", "any profile flamebook reads: perf script, folded, pprof, Firefox/samply, speedscope, cpuprofile, callgrind")
    .option("-o, --output <file>", "where to write the page (default: <profile name>.html here)")
    .option("--title <text>", "page title (default: the profile's file name)")
    .option("--format <name>", "input format (default: sniffed from the content)")
    .option("--event <name>", "event to draw (default: the first one)")
    .action(async (file: string, o: { output?: string; title?: string; format?: string; event?: string }) => {
      process.stdout.write(`${await openCommand(file, o)}\n`);
    });
  program
    .command("record")
    .description("record any command with perf (cpu-clock, dwarf call graphs), write its flamegraph page and print a summary; the program's output passes through")
    .usage("[options] -- <command> [args...]")
    .argument("<command...>", "the command to record and its arguments (put them after --)")
    .option("--html <file>", "where to write the page (default: <command name>.flamegraph.html here)")
    .option("--out <file>", "where to keep perf.data (default: .flamebook/recordings/<command>-<time>-<pid>.perf.data)")
    .option("--freq <n>", "samples per second (perf -F), a whole number from 1 to 100000", (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000) throw new Error(`flamebook record: --freq takes a whole number of samples per second from 1 to 100000 (997 is the default), got ${JSON.stringify(v)}.`);
      return v;
    }, "997")
    .option("--title <text>", "page title (default: the command line)")
    .action(async (argv: string[], o: { html?: string; out?: string; freq: string; title?: string }) => {
      const { recordCommand } = await import("./record.js");
      process.exitCode = await recordCommand(argv, { html: o.html, out: o.out, freq: Number(o.freq), title: o.title, signal: abort.signal });
    });
  program
    .command("diff")
    .description("write the diff flamegraph page of two profiles (vanished frames kept, new ones marked) and print the functions that grew and shrank most")
    .argument("<before>", "the baseline profile, any format flamebook reads")
    .argument("<after>", "the profile to compare with it")
    .option("-o, --output <file>", "where to write the page", "diff.html")
    .option("--title <text>", "page title (default: '<before> → <after>')")
    .option("--normalize", "compare shares of each profile's whole (the default)")
    .option("--absolute", "compare weights as recorded")
    .option("--format <name>", "input format of both files (default: sniffed from each file's content)")
    .action(async (before: string, after: string, o: { output: string; title?: string; normalize?: boolean; absolute?: boolean; format?: string }) => {
      if (o.normalize && o.absolute) throw new Error("flamebook diff: give --normalize or --absolute, not both.");
      const { diffCommand } = await import("./diff.js");
      const r = await diffCommand(before, after, { output: o.output, title: o.title, format: o.format, mode: o.absolute ? "absolute" : "proportional" });
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
      const r = await runCommand(file, o);
      for (const v of r.verdicts) process.stdout.write(`verdict: ${v}\n`);
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
    .action((o: { user: boolean; prefix?: string; name?: string }) => {
      process.stdout.write(`${installKernelSpec(o)}\n`);
    });
  program
    .command("demo")
    .description("build the clone-in-loop crate before and after its fix, record both with perf, print the top functions")
    .option("--records <n>", "records per round", "200000")
    .option("--rounds <n>", "rounds over the records (default: the crate's own)")
    .action(async (o: { records: string; rounds?: string }) => {
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

