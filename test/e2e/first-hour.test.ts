// A new user's first hour, end to end, in a fresh directory outside this repository: their own
// std-only crate (made by `cargo new`, a slow commit then a fast one), `flamebook record` and
// `flamebook diff` from PATH, a notebook written from scratch that imports flamebook and arquero,
// builds, records, shows functions() and a flamegraph, and runs an experiment between the two
// revisions, executed with `flamebook run` and with Jupyter's nbconvert, then `flamebook report`;
// and Ctrl-C during the experiment. Needs what setup installs: cargo, perf, Debian's Jupyter, and
// `flamebook` on PATH. In CI nothing may be missing; elsewhere the test says why it skips.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const repo = realpathSync(fileURLToPath(new URL("../..", import.meta.url)));
const PY = "/usr/bin/python3";

function missing(): string | undefined {
  const which = spawnSync("sh", ["-c", "command -v flamebook"], { encoding: "utf8" }).stdout.trim();
  if (!which) return "`flamebook` is not on PATH (scripts/setup.sh links it)";
  if (!realpathSync(which).startsWith(repo)) return `\`flamebook\` on PATH is ${realpathSync(which)}, not this checkout (run scripts/setup.sh here)`;
  if (spawnSync("cargo", ["--version"]).status !== 0) return "cargo is not installed";
  if (spawnSync("perf", ["--version"]).status !== 0) return "perf is not installed (linux-perf)";
  if (spawnSync(PY, ["-c", "import nbconvert, nbclient"]).status !== 0) return `${PY} lacks nbconvert/nbclient (jupyter-nbconvert, python3-nbclient)`;
  if (spawnSync(PY, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { encoding: "utf8" }).stdout.includes('"flamebook"') === false) return "the flamebook kernelspec is not installed (flamebook kernel install --user)";
  return undefined;
}
const why = missing();
if (why && process.env.CI === "true") throw new Error(`the first-hour test cannot run in CI: ${why}`);
if (why) console.log(`# skipping test/e2e/first-hour.test.ts: ${why}`);
const skip = why !== undefined;

const home = mkdtempSync(join(tmpdir(), "fb-first-hour-"));
after(() => rmSync(home, { recursive: true, force: true }));
const proj = join(home, "myproj");
const work = join(home, "scratch"); // where the user runs the CLI and keeps what it writes
const outDir = join(home, "out"); // executed notebooks and reports, outside the repository

const SLOW = `// Counts the digits of the first n numbers.
fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let mut total = 0usize;
    for i in 0..n {
        total += i.to_string().len();
    }
    println!("{total}");
}
`;
const FAST = `// Counts the digits of the first n numbers, without a String per number.
fn digits(mut i: u64) -> usize {
    let mut d = 1;
    while i >= 10 {
        i /= 10;
        d += 1;
    }
    d
}

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let mut total = 0usize;
    for i in 0..n {
        total += digits(i);
    }
    println!("{total}");
}
`;

type Cell = { cell_type: "code" | "markdown"; id: string; metadata: Record<string, unknown>; source: string; outputs?: unknown[]; execution_count?: null };
const code = (id: string, source: string, tags?: string[]): Cell => ({ cell_type: "code", id, metadata: tags ? { tags } : {}, source, outputs: [], execution_count: null });

/** The notebook a user writes from scratch in their project. */
const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "flamebook", display_name: "TypeScript (flamebook)", language: "typescript" } },
  cells: [
    { cell_type: "markdown", id: "t", metadata: {}, source: "# Is the new digit counter faster?" },
    code("p", "const n = 10_000_000;\nconst runs = 6;", ["parameters"]),
    code("i", 'import { cargo, perf, experiment } from "flamebook";\nimport * as aq from "arquero";'),
    code("b", 'const bin = await cargo.build(".", { bin: "myproj" });\nbin.warnings'),
    code("r", "const rec = await perf.record(bin, { args: [String(n)] });\nrec.summary().samples"),
    code("f", 'rec.functions().orderby(aq.desc("self")).objects({ limit: 5 })'),
    code("g", "rec.flamegraph()"),
    code("e", 'const exp = await experiment({ crate: ".", bin: "myproj", args: [String(n)], variants: { slow: { git: "HEAD~1" }, fast: {} }, runs });\nexp.verdict()'),
    code("v", "console.log(exp.provenanceText())"),
  ] as Cell[],
};

const sh = (cmd: string, args: string[], cwd: string, timeout = 600_000) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", all: `${r.stdout}\n${r.stderr}` };
};
const git = (...a: string[]) => execFileSync("git", ["-c", "user.name=New User", "-c", "user.email=new@example.com", ...a], { cwd: proj, encoding: "utf8" });
type Nb = { metadata: Record<string, unknown>; cells: { id?: string; outputs: { output_type: string; text?: string | string[]; data?: Record<string, unknown> }[] }[] };
const outputText = (nb: Nb, id: string): string =>
  nb.cells
    .find((c) => c.id === id)!
    .outputs.map((o) => (o.text ? (Array.isArray(o.text) ? o.text.join("") : o.text) : String((o.data?.["text/plain"] as string | undefined) ?? "")))
    .join("\n");

test("first hour: cargo new, two commits, flamebook record and diff from PATH", { skip, timeout: 600_000 }, async () => {
  await ensureBuilt();
  mkdirSync(work, { recursive: true });
  assert.equal(sh("cargo", ["new", "--quiet", "myproj"], home).status, 0);
  writeFileSync(join(proj, "src", "main.rs"), SLOW);
  assert.equal(sh("cargo", ["build", "--quiet"], proj).status, 0); // a user builds before committing: Cargo.lock is committed too
  git("add", "-A");
  git("commit", "-qm", "count digits with to_string");
  writeFileSync(join(proj, "src", "main.rs"), FAST);
  writeFileSync(join(proj, "profile.ipynb"), JSON.stringify(NOTEBOOK, null, 1));
  git("add", "-A");
  git("commit", "-qm", "count digits without a String per number; a profiling notebook");

  // the CLI on both revisions: a release build of each, recorded from the scratch directory
  const slowDir = join(home, "myproj-slow");
  git("worktree", "add", "-q", slowDir, "HEAD~1");
  for (const d of [proj, slowDir]) assert.equal(sh("cargo", ["build", "--quiet", "--release"], d).status, 0);
  const slow = sh("flamebook", ["record", "--out", "slow.perf.data", "--html", "slow.html", "--", join(slowDir, "target/release/myproj")], work);
  assert.equal(slow.status, 0, slow.all);
  assert.match(slow.stdout, /^samples: +\d+ \(cpu-clock at 997 Hz\), 0 lost$/m);
  assert.match(slow.stdout, /to_string|fmt/, "the hot path of the slow version is named");
  const fast = sh("flamebook", ["record", "--out", "fast.perf.data", "--html", "fast.html", "--", join(proj, "target/release/myproj")], work);
  assert.equal(fast.status, 0, fast.all);
  const diff = sh("flamebook", ["diff", "slow.perf.data", "fast.perf.data", "-o", "diff.html"], work);
  assert.equal(diff.status, 0, diff.all);
  // the String per number is gone: formatting and the allocator vanished from the profile
  assert.match(diff.stdout, /^shrank:\n(?:.*\n)*? +[\d.]+% +0\.0% +-[\d.]+ +\S*(fmt|to_string)\S* \(vanished\)$/m, diff.stdout);
  assert.match(diff.stdout, /(malloc|free).*\(vanished\)/, diff.stdout);
  assert.ok(existsSync(join(work, "diff.html")));
  git("worktree", "remove", "--force", slowDir);
});

test("first hour: the notebook with flamebook run and with nbconvert, a report, a clean checkout, no dirty provenance", { skip, timeout: 900_000 }, () => {
  mkdirSync(outDir, { recursive: true });
  const run = sh("flamebook", ["run", "profile.ipynb", "--out", join(outDir, "run.ipynb"), "--html", join(outDir, "run.html")], proj);
  assert.equal(run.status, 0, run.all);
  assert.match(run.stdout, /^verdict: improved: fast is [\d.]+% faster than slow/m, run.stdout);
  const executed = JSON.parse(readFileSync(join(outDir, "run.ipynb"), "utf8")) as Nb;
  assert.match(outputText(executed, "f"), /name/, "functions() shows a table");
  const flame = executed.cells.find((c) => c.id === "g")!.outputs[0]!.data!;
  assert.ok("text/html" in flame && "image/svg+xml" in flame, Object.keys(flame).join(" "));
  const provenance = outputText(executed, "v");
  assert.match(provenance, /^slow: [0-9a-f]{12};/m);
  assert.match(provenance, /^fast: [0-9a-f]{12};/m);
  assert.doesNotMatch(provenance, /dirty/, provenance);

  // the same notebook through Jupyter (the stored experiment is reused: same spec, same inputs)
  const nbc = sh(PY, ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=flamebook", "--ExecutePreprocessor.timeout=600", "--output-dir", outDir, "--output", "nbconvert.ipynb", "profile.ipynb"], proj);
  assert.equal(nbc.status, 0, nbc.all);
  const viaJupyter = JSON.parse(readFileSync(join(outDir, "nbconvert.ipynb"), "utf8")) as Nb;
  assert.match(outputText(viaJupyter, "e"), /improved: fast is [\d.]+% faster than slow|fast is [\d.]+% faster than slow/);

  const report = sh("flamebook", ["report", join(outDir, "nbconvert.ipynb"), "-o", join(outDir, "report.html")], home);
  assert.equal(report.status, 0, report.all);
  assert.match(readFileSync(join(outDir, "report.html"), "utf8"), /faster than slow/);

  assert.equal(git("status", "--porcelain"), "", "flamebook's .flamebook/ ignores itself; nothing else was written into the checkout");
  assert.ok(existsSync(join(proj, ".flamebook", ".gitignore")));
});

test("first hour: Ctrl-C during the experiment keeps the finished cells' outputs, marks the record interrupted, leaves no process", { skip, timeout: 600_000 }, async () => {
  const out = join(outDir, "interrupted.ipynb");
  // runs=30: another spec than before, so the experiment runs instead of being read from the store
  const child = spawn("flamebook", ["run", "profile.ipynb", "-p", "runs=30", "--out", out], { cwd: proj, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const experimentsDir = join(proj, ".flamebook", "experiments");
  const before = new Set(existsSync(experimentsDir) ? readdirSync(experimentsDir) : []);
  const deadline = Date.now() + 300_000;
  const running = () => (existsSync(experimentsDir) ? readdirSync(experimentsDir).filter((f) => f.endsWith(".json") && !before.has(f)) : []);
  while (Date.now() < deadline && running().length === 0) await new Promise((r) => setTimeout(r, 200));
  assert.equal(running().length, 1, `the experiment started (stderr: ${stderr})`);
  await new Promise((r) => setTimeout(r, 1500)); // into its runs
  child.kill("SIGINT");
  const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
  assert.equal(code, 130, stderr);
  const nb = JSON.parse(readFileSync(out, "utf8")) as Nb;
  assert.equal(nb.metadata["flamebook"] && (nb.metadata["flamebook"] as { status: string }).status, "interrupted");
  assert.match(outputText(nb, "f"), /name/, "a finished cell keeps its output");
  const record = JSON.parse(readFileSync(join(experimentsDir, running()[0]!), "utf8")) as { status: string };
  assert.equal(record.status, "interrupted");
  await new Promise((r) => setTimeout(r, 500));
  const left = spawnSync("pgrep", ["-f", "myproj/target"], { encoding: "utf8" }).stdout.trim();
  assert.equal(left, "", "no program or perf left running");
  assert.equal(git("status", "--porcelain"), "");
});
