import { Command, Option } from "commander";
import { killAllGroups } from "../exec/index.js";
import { collapse } from "./collapse.js";
import { demo } from "./demo.js";
import { openCommand } from "./open.js";
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
  const onSigint = () => {
    abort.abort();
    killAllGroups();
    process.stderr.write("\nflamebook: interrupted\n");
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
}

