import { accessSync, constants } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { run } from "../exec/index.js";

/** What {@link perfPreflight} found out about this machine. */
export interface PerfPreflight {
  /** `perf --version` output, e.g. "perf version 6.1.187". */
  perfVersion: string;
  /** kernel.perf_event_paranoid, or null when unreadable. */
  paranoid: number | null;
  isRoot: boolean;
  /** Sample user space only (`:u`): a non-root user at paranoid level 2. */
  userOnly: boolean;
  /** The distinct CPU frequency governors, e.g. ["performance"]; [] without cpufreq (many VMs). */
  governors: string[];
  /** Things to tell the user; recording still works. */
  warnings: string[];
}

/** The Debian package that provides perf, for install hints. */
export const PERF_PACKAGE_HINT =
  "Install it with `sudo apt-get install linux-perf` (Debian; Ubuntu: `linux-tools-$(uname -r)`).";

/**
 * Checks that perf can record here, with errors and warnings that say exactly what to do:
 * perf missing (names the package), `perf_event_paranoid` too high for this user (prints the
 * `sysctl` command), CPU governor not `performance` (warning).
 *
 * @example
 * const pre = await perfPreflight(); // { perfVersion: "perf version 6.1.187", paranoid: 2, isRoot: true, … }
 * pre.warnings.forEach((w) => console.warn(w));
 */
export async function perfPreflight(opts: { signal?: AbortSignal } = {}): Promise<PerfPreflight> {
  const version = await run("perf", ["--version"], { captureStdout: true, timeoutMs: 20_000, notFoundHint: PERF_PACKAGE_HINT, signal: opts.signal });
  const paranoid = await readNumber("/proc/sys/kernel/perf_event_paranoid");
  const isRoot = process.getuid?.() === 0;
  const access = judgeParanoid(paranoid, isRoot);
  if (access.error) throw new Error(access.error);
  const warnings = access.warning ? [access.warning] : [];
  const userOnly = access.userOnly;

  const governors = await readGovernors();
  const governorWarning = judgeGovernors(governors);
  if (governorWarning) warnings.push(governorWarning);
  return { perfVersion: version.stdout.trim(), paranoid, isRoot, userOnly, governors, warnings };
}

const PARANOID_FIX =
  "Allow it with `sudo sysctl -w kernel.perf_event_paranoid=1` (-1 also allows kernel and system-wide profiling; add it to /etc/sysctl.d/ to keep it after a reboot).";

/**
 * What a `kernel.perf_event_paranoid` level means for this user: an error (perf refused), a
 * warning (user space only: level 2 for non-root) or nothing. Root may always record.
 *
 * @example
 * judgeParanoid(3, false).error; // "flamebook: kernel.perf_event_paranoid is 3: … `sudo sysctl -w kernel.perf_event_paranoid=1` …"
 * judgeParanoid(2, true);        // { userOnly: false }
 */
export function judgeParanoid(level: number | null, isRoot: boolean): { error?: string; warning?: string; userOnly: boolean } {
  if (isRoot || level === null || level < 2) return { userOnly: false };
  if (level > 2) return { error: `flamebook: kernel.perf_event_paranoid is ${level}: this user may not use perf at all. ${PARANOID_FIX}`, userOnly: false };
  return { warning: `kernel.perf_event_paranoid is 2: sampling user space only, kernel frames are hidden. ${PARANOID_FIX}`, userOnly: true };
}

/**
 * A warning when any CPU's frequency governor is not `performance`; undefined otherwise
 * (also without cpufreq, as in most VMs, where the host decides).
 *
 * @example
 * judgeGovernors(["powersave"]); // "CPU frequency governor is 'powersave', not 'performance': …"
 */
export function judgeGovernors(governors: readonly string[]): string | undefined {
  const slow = governors.filter((g) => g !== "performance");
  if (slow.length === 0) return undefined;
  return (
    `CPU frequency governor is '${slow.join("', '")}', not 'performance': the clock speed changes under load and skews timings. ` +
    "Set it with `sudo cpupower frequency-set -g performance` (package linux-cpupower)."
  );
}

async function readNumber(path: string): Promise<number | null> {
  try {
    const n = Number((await readFile(path, "utf8")).trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * The distinct scaling governors of all CPUs; [] when the machine has no cpufreq (a VM).
 *
 * @example
 * await readGovernors(); // ["performance"]
 */
export async function readGovernors(base = "/sys/devices/system/cpu"): Promise<string[]> {
  let cpus: string[];
  try {
    cpus = (await readdir(base)).filter((d) => /^cpu\d+$/.test(d));
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const cpu of cpus) {
    try {
      found.add((await readFile(`${base}/${cpu}/cpufreq/scaling_governor`, "utf8")).trim());
    } catch {
      // no cpufreq for this CPU
    }
  }
  return [...found].sort();
}

/** Where perf finds the sched_switch tracepoint's id and format (tracefs, or its old place under debugfs). */
export const SCHED_SWITCH_TRACEFS: readonly string[] = ["/sys/kernel/tracing/events/sched/sched_switch", "/sys/kernel/debug/tracing/events/sched/sched_switch"];

/** What {@link judgeOffCpu} needs to know about this machine and user. */
export interface OffCpuAccess {
  isRoot: boolean;
  /** kernel.perf_event_paranoid, or null when unreadable. */
  paranoid: number | null;
  /** Whether this user can read the tracepoint's `format` file in tracefs. */
  tracefsReadable: boolean;
  /** This user's group id, for the mount command. Default: 1000 (printed as `$(id -g)` when unknown). */
  gid?: number;
}

/**
 * Whether this user may record off-CPU time, and exactly what is missing when not: the
 * `sched:sched_switch` tracepoint with its raw fields (prev_state) needs root (CAP_SYS_ADMIN),
 * or `kernel.perf_event_paranoid` ≤ -1 **and** tracefs readable by the user (perf reads the
 * tracepoint's id and format there; tracefs is root-only by default: mode 700). Root always may:
 * perf mounts tracefs itself. Returns the error message, or undefined when recording may go on.
 *
 * @example
 * judgeOffCpu({ isRoot: true, paranoid: 2, tracefsReadable: false });  // undefined
 * judgeOffCpu({ isRoot: false, paranoid: 2, tracefsReadable: false });
 * // "flamebook: off-CPU recording needs the sched:sched_switch tracepoint, … Here: kernel.perf_event_paranoid is 2 (it must be -1), and … not readable by this user. …"
 */
export function judgeOffCpu(a: OffCpuAccess): string | undefined {
  if (a.isRoot) return undefined;
  const missing: string[] = [];
  if (a.paranoid === null) missing.push("kernel.perf_event_paranoid cannot be read (/proc/sys/kernel/perf_event_paranoid)");
  else if (a.paranoid > -1) missing.push(`kernel.perf_event_paranoid is ${a.paranoid} (it must be -1)`);
  if (!a.tracefsReadable) missing.push(`${SCHED_SWITCH_TRACEFS[0]}/format is not readable by this user (tracefs is root-only by default, or not mounted)`);
  if (missing.length === 0) return undefined;
  const gid = a.gid === undefined ? "$(id -g)" : String(a.gid);
  return (
    "flamebook: off-CPU recording needs the sched:sched_switch tracepoint, which perf may use only as root, or with kernel.perf_event_paranoid ≤ -1 " +
    `and tracefs readable by you (${SCHED_SWITCH_TRACEFS[0]}). Here: ${missing.join(", and ")}. ` +
    "Run it as root (sudo), or allow it for this machine: " +
    `\`sudo sysctl -w kernel.perf_event_paranoid=-1\` and \`sudo mount -o remount,mode=755,gid=${gid} /sys/kernel/tracing\` ` +
    "(-1 also lets every user profile the kernel and the whole system; undo with `sudo sysctl -w kernel.perf_event_paranoid=2` and " +
    "`sudo mount -o remount,mode=700,gid=0 /sys/kernel/tracing`)."
  );
}

/**
 * {@link judgeOffCpu} for this machine and user, from a {@link perfPreflight} result: checks
 * tracefs itself. Returns the error message, or undefined.
 *
 * @example
 * const denied = offCpuAccess(await perfPreflight());
 * if (denied) throw new Error(denied);
 */
export function offCpuAccess(pre: Pick<PerfPreflight, "isRoot" | "paranoid">): string | undefined {
  const tracefsReadable = SCHED_SWITCH_TRACEFS.some((dir) => {
    try {
      accessSync(`${dir}/format`, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  });
  return judgeOffCpu({ isRoot: pre.isRoot, paranoid: pre.paranoid, tracefsReadable, gid: process.getgid?.() });
}
