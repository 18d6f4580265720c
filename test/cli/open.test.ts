import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { openCliProfile } from "../../src/cli/open.js";
import { base64Bytes, unpackFlameTree } from "../../widgets/wire/unpack.js";
import { fixture } from "../helpers/golden.js";
import { recordThreads } from "../helpers/perf-data.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cli = (args: string[], cwd = repo) =>
  spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });

test("build: the widget bundles exist", { timeout: 300_000 }, async () => {
  await ensureBuilt();
});

test("flamebook open FILE -o OUT: writes a standalone page and prints its path", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const out = join(dir, "flame.html");
  const r = cli(["open", fixture("perf-script", "clone-in-loop.before.perf.txt"), "-o", out, "--title", "wordfreq <before>"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${out}\n`);
  const page = readFileSync(out, "utf8");
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<title>wordfreq &lt;before&gt;<\/title>/);
  assert.match(page, /application\/vnd\.flamebook\.flametree\+json/);
  assert.doesNotMatch(page, /<script src=/, "no external script");
  assert.deepEqual(readdirSync(dir), ["flame.html"], "no temporary file left behind");
});

test("flamebook open: folded input, default output name in the current directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const r = cli(["open", fixture("folded", "cargo-flamegraph.folded")], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), join(dir, "cargo-flamegraph.folded.html"));
  assert.ok(existsSync(join(dir, "cargo-flamegraph.folded.html")));
});

test("flamebook open: an unreadable profile is a one-line error and writes nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const bad = join(dir, "bad.txt");
  writeFileSync(bad, "this is not a profile\n\u0000\u0001");
  const r = cli(["open", bad, "-o", join(dir, "out.html")]);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.match(r.stderr, /bad\.txt/);
  assert.ok(!existsSync(join(dir, "out.html")));
});

/** The strings of the flame tree embedded in a page. */
async function pageStrings(html: string): Promise<readonly string[]> {
  const data = /<script type="application\/vnd.flamebook.flametree\+json">([^<]*)<\/script>/.exec(html);
  assert.ok(data, "the page has its data block");
  const block = JSON.parse(data[1]!) as { header: Parameters<typeof unpackFlameTree>[0]; data: string };
  return (await unpackFlameTree(block.header, base64Bytes(block.data))).strings;
}

test("flamebook open x.perf.data -o page.html: runs perf script on it and writes the page", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const data = await recordThreads(join(dir, "x.perf.data"), { ms: 200 });
  const out = join(dir, "page.html");
  const r = cli(["open", data, "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${out}\n`);
  assert.equal(r.stderr, "", "no warnings: the binary is here");
  const strings = await pageStrings(readFileSync(out, "utf8"));
  assert.ok(strings.includes("threads::spin"), "names from the binary, cleaned");
});

test("flamebook open: a perf.data recorded elsewhere (binary gone) opens with a warning on stderr", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const home = join(dir, "home");
  mkdirSync(home);
  const exe = join(dir, "copied-threads");
  const data = await recordThreads(join(dir, "gone.perf.data"), { perfArgs: ["--no-buildid-cache"], exeCopy: exe, env: { HOME: home } });
  rmSync(exe);
  const r = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/cli/bin.ts"), "open", data, "-o", join(dir, "p.html")], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, HOME: home },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^flamebook: warning: .*gone\.perf\.data: \d+% of the samples end in frames without a function name, and the binaries they ran are not on this machine \(.*copied-threads/m);
  assert.match(r.stderr, /perf archive/);
});

test("flamebook open: binary inputs say what they are and name --format <name>, never print their bytes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-open-"));
  const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
  const files: [string, Uint8Array | string, RegExp][] = [
    ["flame.png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise]), /unknown profile format: it is a PNG image\./],
    ["flame.jpg", Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise]), /it is a JPEG image\./],
    ["flame.gif", Buffer.concat([Buffer.from("GIF87a"), noise]), /it is a GIF image\./],
    ["flame.webp", Buffer.concat([Buffer.from("RIFF\u0024\u0000\u0000\u0000WEBPVP8 ", "latin1"), noise]), /it is a WebP image\./],
    ["flame.svg", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n', /it is an SVG image/],
    ["program", readFileSync("/bin/true").subarray(0, 512), /it is an ELF executable/],
    ["profiles.zip", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), noise]), /it is a zip archive\./],
    ["mystery.gz", gzipSync(Buffer.concat([noise, Buffer.alloc(8), noise])), /it is gzip-compressed, and inside is binary data \(it starts with the bytes [0-9a-f ]+\), not text\./],
    ["notes.txt.gz", gzipSync("hello, these are notes\n"), /unknown profile format \(it is gzip-compressed text that starts with "hello, these are notes\\n"\)/],
  ];
  for (const [name, bytes, want] of files) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    await assert.rejects(openCliProfile(path, undefined), (e: Error) => {
      assert.match(e.message, want, name);
      assert.ok(e.message.startsWith(`flamebook: ${path}: `), e.message);
      assert.match(e.message, /Pass --format <name> to choose one\.$/, name);
      assert.doesNotMatch(e.message, /\{ format \}|[\u0000-\u0008\u000e-\u001f\ufffd]|\\u00/, name);
      return true;
    });
  }
  const empty = join(dir, "empty.folded");
  writeFileSync(empty, "");
  await assert.rejects(openCliProfile(empty, undefined), new RegExp(`^Error: flamebook: ${empty}: the file is empty \\(0 bytes\\)`));
  await assert.rejects(openCliProfile(dir, undefined), new RegExp(`^Error: flamebook: ${dir} is a directory, not a profile file`));
  // the whole command: one message on stderr, exit 1, no page
  const r = cli(["open", join(dir, "flame.png"), "-o", join(dir, "out.html")]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flamebook: .*flame\.png: unknown profile format: it is a PNG image\. .* Pass --format <name> to choose one\.\n$/);
  assert.ok(!existsSync(join(dir, "out.html")));
});
