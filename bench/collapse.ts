// Benchmark: `perf script` text → folded stacks (what `flamebook collapse` does), on a large
// file generated from our own crate by bench/make-large-perf-script.sh, next to baselines that
// run on any Linux machine with perf, all in the same loop (the machine is noisy: compare the
// per-run ratios):
//   cat            `cat FILE > /dev/null`, the floor of reading the file;
//   awk|sort|uniq  `awk -f perf-script-join.awk FILE | sort | uniq -c`: one line per record, then
//                  the classic `sort | uniq -c` count;
//   awk hash       the same awk counting stacks in an associative array (-v count=1);
//   perf report    `perf report -i large.perf.data --stdio --no-children -g folded,0,caller,count`
//                  on the recording the text was made from (its MB/s counts the bytes of that
//                  recording's `perf script` text, one.perf.txt, so that it compares with the rest);
//   perf script|fb `perf script -i large.perf.data | flamebook` on the same recording: flamebook's
//                  end-to-end path from perf.data, the fair partner of perf report;
//   flamebook 2×   flamebook on large2x.perf.txt: the same stacks, twice the samples (memory bound).
//   flamebook collapse (command)  `node bin/flamebook.js collapse FILE > out`: the built command as a
//                  user runs it, node's start-up included, timed like the shell baselines.
// With FLAMEGRAPH_DIR set to a checkout of Brendan Gregg's FlameGraph (not shipped here), its
// stackcollapse-perf.pl runs too, in the same loop, and the ratio of the two whole commands is
// printed per run (the issue-14 target: ≥ 10×). Peak RSS of the baselines is GNU time's %M (the largest process
// of a pipeline); flamebook's is its own process's maxRSS.
// Usage: npm run bench:collapse [-- FILE] [--runs N]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const here = fileURLToPath(new URL(".", import.meta.url));
const data = `${here}data`;
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs") ?? `${data}/large.perf.txt`;
const perfData = `${data}/large.perf.data`;
const oneText = `${data}/one.perf.txt`;
const file2x = `${data}/large2x.perf.txt`;
if (!existsSync(file) || !existsSync(perfData) || !existsSync(file2x)) {
  console.log(`generating ${data}/ (about a minute)…`);
  execFileSync("bash", [`${here}make-large-perf-script.sh`], { stdio: "inherit" });
}
const mb = statSync(file).size / 1e6;
const mbOne = statSync(oneText).size / 1e6;
const mb2x = statSync(file2x).size / 1e6;
const hasTime = existsSync("/usr/bin/time");
const perl = process.env.FLAMEGRAPH_DIR ? `${process.env.FLAMEGRAPH_DIR}/stackcollapse-perf.pl` : undefined;
if (perl && !existsSync(perl)) throw new Error(`FLAMEGRAPH_DIR is set but ${perl} does not exist`);
const tmp = mkdtempSync(join(tmpdir(), "flamebook-bench-collapse-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

interface Measure { mbPerS: number; rssMb: number; stacks: number; total: number }
const awk = `${here}perf-script-join.awk`;
/** A shell baseline: its output goes to a file, checked for stacks and total count. */
const shell = (cmd: string, bytesMb: number, countFirst: boolean | null): Measure => {
  const out = join(tmp, "out.txt");
  const rss = join(tmp, "rss.txt");
  const argv = hasTime ? ["/usr/bin/time", "-f", "%M", "-o", rss, "sh", "-c", `${cmd} > "$5"`] : ["sh", "-c", `${cmd} > "$5"`];
  if (countFirst === null) argv[argv.length - 1] = `${cmd} > /dev/null`;
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, [...argv.slice(1), "sh", file, perfData, awk, perl ?? "", out, flamebookBin], { env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "ignore", "pipe"] });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${r.stderr}`);
  const rssMb = hasTime ? Number(readFileSync(rss, "utf8").trim().split("\n").at(-1)) / 1024 : NaN;
  if (countFirst === null) return { mbPerS: bytesMb / s, rssMb, stacks: NaN, total: NaN };
  const lines = readFileSync(out, "utf8").split("\n").filter((l) => /^\s*\d+ |\s\d+$/.test(l));
  const total = lines.reduce((a, l) => a + Number(countFirst ? l.trim().split(" ", 1)[0] : l.slice(l.lastIndexOf(" ") + 1)), 0);
  return { mbPerS: bytesMb / s, rssMb, stacks: lines.length, total };
};
const flamebook = (input: string, pipeFrom?: string): Measure & { seconds: number } => {
  const node = `"${process.execPath}" --import tsx "${here}collapse-once.ts"`;
  const t0 = performance.now();
  const r = pipeFrom
    ? spawnSync("sh", ["-c", `${pipeFrom} | ${node} -`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    : spawnSync(process.execPath, ["--import", "tsx", `${here}collapse-once.ts`, input], { encoding: "utf8" });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  const j = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { mbPerS: number; cpuMbPerS: number; peakRssMb: number; stacks: number; total: number; bytes: number };
  if (!pipeFrom) cpuMbPerS.push(j.cpuMbPerS);
  // in-process MB/s (read → parse → fold), as before; `seconds` is the whole command with node's start-up
  return { mbPerS: j.mbPerS, rssMb: j.peakRssMb, stacks: j.stacks, total: j.total, seconds: s };
};

const flamebookBin = `${here}../bin/flamebook.js`;
execFileSync(process.execPath, [`${here}../scripts/build.mjs`, "--if-stale"], { stdio: "inherit" });
const rows: Record<string, Measure[]> = {};
const cpuMbPerS: number[] = [];
const add = (k: string, m: Measure) => (rows[k] ??= []).push(m);
const endToEnd: { fb: number; report: number }[] = [];
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadBefore = load();
for (let i = 0; i < runs; i++) {
  add("cat", shell(`cat "$1"`, mb, null));
  add("awk | sort | uniq -c", shell(`awk -f "$3" "$1" | sort | uniq -c`, mb, true));
  add("awk hash", shell(`awk -v count=1 -f "$3" "$1"`, mb, false));
  if (perl) add("stackcollapse-perf.pl", shell(`perl "$4" "$1"`, mb, false));
  add("flamebook collapse (command)", shell(`"${process.execPath}" "$6" collapse "$1"`, mb, false));
  add("flamebook", flamebook(file));
  const report = shell(`perf report -i "$2" --stdio --no-children -g folded,0,caller,count --percent-limit 0 2>/dev/null | grep -E '^[0-9]+ '`, mbOne, true);
  add("perf report (perf.data)", report);
  const fb = flamebook("-", `perf script -i "${perfData}" 2>/dev/null`);
  add("perf script | flamebook (perf.data)", { ...fb, mbPerS: mbOne / fb.seconds });
  endToEnd.push({ fb: fb.seconds, report: mbOne / report.mbPerS });
  add("flamebook, 2× file", flamebook(file2x));
  process.stderr.write(`run ${i + 1}/${runs} done\n`);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const mmm = (xs: number[], d = 0) => {
  const s = sorted(xs);
  return `${s[0]!.toFixed(d)} / ${s[Math.floor(s.length / 2)]!.toFixed(d)} / ${s.at(-1)!.toFixed(d)}`;
};
const fbRuns = rows["flamebook"]!;
console.log(`\nflamebook collapse benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, load average ${loadBefore} → ${load()}`);
console.log(`input: ${file} (${mb.toFixed(1)} MB, ${fbRuns[0]!.stacks} unique stacks); recording ${perfData} (${(statSync(perfData).size / 1e6).toFixed(1)} MB, its perf script text ${mbOne.toFixed(1)} MB); 2× file ${mb2x.toFixed(1)} MB; ${runs} runs\n`);
console.log(`${"".padEnd(36)} ${"MB/s min / median / max".padStart(24)} ${"peak RSS MB".padStart(16)} ${"flamebook ÷ it, per run".padStart(26)}  stacks  total`);
for (const [k, v] of Object.entries(rows)) {
  const ratio = k.startsWith("flamebook") ? "" : v.map((m, i) => (fbRuns[i]!.mbPerS / m.mbPerS).toFixed(1)).join(" ");
  console.log(`${k.padEnd(36)} ${mmm(v.map((m) => m.mbPerS)).padStart(24)} ${mmm(v.map((m) => m.rssMb)).padStart(16)} ${ratio.padStart(26)}  ${String(v[0]!.stacks).padStart(6)}  ${v[0]!.total}`);
}
console.log(`\nflamebook ${mmm(fbRuns.map((m) => m.mbPerS))} MB/s: target ≥ 130 MB/s ${sorted(fbRuns.map((m) => m.mbPerS))[Math.floor(runs / 2)]! >= 130 ? "met" : "MISSED"} (median); per run ${fbRuns.map((m) => (m.mbPerS / 130).toFixed(2) + "×").join(" ")} of the target`);
const rss1 = rows["flamebook"]!.map((m) => m.rssMb);
const rss2 = rows["flamebook, 2× file"]!.map((m) => m.rssMb);
console.log(`flamebook per CPU-second of its own process (what other load on the machine disturbs least): ${mmm(cpuMbPerS)} MB/s (both file sizes)`);
console.log(`memory bound: peak RSS ${mmm(rss1)} MB for ${mb.toFixed(0)} MB vs ${mmm(rss2)} MB for ${mb2x.toFixed(0)} MB (same ${fbRuns[0]!.stacks} stacks); 2×/1× per run ${rss1.map((r, i) => (rss2[i]! / r).toFixed(2)).join(" ")}`);
console.log(`from perf.data, same recording: perf report ${mmm(endToEnd.map((e) => e.report), 2)} s vs perf script | flamebook ${mmm(endToEnd.map((e) => e.fb), 2)} s; report ÷ (script | flamebook) per run ${endToEnd.map((e) => (e.report / e.fb).toFixed(2)).join(" ")}`);
const cmd = rows["flamebook collapse (command)"]!;
if (perl) {
  const ratios = rows["stackcollapse-perf.pl"]!.map((m, i) => cmd[i]!.mbPerS / m.mbPerS);
  console.log(`flamebook collapse ÷ stackcollapse-perf.pl, whole commands in the same loop, per run: ${ratios.map((r) => r.toFixed(1) + "×").join(" ")} (target ≥ 10×: ${ratios.every((r) => r >= 10) ? "met in every run" : ratios.some((r) => r >= 10) ? "met in some runs" : "MISSED"}); same ${cmd[0]!.stacks} stacks: ${cmd[0]!.stacks === rows["stackcollapse-perf.pl"]![0]!.stacks ? "yes" : "NO"}`);
}
console.log(`(perf report's stacks keep perf's "(inlined)" marks and omit the comm; the awk baselines cut nothing else; counts: samples for the baselines, period-weighted ns for flamebook)`);
