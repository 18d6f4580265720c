// Scale: a 1 GB `perf script` file streams through openProfile with bounded memory. It runs in
// every `npm test` (about 10 s and 1.1 GB of temporary disk here); bench/scale.ts shows the same
// on the demo crate's real recording, with MB/s. The file repeats a committed fixture (made
// in a temporary directory, removed after); each read runs in a child process with a 256 MB
// heap limit, and the 1 GB read must not need much more memory than a 100 MB read of the same stacks.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { openProfile } from "../../src/samples/registry.js";
import { fixture } from "../helpers/golden.js";

if (process.argv[2] === "--child") {
  // one read: print samples and peak RSS
  const p = await openProfile(process.argv[3]!);
  console.log(JSON.stringify({ samples: p.samples.stack.length, stacks: p.stacks.frame.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

/** Writes `copies` copies of `text` to `path`, streaming (never the whole file in memory). */
async function repeatTo(path: string, text: string, copies: number): Promise<void> {
  const out = createWriteStream(path);
  const perChunk = Math.max(1, Math.floor((8 << 20) / text.length));
  const chunk = Buffer.from(text.repeat(perChunk));
  let left = copies;
  while (left > 0) {
    const n = Math.min(left, perChunk);
    const ok = out.write(n === perChunk ? chunk : Buffer.from(text.repeat(n)));
    left -= n;
    if (!ok) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function readInChild(path: string): { samples: number; stacks: number; peakRssMb: number; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--max-old-space-size=256", "--import", "tsx", fileURLToPath(import.meta.url), "--child", path], { encoding: "utf8" });
  assert.equal(r.status, 0, `reading ${path} failed (heap limit 256 MB?): ${r.stderr.slice(-2000)}`);
  return { ...(JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { samples: number; stacks: number; peakRssMb: number }), seconds: (performance.now() - t0) / 1000 };
}

test(
  "openProfile: a 1 GB perf script file streams through with bounded memory (256 MB heap; RSS close to a 100 MB file's)",
  async () => {
    const text = readFileSync(fixture("perf-script", "clone-in-loop.before.perf.txt"), "utf8");
    const one = await openProfile(Buffer.from(text));
    const dir = mkdtempSync(join(tmpdir(), "flamebook-scale-"));
    try {
      const small = join(dir, "100mb.perf.txt");
      const big = join(dir, "1gb.perf.txt");
      const copiesSmall = Math.ceil(100e6 / text.length);
      const copiesBig = Math.ceil(1e9 / text.length);
      await repeatTo(small, text, copiesSmall);
      await repeatTo(big, text, copiesBig);
      assert.ok(statSync(big).size >= 1e9);
      const a = readInChild(small);
      const b = readInChild(big);
      console.log(`100 MB: ${a.seconds.toFixed(1)} s, peak RSS ${a.peakRssMb.toFixed(0)} MB; 1 GB: ${b.seconds.toFixed(1)} s (${(statSync(big).size / 1e6 / b.seconds).toFixed(0)} MB/s), peak RSS ${b.peakRssMb.toFixed(0)} MB`);
      assert.equal(a.samples, copiesSmall * one.samples.stack.length);
      assert.equal(b.samples, copiesBig * one.samples.stack.length);
      assert.equal(b.stacks, one.stacks.frame.length);
      // one row per sample costs ~30 bytes: 10× the samples may add tens of MB, not hundreds
      assert.ok(b.peakRssMb < a.peakRssMb * 1.5 + 50, `1 GB peak RSS ${b.peakRssMb} MB vs 100 MB's ${a.peakRssMb} MB`);
      assert.ok(b.peakRssMb < 512, `peak RSS ${b.peakRssMb} MB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
