/** glibc's strsignal() descriptions (what psignal() prints) of the signals that end programs. */
const DESCRIPTIONS: Readonly<Record<string, NodeJS.Signals>> = {
  Hangup: "SIGHUP",
  Interrupt: "SIGINT",
  Quit: "SIGQUIT",
  "Illegal instruction": "SIGILL",
  "Trace/breakpoint trap": "SIGTRAP",
  Aborted: "SIGABRT",
  "Bus error": "SIGBUS",
  "Floating point exception": "SIGFPE",
  Killed: "SIGKILL",
  "User defined signal 1": "SIGUSR1",
  "Segmentation fault": "SIGSEGV",
  "User defined signal 2": "SIGUSR2",
  "Broken pipe": "SIGPIPE",
  "Alarm clock": "SIGALRM",
  Terminated: "SIGTERM",
  "CPU time limit exceeded": "SIGXCPU",
  "File size limit exceeded": "SIGXFSZ",
  "Bad system call": "SIGSYS",
};

/**
 * The signal whose strsignal() description this is (as `perf stat` reports a workload killed by
 * a signal: "prog: Killed"), or null.
 *
 * @example
 * signalFromDescription("Segmentation fault"); // "SIGSEGV"
 */
export function signalFromDescription(text: string): NodeJS.Signals | null {
  return DESCRIPTIONS[text.trim()] ?? null;
}
