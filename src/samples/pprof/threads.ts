// Format: pprof sample labels (google/pprof proto/profile.proto `Label`): producers name threads
// with labels; flamebook reads "thread"/"thread_name" (comm), "tid"/"thread_id" and "pid".
import type { Sample } from "pprof-format";
import type { ProfileBuilder } from "../../model/profile-builder.js";
import { type PprofTables, uint } from "./tables.js";

const COMM_KEYS = new Set(["thread", "thread_name"]);
const TID_KEYS = new Set(["tid", "thread_id"]);
const DECIMAL = /^\d{1,15}$/;

/**
 * The thread of each pprof sample, from its labels: a str label "thread" or "thread_name" gives
 * the comm (a num "thread" label gives the tid), "tid"/"thread_id" the tid (num, or a decimal str;
 * another str is a name), "pid" the pid (num or decimal str). Missing parts are `defaultComm` and -1. A sample without
 * any of these labels belongs to the thread (`defaultComm`, -1, -1).
 *
 * @example
 * const threads = new PprofThreads(tables, builder, "app");
 * threads.of(sample, "Sample 0"); // builder thread id of e.g. ("worker", -1, 102)
 */
export class PprofThreads {
  constructor(
    private readonly t: PprofTables,
    private readonly b: ProfileBuilder,
    private readonly defaultComm: string,
  ) {}

  /** The builder's thread id for `sample`. */
  of(sample: Sample, where: string): number {
    let comm = this.defaultComm;
    let pid = -1;
    let tid = -1;
    sample.label.forEach((label, k) => {
      const key = this.t.str(label.key, `${where} label ${k} key`);
      const isComm = COMM_KEYS.has(key);
      if (!isComm && !TID_KEYS.has(key) && key !== "pid") return;
      const what = `${where} label '${key}'`;
      const str = this.t.str(label.str, `${what} str`);
      const num = uint(label.num, `${what} num`);
      if (isComm && (str !== "" || num === 0)) comm = str;
      else if (str !== "" && !DECIMAL.test(str)) {
        if (key !== "pid") comm = str; // a thread named in a tid label
      } else if (key === "pid") pid = str !== "" ? Number(str) : num;
      else tid = str !== "" ? Number(str) : num;
    });
    return this.b.thread(comm, pid, tid);
  }
}
