import { eventIndex } from "../model/event-index.js";
import { isJitModule } from "../model/frame-kind.js";
import { profileOf, type ProfileLike } from "../model/profile-like.js";

/** Options of {@link toFolded}. Every option documents its default, like inferno's. */
export interface FoldedOptions {
  /** Put the process name (comm) as the root frame, like stackcollapse-perf. Default: true. */
  pname?: boolean;
  /** Add the pid to the process name (`comm-pid`). Default: false. */
  pid?: boolean;
  /** Add the pid and tid (`comm-pid/tid`). Default: false. */
  tid?: boolean;
  /** Every annotation: `kernel`, `jit` and `inlined` (stackcollapse-perf's --all, plus inlined). Default: false. */
  annotate?: boolean;
  /** Suffix kernel frames (`[kernel.kallsyms]`, vmlinux, modules, `[vdso]`) with `_[k]`. Default: false. */
  kernel?: boolean;
  /** Suffix JIT frames (`/tmp/perf-PID.map`, jitdump `jitted-*.so`) with `_[j]`. Default: false. */
  jit?: boolean;
  /** Suffix inlined frames with `_[i]`. Default: false. */
  inlined?: boolean;
  /**
   * Which event to fold, by name (`cpu-clock` also finds `cpu-clock:ppp`), or `"all"` for every
   * event, each under a root frame named after it. Default: the first event in the profile;
   * samples of other events are left out (like stackcollapse-perf's --event-filter).
   */
  event?: string;
}

/**
 * Turns a profile into folded stacks (`root;caller;leaf count`, one line per distinct stack,
 * sorted), the plain-text interface of FlameGraph and inferno. `;` inside a name becomes `:`.
 *
 * @example
 * toFolded(profile).join("\n"); // "wordfreq;main;wordfreq::process::process 1203\n…"
 */
export function toFolded(input: ProfileLike, opts: FoldedOptions = {}): string[] {
  const profile = profileOf(input);
  const { frames, stacks, samples, threads } = profile;
  const pname = opts.pname ?? true;
  const all = opts.event === "all" && !profile.events.includes("all");
  const event = all ? -1 : eventIndex(profile, opts.event);
  const kernel = opts.kernel ?? opts.annotate ?? false;
  const jit = opts.jit ?? opts.annotate ?? false;
  const inlined = opts.inlined ?? opts.annotate ?? false;
  const names = frames.name.map((n, i) => {
    const clean = n.replace(/;/g, ":").replace(/[\r\n]+/g, " ");
    if (inlined && frames.inlined[i]) return clean.endsWith("_[i]") ? clean : clean + "_[i]";
    if (kernel && frames.kind[i] === "kernel") return clean.endsWith("_[k]") ? clean : clean + "_[k]";
    if (jit && isJitModule(frames.module[i]!)) return clean.endsWith("_[j]") ? clean : clean + "_[j]";
    return clean;
  });
  const eventRoots = profile.events.map((e) => e.replace(/;/g, ":"));
  // threads that print the same (e.g. same comm without --tid) are merged into one root
  const rootNames: string[] = [];
  const rootOf = threads.map((t) => {
    const comm = t.comm.replace(/;/g, ":");
    const name = opts.tid ? `${comm}-${t.pid >= 0 ? t.pid : "?"}/${t.tid}` : opts.pid ? `${comm}-${t.pid >= 0 ? t.pid : t.tid}` : comm;
    const at = rootNames.indexOf(name);
    return at >= 0 ? at : rootNames.push(name) - 1;
  });

  const totals = new Map<string, number>();
  for (let i = 0; i < samples.stack.length; i++) {
    if (!all && samples.event[i] !== event) continue;
    const key = `${all ? samples.event[i] : ""}\u0000${pname ? rootOf[samples.thread[i]!] : ""}\u0000${samples.stack[i]}`;
    totals.set(key, (totals.get(key) ?? 0) + samples.weight[i]!);
  }

  const path: string[] = [];
  // Stacks that print the same (e.g. one frame inlined in one and not in the other, without
  // --annotate) are one line, as stackcollapse-perf writes them.
  const printed = new Map<string, number>();
  for (const [key, weight] of totals) {
    const [e, root, stack] = key.split("\u0000") as [string, string, string];
    path.length = 0;
    for (let s = Number(stack); s >= 0; s = stacks.parent[s]!) path.push(names[stacks.frame[s]!]!);
    // A thread without a name (a folded file has none) adds no empty root frame.
    if (pname && rootNames[Number(root)] !== "") path.push(rootNames[Number(root)]!);
    if (all) path.push(eventRoots[Number(e)]!);
    if (path.length === 0) continue;
    const text = path.reverse().join(";");
    printed.set(text, (printed.get(text) ?? 0) + weight);
  }
  return [...printed].map(([text, weight]) => `${text} ${formatWeight(weight)}`).sort();
}

function formatWeight(w: number): string {
  return Number.isInteger(w) ? String(w) : String(Number(w.toPrecision(12)));
}
