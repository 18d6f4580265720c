// Fault: cargo fails. A crate with two compile errors rejects with an error naming the crate and
// the first compiler error (before the second); cargo SIGKILLed mid-build (found in the process
// table) rejects with an error naming the crate and the signal, and leaves no cargo/rustc/build
// script running. (One type error and AbortSignal aborts are in test/build/cargo.test.ts.)
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { readlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { cargo } from "../../src/build/index.js";
import { liveGroups } from "../../src/exec/index.js";
import { cargoUnavailable, goneWithin, liveWith, processTable, skipUnless, waitFor } from "./env.js";

let tmp = "";
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "fbfault-cargo-"));
});
after(() => rm(tmp, { recursive: true, force: true }));

const cwdOf = (pid: number) => {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
};

async function crate(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(tmp, name);
  const all = { "Cargo.toml": `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n`, ...files };
  for (const [p, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

test("cargo.build: a compile error names the crate and the first compiler error (rustc's order kept)", { timeout: 120_000 }, async (t) => {
  if (skipUnless(t, cargoUnavailable())) return;
  const dir = await crate("broken-crate", {
    "src/main.rs": 'fn main() {\n    let a: u32 = "first";\n    let b: u8 = undefined_name_second;\n    println!("{a}{b}");\n}\n',
  });
  await assert.rejects(cargo.build(dir, { env: { CARGO_TARGET_DIR: join(tmp, "target-broken") } }), (e: Error) => {
    const m = e.message;
    assert.match(m.split("\n")[0]!, /broken-crate/, `the first line names the crate: ${m.split("\n")[0]}`);
    assert.match(m, /could not compile `broken-crate`/, "cargo's line naming the package is kept");
    // rustc reports the unresolved name (line 3) before the type error (line 2): the first error
    // it prints is the first one shown, with its position, ahead of the rest.
    const first = m.search(/error\[E0425\]: cannot find value `undefined_name_second`/);
    const second = m.search(/error\[E0308\]: mismatched types/);
    assert.ok(first >= 0, `the first compiler error is shown:\n${m}`);
    assert.ok(second < 0 || first < second, "the first error comes first");
    assert.ok(m.slice(0, first).split("\n").length <= 4, `the first error is near the top:\n${m}`);
    assert.match(m.slice(first), /^[^\n]*\n\s*--> src\/main\.rs:3:17/, "with its position");
    return true;
  });
  assert.equal(liveGroups(), 0);
});

test("cargo.build: cargo SIGKILLed mid-build rejects naming the crate and the signal, and leaves no process", { timeout: 120_000 }, async (t) => {
  if (skipUnless(t, cargoUnavailable())) return;
  const name = `killed-crate-${process.pid}`;
  const dir = await crate(name, {
    // A build script that sleeps keeps cargo busy; its name is in the process table.
    "build.rs": "fn main() { std::thread::sleep(std::time::Duration::from_secs(60)); }\n",
    "src/main.rs": "fn main() {}\n",
  });
  const target = join(tmp, "target-killed");
  const pending = cargo.build(dir, { env: { CARGO_TARGET_DIR: target } });
  pending.catch(() => undefined);
  // The build script runs as target/…/build/<name>-<hash>/build-script-build.
  await waitFor("the build script", 60_000, () => processTable().find((p) => p.args.includes(target) && /build-script-build/.test(p.args)));
  const cargoProc = processTable().find((p) => /^\S*cargo\S* build/.test(p.args) && cwdOf(p.pid) === dir);
  assert.ok(cargoProc, "cargo is in the process table");
  process.kill(cargoProc.pid, "SIGKILL");
  await assert.rejects(pending, (e: Error) => {
    if (process.env["FB_SHOW_ERRORS"]) console.log(e.message);
    assert.match(e.message, /cargo was killed by SIGKILL before it finished/, "names the signal");
    assert.doesNotMatch(e.message, /Fix the errors above/, "no compile errors are claimed");
    assert.ok(e.message.includes(name) || e.message.includes(dir), `names the crate: ${e.message}`);
    return true;
  });
  assert.ok(await goneWithin(target, 5000), `left running: ${JSON.stringify(liveWith(target))}`);
  assert.equal(liveGroups(), 0);
});
