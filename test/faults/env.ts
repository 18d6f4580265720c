// Shared by the fault and security tests: the process table, and "skip outside CI, fail in CI"
// checks for perf, cargo, Python's jupyter_client and tmpfs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { TestContext } from "node:test";

/** One row of `ps -eo pid,ppid,pgid,stat,args`. */
export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  stat: string;
  args: string;
}

/** The process table, as `ps` shows it. */
export function processTable(): Proc[] {
  const r = spawnSync("ps", ["-eo", "pid=,ppid=,pgid=,stat=,args="], { encoding: "utf8", maxBuffer: 16 << 20 });
  return r.stdout
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), stat: m[4]!, args: m[5]! }));
}

/**
 * Live processes whose command line contains `marker` (zombies are left out: a zombie has
 * finished, and one whose parent is gone is reaped by init). The `ps` itself is not listed.
 */
export function liveWith(marker: string): Proc[] {
  return processTable().filter((p) => p.args.includes(marker) && !p.stat.startsWith("Z") && p.pid !== process.pid && !p.args.startsWith("ps -eo"));
}

/** Waits until `liveWith(marker)` is empty (true) or `ms` pass (false). */
export async function goneWithin(marker: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (liveWith(marker).length === 0) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `f` until it returns a truthy value, or throws `what` after `ms`. */
export async function waitFor<T>(what: string, ms: number, f: () => T | undefined | null | false): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A unique marker to put on a command line, so the process table can be searched for it. */
export const marker = (tag: string) => `fbfault-${tag}-${process.pid}-${Date.now().toString(36)}`;

const inCi = () => process.env["CI"] === "true" || process.env["CI"] === "1";

/**
 * Skips `t` (printing why) when `why` is a reason, and returns true; in CI (`CI=true`) a missing
 * tool fails the test instead.
 */
export function skipUnless(t: TestContext, why: string | undefined): boolean {
  if (why === undefined) return false;
  if (inCi()) throw new Error(`needed in CI: ${why}`);
  console.log(`# skipped ${t.name}: ${why}`);
  t.skip(why);
  return true;
}

/** Why perf recordings cannot run here, or undefined. */
export function perfUnavailable(): string | undefined {
  const v = spawnSync("perf", ["--version"], { encoding: "utf8" });
  if (v.error || v.status !== 0) return "perf is not installed (Debian package linux-perf)";
  const paranoid = Number(readFileSync("/proc/sys/kernel/perf_event_paranoid", "utf8").trim());
  if (paranoid > 2 && process.getuid?.() !== 0) return `perf_event_paranoid is ${paranoid}`;
  return undefined;
}

/** Why cargo builds cannot run here, or undefined. */
export function cargoUnavailable(): string | undefined {
  const v = spawnSync("cargo", ["--version"], { encoding: "utf8" });
  return v.error || v.status !== 0 ? "cargo is not installed" : undefined;
}

/** Debian's Python with jupyter_client, which drives the real kernel. */
export const PY = "/usr/bin/python3";

/** Why the kernel cannot be driven from Python here, or undefined. */
export function jupyterUnavailable(): string | undefined {
  const r = spawnSync(PY, ["-c", "import jupyter_client"], { encoding: "utf8" });
  if (r.error) return `${PY} not found`;
  return r.status === 0 ? undefined : `${PY} lacks jupyter_client (apt install python3-jupyter-client)`;
}
