// Conformance run (a local check, not a test): `flamebook collapse` on every `perf script` input of
// the two reference collapsers' own test suites, compared with their expected files byte for byte.
//   FlameGraph  test/*.txt × the options of its test.sh (pid tid kernel jit all addrs), expected in
//               test/results/<name>-collapsed-<opt>.txt, written by stackcollapse-perf.pl;
//   inferno     tests/data/collapse-perf/results/<name>-collapsed[-<opt>[+<opt>]].txt, written by
//               inferno-collapse-perf, inputs in tests/data/collapse-perf/ or FlameGraph's test/ and
//               top directory (as inferno's tests/collapse-perf.rs picks them).
// Each case runs in flamebook's own reading and in the matching --compat mode; a case passes when
// one of them matches exactly. FlameGraph's cases are also run through its stackcollapse-perf.pl
// here (perl is on every Debian machine), and --compat perl is compared with what it prints: some
// of FlameGraph's expected files were written by an older version of the script than its own. Neither repository is shipped with flamebook: clone them first
// (never commit their files) and pass their paths:
//   git clone https://github.com/brendangregg/FlameGraph /tmp/FlameGraph
//   git clone https://github.com/jonhoo/inferno /tmp/inferno
//   npm run bench:conformance -- --flamegraph /tmp/FlameGraph --inferno /tmp/inferno [--verbose]
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { collapse, type CollapseOptions } from "../src/cli/collapse.js";

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : process.env[name.slice(2).toUpperCase() + "_DIR"];
};
const flamegraph = arg("--flamegraph");
const inferno = arg("--inferno");
const verbose = args.includes("--verbose");
if (!flamegraph || !inferno || !existsSync(join(flamegraph, "test")) || !existsSync(join(inferno, "tests/data/collapse-perf"))) {
  console.error("usage: npm run bench:conformance -- --flamegraph <FlameGraph checkout> --inferno <inferno checkout> [--verbose]");
  process.exit(2);
}

/** Runs `flamebook collapse` in this process; the folded bytes, or the error's first line. */
async function run(file: string, opts: CollapseOptions): Promise<{ out: Buffer; error?: string }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const stderr = process.stderr.write.bind(process.stderr);
  process.stderr.write = () => true; // warnings are expected here
  try {
    await collapse(file, opts, sink);
    return { out: Buffer.concat(chunks) };
  } catch (e) {
    return { out: Buffer.alloc(0), error: String(e instanceof Error ? e.message : e).split("\n")[0] };
  } finally {
    process.stderr.write = stderr;
  }
}

/** Options of a flag list as both tools name them. */
function optionsOf(flags: string[]): CollapseOptions {
  const o: CollapseOptions = {};
  for (const f of flags) {
    if (f === "pid") o.pid = true;
    else if (f === "tid") o.tid = true;
    else if (f === "kernel") o.kernel = true;
    else if (f === "jit") o.jit = true;
    else if (f === "all") o.all = true;
    else if (f === "addrs") o.addrs = true;
    else throw new Error(`unknown option in a result file name: ${f}`);
  }
  return o;
}

/** The first differing line, for the report. */
function firstDiff(got: Buffer, want: Buffer): string {
  const g = got.toString("latin1").split("\n");
  const w = want.toString("latin1").split("\n");
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) return `line ${i + 1}: got ${JSON.stringify((g[i] ?? "<none>").slice(0, 120))}, want ${JSON.stringify((w[i] ?? "<none>").slice(0, 120))}`;
  }
  return "";
}

interface Case {
  suite: string;
  input: string;
  expected: string;
  flags: string[];
  compat: "perl" | "inferno";
}

const cases: Case[] = [];
for (const f of readdirSync(join(flamegraph, "test")).filter((n) => n.endsWith(".txt")).sort()) {
  for (const opt of ["pid", "tid", "kernel", "jit", "all", "addrs"]) {
    cases.push({ suite: "FlameGraph", input: join(flamegraph, "test", f), expected: join(flamegraph, "test/results", f.replace(/\.txt$/, `-collapsed-${opt}.txt`)), flags: [opt], compat: "perl" });
  }
}
const infernoData = join(inferno, "tests/data/collapse-perf");
for (const r of readdirSync(join(infernoData, "results")).sort()) {
  const m = /^(.*)-collapsed(?:-(.*))?\.txt$/.exec(r);
  if (!m) continue;
  const stem = m[1]!;
  const input = [join(infernoData, `${stem}.txt`), join(flamegraph, "test", `${stem}.txt`), join(flamegraph, `${stem}.txt.gz`)].find(existsSync);
  if (!input) throw new Error(`no input for ${r}`);
  cases.push({ suite: "inferno", input, expected: join(infernoData, "results", r), flags: m[2] ? m[2].split("+") : [], compat: "inferno" });
}

/** stackcollapse-perf.pl's own output for a case, run here. */
function perl(c: Case): Buffer {
  const r = spawnSync("perl", [join(flamegraph!, "stackcollapse-perf.pl"), ...c.flags.map((f) => `--${f}`), c.input], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`stackcollapse-perf.pl failed on ${c.input}: ${r.stderr}`);
  return r.stdout;
}

const tally = new Map<string, { cases: number; own: number; compat: number; either: number; errors: number; tool: number; toolExpected: number }>();
const failures: string[] = [];
for (const c of cases) {
  const want = readFileSync(c.expected);
  const opts = optionsOf(c.flags);
  const own = await run(c.input, opts);
  const compat = await run(c.input, { ...opts, compat: c.compat });
  const t = tally.get(c.suite) ?? { cases: 0, own: 0, compat: 0, either: 0, errors: 0, tool: NaN, toolExpected: NaN };
  t.cases++;
  if (c.compat === "perl") {
    const real = perl(c);
    t.tool = (Number.isNaN(t.tool) ? 0 : t.tool) + (compat.out.equals(real) ? 1 : 0);
    t.toolExpected = (Number.isNaN(t.toolExpected) ? 0 : t.toolExpected) + (real.equals(want) ? 1 : 0);
    if (!compat.out.equals(real)) failures.push(`DIFFERS FROM stackcollapse-perf.pl ${c.expected.split("/").pop()}: ${firstDiff(compat.out, real)}`);
  }
  const ownOk = own.error === undefined && own.out.equals(want);
  const compatOk = compat.error === undefined && compat.out.equals(want);
  if (ownOk) t.own++;
  if (compatOk) t.compat++;
  if (ownOk || compatOk) t.either++;
  if (own.error !== undefined || compat.error !== undefined) t.errors++;
  tally.set(c.suite, t);
  const name = `${c.suite} ${c.expected.split("/").pop()} (--${c.flags.join(" --") || "(none)"})`;
  if (!compatOk && !ownOk) failures.push(`FAIL ${name}: --compat ${c.compat}: ${compat.error ?? firstDiff(compat.out, want)}`);
  else if (verbose) console.log(`ok   ${name}: ${ownOk ? "own reading" : ""}${ownOk && compatOk ? " and " : ""}${compatOk ? `--compat ${c.compat}` : ""}`);
}

console.log(`\nflamebook collapse conformance — ${new Date().toISOString()}`);
console.log(`FlameGraph: ${flamegraph} (${gitHead(flamegraph)}); inferno: ${inferno} (${gitHead(inferno)})\n`);
console.log("| suite | cases | exact, flamebook's own reading | exact, --compat | exact, either | errors | --compat = the tool run here | the tool run here = its expected files |");
console.log("|---|---|---|---|---|---|---|---|");
const opt = (n: number) => (Number.isNaN(n) ? "–" : String(n));
for (const [suite, t] of tally) console.log(`| ${suite} | ${t.cases} | ${t.own} | ${t.compat} | ${t.either} | ${t.errors} | ${opt(t.tool)} | ${opt(t.toolExpected)} |`);
for (const f of failures) console.log(f);
process.exitCode = failures.length > 0 ? 1 : 0;

function gitHead(dir: string): string {
  try {
    const head = readFileSync(join(dir, ".git/HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head.slice(0, 12);
    return readFileSync(join(dir, ".git", head.slice(5)), "utf8").trim().slice(0, 12);
  } catch {
    return "unknown commit";
  }
}
