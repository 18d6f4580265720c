// Fault: Ctrl-C (SIGINT) in the CLI. `flamebook run` of a notebook whose cell runs an experiment
// (perf-profiled runs), and `flamebook open` / `flamebook diff` busy with a large input. Each
// exits 130 promptly with "flamebook: interrupted", leaves no process of its own, and writes no
// output that reads as complete (no page, no notebook, no partial file; the experiment record is
// left "running", which experiment.load refuses). (Ctrl-C in `flamebook record` is
// test/cli/record.test.ts; `flamebook run` of a plain cell is test/notebook/run-command.test.ts.)
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { readRecord } from "../../src/experiment/record.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";
import { goneWithin, liveWith, marker, perfUnavailable, processTable, skipUnless, waitFor } from "./env.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "src", "cli", "bin.ts");
const tmp = mkdtempSync(join(tmpdir(), "fbfault-sigint-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function start(args: string[], cwd = tmp): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), bin, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  return { child, stderr: () => err };
}

async function interrupt(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const exited = new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
  child.kill("SIGINT");
  const code = await exited;
  return { code, ms: Date.now() - t0 };
}

/** A folded file with `n` distinct stacks (a wide tree: slow to read, fold and lay out). */
function bigFolded(path: string, n: number, salt: string): void {
  const fd = openSync(path, "w");
  let buf: string[] = [];
  for (let i = 0; i < n; i++) {
    buf.push(`main;mod_${i % 97}::f_${i % 1009};leaf_${i % 7919};${salt}_${i} ${1 + (i % 13)}`);
    if (buf.length === 10_000) {
      writeSync(fd, buf.join("\n") + "\n");
      buf = [];
    }
  }
  writeSync(fd, buf.join("\n") + "\n");
  closeSync(fd);
}

test("flamebook run: Ctrl-C while a cell runs an experiment exits 130, kills perf and the program, writes the notebook so far (marked interrupted) and marks the record interrupted", { timeout: 180_000 }, async (t) => {
  if (skipUnless(t, perfUnavailable())) return;
  await ensureBuilt();
  const tag = marker("run-exp");
  const store = join(tmp, "store");
  const loop = `end=$(($(date +%s)+30)); while [ $(date +%s) -lt $end ]; do :; done # ${tag}`;
  const nb = join(tmp, "exp.ipynb");
  const cells = [
    { cell_type: "code", id: "p", metadata: { tags: ["parameters"] }, source: "const runs = 2;", outputs: [], execution_count: null },
    {
      cell_type: "code",
      id: "e",
      metadata: {},
      source: `import { experiment } from "flamebook";\nawait experiment({ exe: "/bin/sh", args: ["-c", ${JSON.stringify(loop)}], variants: { a: {}, b: { env: { FB_B: "1" } } }, runs, warmup: 0, measure: ["perf"], store: ${JSON.stringify(store)} });`,
      outputs: [],
      execution_count: null,
    },
  ];
  writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "flamebook", display_name: "flamebook", language: "typescript" } }, cells }));
  const out = join(tmp, "exp.out.ipynb");
  const { child, stderr } = start(["run", nb, "--out", out]);
  try {
    await waitFor("perf and the program", 90_000, () => {
      const ps = liveWith(tag);
      return ps.some((p) => p.args.startsWith("perf record")) && ps.some((p) => p.args.startsWith("/bin/sh -c"));
    });
    const { code, ms } = await interrupt(child);
    assert.equal(code, 130, stderr());
    assert.ok(ms < 5000, `exited after ${ms} ms`);
    assert.match(stderr(), /flamebook: interrupted/);
    assert.ok(await goneWithin(tag, 3000), `left running: ${JSON.stringify(liveWith(tag))}`);
    // the notebook so far is written, marked interrupted (never "ok"), the experiment cell with its error
    const executed = JSON.parse(readFileSync(out, "utf8")) as { metadata: { flamebook: { status: string } }; cells: { outputs: { output_type: string }[] }[] };
    assert.equal(executed.metadata.flamebook.status, "interrupted");
    assert.equal(executed.cells[1]!.outputs.at(-1)!.output_type, "error");
    const dir = join(store, "experiments");
    const records = readdirSync(dir).filter((f) => f.endsWith(".json"));
    assert.equal(records.length, 1);
    const path = join(dir, records[0]!);
    const rec = await readRecord(path, { allowIncomplete: true });
    assert.equal(rec.status, "interrupted", "the record says so, as the docs promise");
  } finally {
    child.kill("SIGKILL");
  }
});

for (const cmd of ["open", "diff"] as const) {
  test(`flamebook ${cmd}: Ctrl-C on a large input exits 130 promptly and writes no page`, { timeout: 60_000 }, async () => {
    const dir = join(tmp, cmd);
    const a = join(tmp, `${cmd}-a.folded`);
    const b = join(tmp, `${cmd}-b.folded`);
    // Big enough that 2.5 s in, the input is still being read (streamed, so Ctrl-C is seen at
    // once) even on a fast machine: the flame tree built after reading is one synchronous step
    // (about 3 s for 300k stacks here), which no JavaScript signal handler can interrupt.
    bigFolded(a, cmd === "open" ? 800_000 : 300_000, "a");
    if (cmd === "diff") bigFolded(b, 300_000, "b");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    const page = join(dir, "page.html");
    const { child, stderr } = start(cmd === "open" ? ["open", a, "-o", page] : ["diff", a, b, "-o", page]);
    try {
      // Well into the work: reading and folding take several seconds.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(child.exitCode, null, `still working after 2.5 s: ${stderr()}`);
      const { code, ms } = await interrupt(child);
      assert.equal(code, 130, stderr());
      assert.ok(ms < 2000, `exited ${ms} ms after SIGINT`);
      assert.match(stderr(), /flamebook: interrupted/);
      assert.deepEqual(readdirSync(dir), [], "no page and no partial page");
      assert.deepEqual(processTable().filter((p) => p.ppid === child.pid), [], "no child left");
    } finally {
      child.kill("SIGKILL");
    }
  });
}
