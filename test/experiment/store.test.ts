import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { open, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { run } from "../../src/exec/index.js";
import { ArtifactError, ArtifactStore, artifactRefSchema, defaultStoreRoot } from "../../src/experiment/store.js";

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "flamebook-store-"));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

/** Every file below `dir`, relative, sorted. */
async function files(dir: string): Promise<string[]> {
  const out = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return out
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort();
}

test("put stores by content hash; a second put of the same content is a no-op", async () => {
  const store = new ArtifactStore(join(tmp, "dedup"));
  const a = await store.put("hello perf\n", { kind: "stderr" });
  assert.equal(a.hash, sha("hello perf\n"));
  assert.equal(a.bytes, 11);
  assert.equal(a.stored, "raw");
  assert.equal(a.file, `artifacts/${a.hash.slice(0, 2)}/${a.hash.slice(2)}`);
  assert.doesNotThrow(() => artifactRefSchema.parse(a));
  const st1 = await stat(store.path(a));
  const b = await store.put(Buffer.from("hello perf\n"), { kind: "stderr" });
  assert.deepEqual(b, a);
  const st2 = await stat(store.path(a));
  assert.equal(st2.ino, st1.ino, "the file was not rewritten");
  assert.equal(st2.mtimeMs, st1.mtimeMs);
  assert.deepEqual(await files(store.root), [a.file]);
  assert.equal(await store.has(a), true);
  assert.equal(await store.has({ ...a, hash: "0".repeat(64), file: `artifacts/00/${"0".repeat(62)}` }), false);
});

test("gzip round trip: text kinds are gzipped by default, get() decompresses", async () => {
  const store = new ArtifactStore(join(tmp, "gzip"));
  const text = "main;parse;alloc 12\n".repeat(10_000);
  const ref = await store.put(text, { kind: "perf-script", name: "out.perf" });
  assert.equal(ref.stored, "gzip");
  assert.ok(ref.file.endsWith(".gz"));
  assert.equal(ref.hash, sha(text), "the hash is of the uncompressed content");
  assert.equal(ref.bytes, Buffer.byteLength(text));
  assert.equal(ref.name, "out.perf");
  const onDisk = await readFile(store.path(ref));
  assert.ok(onDisk.byteLength < ref.bytes / 10, `compressed ${onDisk.byteLength} bytes`);
  assert.equal(gunzipSync(onDisk).toString(), text, "the file is plain gzip");
  assert.equal(Buffer.from(await store.get(ref)).toString(), text);
  // Opting out, and opting in for a binary kind.
  assert.equal((await store.put(text, { kind: "perf-script", compress: false })).stored, "raw");
  const bin = await store.put(new Uint8Array([1, 2, 3]), { kind: "perf.data", compress: true });
  assert.equal(bin.stored, "gzip");
  assert.deepEqual([...(await store.get(bin))], [1, 2, 3]);
});

test("putFile streams, with and without gzip, and matches put()", async () => {
  const store = new ArtifactStore(join(tmp, "putfile"));
  const src = join(tmp, "script.txt");
  const text = Array.from({ length: 50_000 }, (_, i) => `frame_${i % 97};leaf ${i}\n`).join("");
  await writeFile(src, text);
  const gz = await store.putFile(src, { kind: "perf-script" });
  assert.equal(gz.stored, "gzip");
  assert.equal(gz.hash, sha(text));
  assert.equal(Buffer.from(await store.get(gz)).toString(), text);
  await store.verify(gz);
  const raw = await store.putFile(src, { kind: "perf.data" });
  assert.equal(raw.stored, "raw");
  assert.equal(raw.hash, gz.hash);
  assert.deepEqual(await readFile(store.path(raw)), await readFile(src));
  assert.deepEqual(await store.putFile(src, { kind: "perf.data" }), raw, "dedup");
  assert.deepEqual(await store.put(text, { kind: "perf.data" }), raw, "put and putFile agree");
  await assert.rejects(store.putFile(join(tmp, "nope"), { kind: "perf.data" }), /cannot store .*nope as perf.data: it does not exist/);
  assert.deepEqual(await readdir(join(store.root, "artifacts", ".tmp")), [], "no temporary file is left");
});

test("get() verifies the hash: a flipped byte names the corrupt file and the fix", async () => {
  const store = new ArtifactStore(join(tmp, "corrupt"));
  const raw = await store.put("x".repeat(1000), { kind: "timings" });
  const file = store.path(raw);
  const buf = await readFile(file);
  buf[500] ^= 0x01;
  await writeFile(file, buf);
  const err = await store.get(raw).then(
    () => assert.fail("no error"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ArtifactError);
  assert.equal(err.failure, "corrupt");
  assert.equal(err.file, file);
  assert.ok(err.message.includes(file), err.message);
  assert.match(err.message, /delete it and re-run the experiment, or restore it from the original/i);
  await assert.rejects(store.verify(raw), (e: unknown) => e instanceof ArtifactError && e.failure === "corrupt" && e.file === file);

  // A gzipped file with a flipped byte: bad gzip (CRC) or a bad hash, either way "corrupt" and named.
  const gz = await store.put("y".repeat(5000), { kind: "perf-script" });
  const gzFile = store.path(gz);
  const gzBuf = await readFile(gzFile);
  gzBuf[Math.floor(gzBuf.length / 2)] ^= 0xff;
  await writeFile(gzFile, gzBuf);
  await assert.rejects(store.get(gz), (e: unknown) => e instanceof ArtifactError && e.failure === "corrupt" && e.message.includes(gzFile));

  // Truncated.
  await writeFile(file, buf.subarray(0, 10));
  await assert.rejects(store.get(raw), /is corrupt: its content hashes to .* \(10 bytes\), not .* \(1000 bytes\)/);

  // Missing.
  await rm(file);
  await assert.rejects(store.get(raw), (e: unknown) => e instanceof ArtifactError && e.failure === "missing" && /is missing from the store/.test(e.message));
  // A damaged ref cannot point outside the store.
  assert.throws(() => store.path({ ...raw, file: "../../etc/passwd" }), /leaves the store/);
});

test("a stream that fails half-way leaves nothing at the final path and no temporary file", async () => {
  const store = new ArtifactStore(join(tmp, "interrupted"));
  const chunk = Buffer.alloc(64 * 1024, 7);
  for (const compress of [false, true]) {
    async function* failing(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 16; i++) yield chunk;
      throw new Error("perf died");
    }
    await assert.rejects(store.putStream(failing(), { kind: "perf.data", compress }), /perf died/);
    // What a complete put of the first half would have produced must not exist either.
    const half = Buffer.concat(Array.from({ length: 16 }, () => chunk));
    const wouldBe = `artifacts/${sha(half).slice(0, 2)}/${sha(half).slice(2)}`;
    assert.equal(await stat(join(store.root, wouldBe)).catch(() => null), null);
    assert.deepEqual(await files(store.root), [], `compress=${compress}: nothing left`);
  }
  // A Readable that errors (e.g. a killed child's stdout).
  const r = new Readable({ read() {} });
  r.push(chunk);
  setImmediate(() => r.destroy(new Error("EPIPE-ish")));
  await assert.rejects(store.putStream(r, { kind: "perf-script" }), /EPIPE-ish/);
  assert.deepEqual(await files(store.root), []);
  // The store still works afterwards.
  const ok = await store.putStream(Readable.from([chunk, chunk]), { kind: "perf.data" });
  assert.deepEqual(await files(store.root), [ok.file]);
});

test("a full disk (a 1 MiB tmpfs) fails the put and leaves nothing behind", async (t) => {
  if (process.getuid?.() !== 0) return t.skip("needs root to mount a tmpfs");
  const mnt = join(tmp, "tiny");
  await mkdir(mnt);
  const mounted = await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], { check: false, timeoutMs: 10_000 }).catch(() => null);
  if (mounted?.code !== 0) return t.skip(`mount -t tmpfs failed here: ${mounted?.stderrTail.trim() ?? "mount not found"}`);
  try {
    const store = new ArtifactStore(join(mnt, "store"));
    const big = join(tmp, "big.bin");
    await writeFile(big, Buffer.alloc(3 * 1024 * 1024, 1));
    await assert.rejects(store.putFile(big, { kind: "perf.data" }), /cannot write a perf.data artifact to the store .*ENOSPC.*Free some space/s);
    await assert.rejects(store.put(Buffer.alloc(3 * 1024 * 1024, 2), { kind: "perf.data" }), /ENOSPC/);
    assert.deepEqual(await files(store.root), []);
    const small = await store.put("fits", { kind: "stderr" });
    assert.equal(Buffer.from(await store.get(small)).toString(), "fits");
  } finally {
    await run("umount", [mnt], { check: false, timeoutMs: 10_000 });
  }
});

test("putFile of a 200 MB file hashes while copying: RSS grows by less than 50 MB", async () => {
  const big = join(tmp, "perf-200m.data");
  const block = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  const fh = await open(big, "w");
  const hash = createHash("sha256");
  for (let i = 0; i < 50; i++) {
    block.writeUInt32LE(i, 0); // 50 distinct blocks
    await fh.write(block);
    hash.update(block);
  }
  await fh.close();
  const expected = hash.digest("hex");

  const store = new ArtifactStore(join(tmp, "big"));
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const ref = await store.putFile(big, { kind: "perf.data" });
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const grewMb = (peak - base) / 2 ** 20;
  console.log(`# putFile 200 MB raw: ${ms.toFixed(0)} ms (${(200 / (ms / 1000)).toFixed(0)} MB/s), RSS +${grewMb.toFixed(1)} MB`);
  assert.equal(ref.hash, expected);
  assert.equal(ref.bytes, 200 * 2 ** 20);
  assert.ok(grewMb < 50, `RSS grew by ${grewMb.toFixed(1)} MB`);
  assert.equal((await stat(store.path(ref))).size, ref.bytes);
  await rm(big);
  await rm(store.root, { recursive: true });
});

test("sweepTemp removes stale temporary files of killed puts", async () => {
  const store = new ArtifactStore(join(tmp, "sweep"));
  const dir = join(store.root, "artifacts", ".tmp");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ".tmp-1-abc"), "partial");
  assert.equal(await store.sweepTemp(60_000), 0, "a fresh one may belong to a running put");
  assert.equal(await store.sweepTemp(-1), 1);
  assert.deepEqual(await readdir(dir), []);
});

test("the default root is <cwd>/.flamebook", () => {
  assert.equal(defaultStoreRoot("/w/p"), "/w/p/.flamebook");
  assert.equal(new ArtifactStore().root, join(process.cwd(), ".flamebook"));
});

test("a store that cannot be written names the store root, and the input file is closed", async () => {
  // A file where the artifacts directory should be: fails even for root (unlike permissions).
  const root = join(tmp, "blocked");
  await mkdir(root);
  await writeFile(join(root, "artifacts"), "not a directory");
  const store = new ArtifactStore(root);
  const src = join(tmp, "blocked-input.bin");
  await writeFile(src, "data");
  await assert.rejects(store.putFile(src, { kind: "perf.data" }), /cannot write a perf.data artifact to the store .*blocked: .*(ENOTDIR|EEXIST).*use another store root/);
  await assert.rejects(store.put("x", { kind: "stderr" }), /cannot write a stderr artifact to the store .*blocked/);
});
