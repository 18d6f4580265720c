import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { findExecutable } from "../../src/cli/record.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { base64Bytes, unpackFlameTree } from "../../widgets/wire/unpack.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cliArgs = (args: string[]) => ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), ...args];
const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, cliArgs(args), { cwd, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: 180_000 });

const dir = mkdtempSync(join(tmpdir(), "fb-record-"));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => ensureBuilt(), { timeout: 300_000 }); // the page inlines the widget bundle

/** Why perf tests cannot run here, or undefined. In CI they must run: no skipping there. */
function perfUnavailable(): string | undefined {
  if (process.env.CI === "true") return undefined;
  const v = spawnSync("perf", ["--version"], { encoding: "utf8" });
  if (v.error || v.status !== 0) return "perf is not installed (Debian package linux-perf)";
  const paranoid = Number(readFileSync("/proc/sys/kernel/perf_event_paranoid", "utf8").trim());
  if (process.getuid?.() !== 0 && paranoid > 2) return `kernel.perf_event_paranoid is ${paranoid}: perf may not record as this user`;
  return undefined;
}
const skip = perfUnavailable();
if (skip) console.log(`# skipping the perf recordings of test/cli/record.test.ts: ${skip}`);

// A tiny std-only program with one clearly hot function that spins for the given milliseconds
// (time-based, so it burns the same CPU on a loaded machine).
const SPIN_RS = `
use std::hint::black_box;
use std::time::{Duration, Instant};

#[inline(never)]
fn spin_hot_loop(until: Instant, n: u64) -> u64 {
    // plain arithmetic on primitives: no inlined callees, so the samples land in this function
    let mut x: u64 = 1;
    loop {
        let mut i: u64 = 0;
        while i < n {
            x = x * 6364136223846793005 + i;
            i += 1;
        }
        if Instant::now() >= until {
            return x;
        }
    }
}

fn main() {
    let ms: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let code: i32 = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let x = spin_hot_loop(Instant::now() + Duration::from_millis(ms), black_box(200_000));
    println!("spun {} ms: {}", ms, x % 10);
    eprintln!("spin: a line on stderr");
    std::process::exit(code);
}
`;
let spin = "";
before(() => {
  if (skip) return;
  writeFileSync(join(dir, "spin.rs"), SPIN_RS);
  spin = join(dir, "spin");
  const r = spawnSync("rustc", ["-O", "-g", "-C", "force-frame-pointers=yes", "-o", spin, join(dir, "spin.rs")], { encoding: "utf8" });
  assert.equal(r.status, 0, `rustc failed: ${r.stderr}`);
});

/** The processes whose parent is `ppid`, as [pid, state, command]. */
function childrenOf(ppid: number): [number, string, string][] {
  const ps = spawnSync("ps", ["-eo", "pid=,ppid=,stat=,comm="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && Number(f[1]) === ppid)
    .map((f) => [Number(f[0]), f[2]!, f[3]!]);
}

/** The state of `pid` ("Z" for a zombie), or undefined when it no longer exists. */
function stateOf(pid: number): string | undefined {
  const ps = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
  return ps.stdout.trim() || undefined;
}

const resourceRef = /(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\/)|(?:url\(\s*["']?\s*(?:https?:)?\/\/)|(?:@import\s+["']?(?:https?:)?\/\/)|(?:\bimport\s*\(?\s*["']https?:)/i;

test("flamebook record -- <rust program>: page, summary with samples and the hot function, the program's output passes through", { skip, timeout: 180_000 }, async () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--freq", "499", "--title", "spin <test>", "--", spin, "1500"], cwd);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^spun 1500 ms: \d/m, "the program's stdout passes through");
  assert.match(r.stderr, /spin: a line on stderr/, "the program's stderr passes through");
  assert.doesNotMatch(r.stderr, /\[ perf record:/, "perf's own chatter is left out");
  const samples = Number(/^samples:\s+(\d+) \(cpu-clock at 499 Hz\), (\d+) lost/m.exec(out)?.[1]);
  assert.ok(samples > 50, `samples: ${samples}\n${out}`);
  assert.match(out, /^duration: \d+\.\d\d s sampled, \d+\.\d\d s wall/m);
  const top = out.slice(out.indexOf("(top 5 by self)"));
  assert.match(top.split("\n")[1]!, /spin_hot_loop/, `the hottest function by self time:\n${out}`);

  const page = join(cwd, "spin.flamegraph.html");
  assert.equal(out.trimEnd().split("\n").at(-1), page, "the page's path is the last line");
  const html = readFileSync(page, "utf8");
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>spin &lt;test&gt;<\/title>/);
  assert.match(html, /application\/vnd\.flamebook\.flametree\+json/);
  assert.doesNotMatch(html, resourceRef, "self-contained: no http(s) resource references");
  const data = /<script type="application\/vnd\.flamebook\.flametree\+json">([^<]*)<\/script>/.exec(html);
  assert.ok(data, "the page embeds its tree");
  const block = JSON.parse(data[1]!) as { header: Parameters<typeof unpackFlameTree>[0]; data: string };
  const tree = await unpackFlameTree(block.header, base64Bytes(block.data));
  const hot = tree.nodes.frame.findIndex((f) => /spin_hot_loop/.test(tree.strings[tree.frames.name[f]!]!));
  assert.ok(hot > 0 && tree.nodes.total[hot]! > 0.5 * tree.nodes.total[0]!, "the page's tree has the hot function, over half the samples wide");
  const perfData = /^perf\.data: (.+)$/m.exec(out)?.[1];
  assert.ok(perfData && existsSync(perfData), `perf.data kept: ${perfData}`);
  assert.ok(perfData.startsWith(join(cwd, ".flamebook/recordings/spin-")));
  assert.deepEqual(readdirSync(join(cwd, ".flamebook/recordings")), [perfData.slice(perfData.lastIndexOf("/") + 1)], "no temporary directory or file left");
  assert.deepEqual(readdirSync(cwd).sort(), [".flamebook", "spin.flamegraph.html"]);
});

test("flamebook record --html --out: a failing command still gets its page, and its exit code is passed on", { skip, timeout: 180_000 }, () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--html", "sub/fail.html", "--out", "kept.perf.data", "--", spin, "300", "7"], cwd);
  assert.equal(r.status, 7, r.stderr);
  assert.match(r.stdout, /the command exited with code 7/);
  assert.match(r.stderr, /flamebook record: spin exited with code 7/);
  assert.ok(existsSync(join(cwd, "kept.perf.data")));
  assert.ok(readFileSync(join(cwd, "sub/fail.html"), "utf8").startsWith("<!doctype html>"));
  assert.deepEqual(readdirSync(cwd).sort(), ["kept.perf.data", "sub"], "no temporary directory left next to perf.data");
});

test("flamebook record -- /bin/true: a program shorter than one sampling period gets 0 samples, the seed's advice, and a page (not 'perf record failed')", { skip, timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--", "/bin/true"], cwd);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /perf record failed/);
  assert.match(r.stdout, /^samples: +0 \(cpu-clock at 997 Hz\), 0 lost$/m);
  assert.match(
    r.stdout,
    /^warning: 0 samples: the program ran for less than one sampling period \(1\.0 ms of CPU time at 997 Hz\), so perf never sampled it\. Run it longer, with a bigger input or more rounds: sampling needs thousands of samples \(a few seconds of CPU time\) for a stable picture\.$/m,
  );
  assert.ok(existsSync(join(cwd, "true.flamegraph.html")));
});

test("flamebook record -- sh -c 'exit 3': the program failing is told apart from perf failing: a page, and exit code 3", { skip, timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--", "sh", "-c", "exit 3"], cwd);
  assert.equal(r.status, 3, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /perf record failed/);
  assert.match(r.stdout, /^the command exited with code 3: the page shows what it did until then\.$/m);
  assert.match(r.stderr, /^flamebook record: sh exited with code 3\.$/m);
  assert.ok(readFileSync(join(cwd, "sh.flamegraph.html"), "utf8").startsWith("<!doctype html>"));
});

test("flamebook record: perf itself failing (an event it does not know) is 'perf record failed' with perf's words, exit 1, nothing written", { skip, timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--event", "no-such-event", "--", "/bin/true"], cwd);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^flamebook: perf record failed \(exit code \d+\): perf record -e no-such-event/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.deepEqual(readdirSync(cwd).filter((f) => !f.startsWith(".flamebook")), []);
});

test("flamebook record: a command that does not exist is a one-line error with exit code 127, and nothing is written", () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--", "no-such-command-flamebook", "x"], cwd);
  assert.equal(r.status, 127);
  assert.match(r.stderr, /command 'no-such-command-flamebook' not found on PATH/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  const r2 = cli(["record", "--", "./missing-program"], cwd);
  assert.equal(r2.status, 127);
  assert.match(r2.stderr, /command '\.\/missing-program' not found: no such file/);
  assert.deepEqual(readdirSync(cwd), []);
});

test("flamebook record: without a command it says how to give one", () => {
  const r = cli(["record"], dir);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /command/);
});

test("flamebook record: perf missing from PATH is an error that names the linux-perf package", () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const r = cli(["record", "--", "/bin/true"], cwd, { ...process.env, PATH: join(dir, "empty-path") });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /'perf' was not found/);
  assert.match(r.stderr, /linux-perf/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.deepEqual(readdirSync(cwd), [], "nothing written");
});

test("findExecutable: PATH lookup, explicit paths, not executable", () => {
  assert.equal(findExecutable("sh", "/nonexistent:/bin"), "/bin/sh");
  assert.equal(findExecutable("/bin/sh"), "/bin/sh");
  assert.throws(() => findExecutable("sh", "/nonexistent"), (e: Error & { exitCode?: number }) => e.exitCode === 127 && /'sh' not found on PATH/.test(e.message));
  const file = join(dir, "not-executable");
  writeFileSync(file, "#!/bin/sh\n");
  assert.throws(() => findExecutable(file), (e: Error & { exitCode?: number }) => e.exitCode === 126 && /not executable/.test(e.message));
});

test("flamebook record: Ctrl-C (SIGINT) stops perf and the program, exits 130 and leaves no page and no perf.data", { skip, timeout: 120_000 }, async () => {
  const cwd = mkdtempSync(join(dir, "run-"));
  const child = spawn(process.execPath, cliArgs(["record", "--out", "long.perf.data", "--", spin, "30000"]), { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; ms: number }>((ok) => {
    child.on("exit", (code) => ok({ code, ms: performance.now() - sent }));
  });
  let sent = Infinity;

  // wait until perf runs the program
  let perfPid = 0;
  let programPid = 0;
  for (let i = 0; i < 300 && !(perfPid && programPid); i++) {
    await new Promise((r) => setTimeout(r, 100));
    perfPid = childrenOf(child.pid!).find(([, , comm]) => comm === "perf")?.[0] ?? 0;
    if (perfPid) programPid = childrenOf(perfPid).find(([, , comm]) => comm === "spin")?.[0] ?? 0;
  }
  assert.ok(perfPid && programPid, `perf and the program started (perf ${perfPid}, spin ${programPid}); stderr: ${stderr}`);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(readdirSync(cwd).some((f) => f.startsWith(".flamebook-record-")), "perf writes into a private temporary directory");

  sent = performance.now();
  child.kill("SIGINT");
  const { code, ms } = await exited;
  assert.equal(code, 130, stderr);
  assert.ok(ms < 5000, `exited ${ms.toFixed(0)} ms after SIGINT`);
  assert.match(stderr, /interrupted/);

  // Killed processes are gone (or zombies waiting for init to reap them: no longer running).
  let states: (string | undefined)[] = [];
  for (let i = 0; i < 50; i++) {
    states = [stateOf(perfPid), stateOf(programPid)];
    if (states.every((s) => s === undefined)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const [what, s] of [["perf", states[0]], ["spin", states[1]]] as const) {
    assert.ok(s === undefined || s.startsWith("Z"), `${what} is still running after SIGINT: state ${s}`);
    if (s !== undefined) console.log(`# ${what} is a zombie (state ${s}) awaiting reaping by init`);
  }
  assert.deepEqual(readdirSync(cwd), [], "no page, no perf.data, no temporary files");
});

test("flamebook record: a bad --freq is refused before anything runs", () => {
  const r = cli(["record", "--freq", "abc", "--", "true"], dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--freq takes a whole number of samples per second from 1 to 100000 \(997 is the default\), got "abc"/);
  assert.equal(existsSync(join(dir, "true.flamegraph.html")), false);
});
