// src/fs/atomic.ts: whole-file, streaming and moved-into-place writes; one temporary name, one
// error text; nothing left behind on failure, abort or process exit.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { atomicFile, openAtomic, tempPathFor, writeError, WriteError, writeFileAtomic, writeFileAtomicSync } from "../../src/fs/atomic.js";

const dir = mkdtempSync(join(tmpdir(), "fb-atomic-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (name: string) => mkdtempSync(join(dir, `${name}-`));

test("tempPathFor: hidden, beside the target, unique, ending in .partial", () => {
  const a = tempPathFor("/out/flame.html");
  assert.match(a, new RegExp(`^/out/\\.flame\\.html\\.${process.pid}-[0-9a-f]{8}\\.partial$`));
  assert.notEqual(a, tempPathFor("/out/flame.html"));
});

test("writeFileAtomic: writes the whole file, creates directories, replaces an old one, leaves no temporary file", async () => {
  const d = fresh("whole");
  const path = join(d, "sub", "f.txt");
  assert.equal(await writeFileAtomic(path, "one"), path);
  assert.equal(await writeFileAtomic(path, new Uint8Array([116, 119, 111])), path);
  assert.equal(readFileSync(path, "utf8"), "two");
  assert.deepEqual(readdirSync(join(d, "sub")), ["f.txt"]);
});

test("writeFileAtomic with mkdir: false: a missing directory is a WriteError naming the file and the fix", async () => {
  const path = join(fresh("nodir"), "missing", "f.html");
  await assert.rejects(writeFileAtomic(path, "x", { mkdir: false }), (e: unknown) => {
    assert.ok(e instanceof WriteError);
    assert.equal(e.code, "ENOENT");
    assert.equal(e.path, path);
    assert.equal(e.message, `flamebook: cannot write ${path}: no such file or directory (ENOENT). Check that the directory exists and the path names a file, or write elsewhere.`);
    return true;
  });
});

test("openAtomic: chunks stay in the temporary file until commit; the old file is intact until then", async () => {
  const d = fresh("stream");
  const path = join(d, "out.folded");
  writeFileSync(path, "old");
  const w = await openAtomic(path);
  void w.write("a;b 1\n"); // queued in call order, even without waiting
  await w.write(Buffer.from("a;c 2\n"));
  assert.equal(readFileSync(path, "utf8"), "old");
  assert.deepEqual(readdirSync(d).sort(), [w.temp.slice(d.length + 1), "out.folded"].sort());
  assert.equal(await w.commit(), path);
  assert.equal(readFileSync(path, "utf8"), "a;b 1\na;c 2\n");
  assert.deepEqual(readdirSync(d), ["out.folded"]);
  await w.abort(); // after commit: nothing happens
  assert.equal(readFileSync(path, "utf8"), "a;b 1\na;c 2\n");
  await assert.rejects(w.write("late"), /already finished/);
});

test("openAtomic: abort removes the temporary file and leaves the target alone", async () => {
  const d = fresh("abort");
  const w = await openAtomic(join(d, "x.txt"));
  await w.write("partial");
  await w.abort();
  await w.abort();
  assert.deepEqual(readdirSync(d), []);
  await assert.rejects(w.commit(), /already finished/);
});

test("openAtomic: commit(to) puts the file under a name known only at the end", async () => {
  const d = fresh("to");
  const w = await openAtomic(join(d, "incoming"));
  await w.write("content");
  const final = join(d, "ab12.bin");
  assert.equal(await w.commit(final), final);
  assert.deepEqual(readdirSync(d), ["ab12.bin"]);
});

test("atomicFile: a file another writer made is moved into place; an aborted one is removed", async () => {
  const d = fresh("pending");
  const path = join(d, "run.perf.data");
  const f = await atomicFile(path);
  await writeFile(f.temp, "perf output");
  assert.ok(!existsSync(path));
  await f.commit();
  assert.equal(readFileSync(path, "utf8"), "perf output");
  const g = await atomicFile(join(d, "other.perf.data"));
  await writeFile(g.temp, "half");
  await g.abort();
  assert.deepEqual(readdirSync(d), ["run.perf.data"]);
});

test("writeFileAtomicSync: writes with the given mode; a failure leaves nothing", () => {
  const d = fresh("sync");
  const path = writeFileAtomicSync(join(d, "kernel.json"), "{}\n", { mode: 0o600 });
  assert.equal(readFileSync(path, "utf8"), "{}\n");
  assert.equal(statSync(path).mode & 0o777, 0o600);
  writeFileSync(join(d, "file"), "a file, not a directory");
  assert.throws(() => writeFileAtomicSync(join(d, "file", "x"), "x", { mkdir: false }), (e: unknown) => e instanceof WriteError && e.code === "ENOTDIR" && e.message.includes(join(d, "file", "x")));
  assert.deepEqual(readdirSync(d).sort(), ["file", "kernel.json"]);
});

test("writeError: one text per errno code, the caller's words and fix, never wrapped twice", () => {
  const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  const e = writeError("/out/report.html", enospc);
  assert.equal(e.message, "flamebook: cannot write /out/report.html: no space left on device (ENOSPC). Free some space and run again.");
  assert.equal(e.cause, enospc);
  assert.equal(writeError("/elsewhere", e), e);
  const store = writeError("/s/artifacts/x", enospc, { what: "a perf.data artifact to the store /s", fix: (usual, code) => (code === "ENOSPC" ? "Free some space in /s." : usual) });
  assert.equal(store.message, "flamebook: cannot write a perf.data artifact to the store /s: no space left on device (ENOSPC). Free some space in /s.");
  const open = Object.assign(new Error("EACCES: permission denied, open '/ro/x.partial'"), { code: "EACCES" });
  assert.equal(writeError("/ro/x", open).message, "flamebook: cannot write /ro/x: permission denied (EACCES). Make the directory writable, or write elsewhere.");
  assert.equal(writeError("/x", new Error("odd failure.")).message, "flamebook: cannot write /x: odd failure. Check the path and run again.");
});

test("a process that exits (Ctrl-C in the CLI) mid-write leaves no temporary file", () => {
  const d = fresh("exit");
  const atomic = fileURLToPath(new URL("../../src/fs/atomic.ts", import.meta.url));
  const script = `import { openAtomic, atomicFile } from ${JSON.stringify(atomic)};
    const w = await openAtomic(${JSON.stringify(join(d, "page.html"))});
    await w.write("half a page");
    const f = await atomicFile(${JSON.stringify(join(d, "run.perf.data"))});
    (await import("node:fs")).writeFileSync(f.temp, "half a recording");
    console.log((await import("node:fs")).readdirSync(${JSON.stringify(d)}).length);
    process.exit(130);`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 130, r.stderr);
  assert.equal(r.stdout.trim(), "2", "both temporary files existed");
  assert.deepEqual(readdirSync(d), []);
});
