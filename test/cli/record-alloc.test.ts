// `flamebook record --alloc -- <cmd>`: any command under real valgrind DHAT, on a tiny std-only
// Rust program that allocates a known number of Strings in one function of its own. Needs rustc
// and valgrind; in CI nothing is skipped.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { base64Bytes, unpackFlameTree } from "../../widgets/wire/unpack.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cli = (args: string[], cwd: string) =>
  spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20, timeout: 180_000 });

function unavailable(): string | undefined {
  if (process.env.CI === "true") return undefined;
  if (spawnSync("valgrind", ["--version"]).status !== 0) return "valgrind is not installed (Debian package valgrind)";
  if (spawnSync("rustc", ["--version"]).status !== 0) return "rustc is not installed";
  return undefined;
}
const skip = unavailable();
if (skip) console.log(`# skipping test/cli/record-alloc.test.ts: ${skip}`);

// `n` Strings made by to_string() in a function of this crate, kept alive; one line of output.
const ALLOC_RS = `
#[inline(never)]
fn make_labels(n: usize) -> Vec<String> {
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        v.push(std::hint::black_box(i).to_string());
    }
    v
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let v = make_labels(n);
    println!("made {} labels, last {}", v.len(), v.last().map(String::as_str).unwrap_or(""));
}
`;

const dir = mkdtempSync(join(tmpdir(), "fb-record-alloc-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let exe = "";
before(async () => {
  if (skip) return;
  await ensureBuilt(); // the page inlines the widget bundle
  writeFileSync(join(dir, "allocs.rs"), ALLOC_RS);
  exe = join(dir, "allocs");
  const r = spawnSync("rustc", ["-O", "-g", "-o", exe, join(dir, "allocs.rs")], { encoding: "utf8" });
  assert.equal(r.status, 0, `rustc failed: ${r.stderr}`);
}, { timeout: 300_000 });

const blocksOf = (stdout: string) => Number(/^allocations: ([\d,]+) blocks, ([\d,]+) bytes allocated \(exact/m.exec(stdout)?.[1]?.replace(/,/g, "") ?? NaN);

test("flamebook record --alloc: exact blocks, the function that asked for them, the DHAT file kept at --out, a page of blocks", { skip, timeout: 180_000 }, async () => {
  const r = cli(["record", "--alloc", "--out", "kept/allocs.dhat.json", "--html", "allocs.html", "--", exe, "3000"], dir);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^made 3000 labels, last 2999$/m, "the program's output passes through");
  assert.doesNotMatch(r.stderr, /==\d+==/, "valgrind's own lines are not the program's");
  const blocks = blocksOf(r.stdout);
  assert.ok(blocks >= 3000 && blocks < 3100, `${blocks} blocks: 3000 Strings, the Vec and a few from std`);
  // the function of the program's own crate that made the Strings heads the list
  const where = r.stdout.split("\n").find((l) => /^\s+\d+\.\d%\s+[\d,]+\s+\S/.test(l)) ?? "";
  assert.match(where, /^\s+9\d\.\d%\s+3,0\d\d\s+allocs::make_labels$/, r.stdout);
  // the kept file is complete DHAT JSON, at the path asked for, and nothing partial is left
  const kept = join(dir, "kept", "allocs.dhat.json");
  assert.equal(JSON.parse(readFileSync(kept, "utf8")).dhatFileVersion, 2);
  assert.deepEqual(readdirSync(join(dir, "kept")), ["allocs.dhat.json"]);
  assert.equal(r.stdout.trim().split("\n").at(-1), join(dir, "allocs.html"), "the page's path is the last line");
  // the page draws blocks: its tree's total is the block count
  const html = readFileSync(join(dir, "allocs.html"), "utf8");
  const data = /<script type="application\/vnd\.flamebook\.flametree\+json">([^<]*)<\/script>/.exec(html);
  assert.ok(data, "the page embeds its tree");
  const block = JSON.parse(data[1]!) as { header: Parameters<typeof unpackFlameTree>[0]; data: string };
  const tree = await unpackFlameTree(block.header, base64Bytes(block.data));
  assert.equal(tree.event, "blocks");
  assert.equal(tree.nodes.total[0], blocks);
  // the same input gives the same counts
  const again = cli(["record", "--alloc", "--html", "again.html", "--", exe, "3000"], dir);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(blocksOf(again.stdout), blocks, "exact: two runs, one count");
  assert.ok(existsSync(join(dir, ".flamebook", "recordings")), "without --out the DHAT file is kept under .flamebook/recordings");
});

test("flamebook record --alloc with --freq, --event or --off-cpu is refused before anything runs", () => {
  for (const flag of [["--freq", "99"], ["--event", "cycles"], ["--off-cpu"]]) {
    const r = cli(["record", "--alloc", ...flag, "--html", "never.html", "--", "/bin/true"], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`--alloc counts allocations under valgrind and samples nothing, so it takes no ${flag[0]}`));
    assert.equal(existsSync(join(dir, "never.html")), false);
  }
});
