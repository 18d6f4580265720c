import { eventIndex } from "../model/event-index.js";
import type { Profile } from "../model/profile.js";

/** Options of {@link toFolded}. Every option documents its default, like inferno's. */
export interface FoldedOptions {
  /** Put the process name (comm) as the root frame, like stackcollapse-perf. Default: true. */
  pname?: boolean;
  /** Add the pid to the process name (`comm-pid`). Default: false. */
  pid?: boolean;
  /** Add the pid and tid (`comm-pid/tid`). Default: false. */
  tid?: boolean;
  /** Suffix kernel frames with `_[k]` and inlined ones with `_[i]`. Default: false. */
  annotate?: boolean;
  /**
   * Which event to fold, by name. Default: the first event in the profile; samples of other
   * events are left out (like stackcollapse-perf's --event-filter).
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
export function toFolded(profile: Profile, opts: FoldedOptions = {}): string[] {
  const { frames, stacks, samples, threads } = profile;
  const pname = opts.pname ?? true;
  const event = eventIndex(profile, opts.event);
  const names = frames.name.map((n, i) => {
    const clean = n.replace(/;/g, ":").replace(/[\r\n]+/g, " ");
    if (!opts.annotate) return clean;
    if (frames.kind[i] === "kernel") return clean + "_[k]";
    return frames.inlined[i] ? clean + "_[i]" : clean;
  });
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
    if (samples.event[i] !== event) continue;
    const key = pname ? `${rootOf[samples.thread[i]!]}\u0000${samples.stack[i]}` : String(samples.stack[i]);
    totals.set(key, (totals.get(key) ?? 0) + samples.weight[i]!);
  }

  const path: string[] = [];
  // Stacks that print the same (e.g. one frame inlined in one and not in the other, without
  // --annotate) are one line, as stackcollapse-perf writes them.
  const printed = new Map<string, number>();
  for (const [key, weight] of totals) {
    const sep = key.indexOf("\u0000");
    const stack = Number(sep < 0 ? key : key.slice(sep + 1));
    path.length = 0;
    for (let s = stack; s >= 0; s = stacks.parent[s]!) path.push(names[stacks.frame[s]!]!);
    // A thread without a name (a folded file has none) adds no empty root frame.
    if (pname && rootNames[Number(key.slice(0, sep))] !== "") path.push(rootNames[Number(key.slice(0, sep))]!);
    if (path.length === 0) continue;
    const text = path.reverse().join(";");
    printed.set(text, (printed.get(text) ?? 0) + weight);
  }
  return [...printed].map(([text, weight]) => `${text} ${formatWeight(weight)}`).sort();
}

function formatWeight(w: number): string {
  return Number.isInteger(w) ? String(w) : String(Number(w.toPrecision(12)));
}
