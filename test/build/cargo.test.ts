import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExecError, liveGroups, run } from "../../src/exec/index.js";
import { cargo, type BuildResult } from "../../src/build/index.js";
import { profileSetting, profileTable } from "../../src/build/manifest.js";
import { ltoSetting, profileArgs, PROFILING_CONFIG } from "../../src/build/profile.js";
import { summariseDiagnostics } from "../../src/build/diagnostics.js";
import { parseCargoMessage } from "../../src/build/messages.js";

const CLONE_IN_LOOP = fileURLToPath(new URL("../../notebooks/crates/clone-in-loop", import.meta.url));

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "flamebook-cargo-"));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const HELLO = 'fn main() {\n    println!("hello from {}", env!("CARGO_PKG_NAME"));\n}\n';

/** Writes a std-only crate under the temp dir; `profiles` is appended to its Cargo.toml. */
async function makeCrate(name: string, files: Record<string, string> = {}, profiles = ""): Promise<string> {
  const dir = join(tmp, name);
  const all: Record<string, string> = {
    "Cargo.toml": `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${profiles}`,
    "src/main.rs": HELLO,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** A target dir of its own under the temp dir, so tests never share or pollute build output. */
const targetEnv = (name: string) => ({ CARGO_TARGET_DIR: join(tmp, `target-${name}`) });

const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");

async function runExe(b: BuildResult, args: string[] = []): Promise<string> {
  const r = await run(b.exe, args, { captureStdout: true, timeoutMs: 30_000 });
  return r.stdout;
}

/** The command has each PROFILING_CONFIG value right after its own "--config". */
function hasInjection(command: readonly string[]): boolean {
  return PROFILING_CONFIG.every((c) => command.some((a, i) => a === c && command[i - 1] === "--config"));
}

test("cargo.build: builds clone-in-loop with the injected profiling profile, without editing Cargo.toml", async () => {
  const manifest = join(CLONE_IN_LOOP, "Cargo.toml");
  const lock = join(CLONE_IN_LOOP, "Cargo.lock");
  const [tomlBefore, lockBefore] = [await sha256(manifest), await sha256(lock)];
  const progress: string[] = [];

  const b = await cargo.build(CLONE_IN_LOOP, { bin: "wordfreq", env: targetEnv("clone-in-loop"), onProgress: (l) => progress.push(l) });
  assert.equal(b.crateDir, CLONE_IN_LOOP);
  assert.ok(b.exe.startsWith(join(tmp, "target-clone-in-loop")), b.exe);
  assert.ok((await stat(b.exe)).isFile());
  assert.deepEqual(b.target, { kind: "bin", name: "wordfreq" });
  assert.equal(b.profile, "profiling");
  assert.deepEqual(b.features, []);
  assert.equal(b.debugInfo, true);
  assert.equal(b.symbols, true);
  assert.deepEqual(b.warnings, []);
  assert.match(b.rustcVersion, /^rustc \d+\.\d+\.\d+/);
  assert.match(b.rustcVersion, /\nhost: \S+/);
  assert.ok(b.durationS > 0);
  assert.equal(b.command[0], "cargo");
  assert.equal(b.command[1], "build");
  assert.ok(hasInjection(b.command), `no --config injection in ${b.command.join(" ")}`);
  assert.deepEqual(b.command.slice(b.command.indexOf("--profile"), b.command.indexOf("--profile") + 2), ["--profile", "profiling"]);
  assert.ok(b.command.includes("--message-format=json-render-diagnostics"));
  assert.ok(progress.some((l) => /Finished|Compiling/.test(l)), `no progress lines: ${progress.join("\n")}`);
  // Git provenance is either fully known or fully unknown (this checkout may have no commits yet).
  assert.ok((b.gitSha === null) === (b.dirty === null), `gitSha ${b.gitSha}, dirty ${b.dirty}`);
  if (b.gitSha !== null) assert.match(b.gitSha, /^[0-9a-f]{40}$/);
  assert.match(await runExe(b, ["2000", "1"]), /variant=before records=2000 rounds=1/);

  // No { bin }: the crate's only binary is picked.
  const after = await cargo.build(CLONE_IN_LOOP, { features: ["reuse-buffer"], env: targetEnv("clone-in-loop") });
  assert.deepEqual(after.target, { kind: "bin", name: "wordfreq" });
  assert.deepEqual(after.features, ["reuse-buffer"]);
  assert.deepEqual(after.command.slice(after.command.indexOf("--features"), after.command.indexOf("--features") + 2), ["--features", "reuse-buffer"]);
  assert.deepEqual(after.warnings, []);
  assert.match(await runExe(after, ["2000", "1"]), /variant=after records=2000 rounds=1/);
  // cargo wrote both to one path; each result keeps its own content-addressed copy
  assert.equal(after.cargoExe, b.cargoExe);
  assert.notEqual(after.exe, b.exe);
  assert.match(b.exe, new RegExp(`flamebook-snapshots/${b.sha256.slice(0, 16)}/wordfreq$`));
  assert.equal(await sha256(b.exe), b.sha256);
  assert.match(await runExe(b, ["2000", "1"]), /variant=before records=2000 rounds=1/, "the before binary survives the after build");

  assert.equal(await sha256(manifest), tomlBefore, "Cargo.toml changed");
  assert.equal(await sha256(lock), lockBefore, "Cargo.lock changed");
  assert.equal(liveGroups(), 0);
});

test("cargo.build: a workspace that defines [profile.profiling] is used as-is, with no --config", async () => {
  const dir = await makeCrate("own-profile", {}, '\n[profile.profiling]\ninherits = "release"\ndebug = true\n');
  const b = await cargo.build(dir, { env: targetEnv("own-profile") });
  assert.ok(!b.command.includes("--config"), b.command.join(" "));
  assert.equal(b.profile, "profiling");
  assert.ok(b.exe.includes(`${join("target-own-profile", "profiling")}`), b.exe);
  assert.equal(b.debugInfo, true);
  assert.deepEqual(b.warnings, []);
  assert.match(await runExe(b), /hello from own-profile/);
});

test("cargo.build: the workspace root's Cargo.toml decides, for a member crate", async () => {
  const root = join(tmp, "ws");
  await mkdir(root, { recursive: true });
  await writeFile(join(root, "Cargo.toml"), '[workspace]\nmembers = ["member"]\nresolver = "2"\n\n[profile.profiling]\ninherits = "release"\ndebug = 1\n');
  const member = join(root, "member");
  await mkdir(join(member, "src"), { recursive: true });
  await writeFile(join(member, "Cargo.toml"), '[package]\nname = "member"\nversion = "0.1.0"\nedition = "2021"\n');
  await writeFile(join(member, "src/main.rs"), HELLO);
  const b = await cargo.build(member, { env: targetEnv("ws") });
  assert.ok(!b.command.includes("--config"), b.command.join(" "));
  assert.equal(b.debugInfo, true);
  assert.match(await runExe(b), /hello from member/);
});

test("cargo.build: a type error rejects with the rendered rustc diagnostic", async () => {
  const dir = await makeCrate("type-error", {
    "src/main.rs": 'fn main() {\n    let unused_thing = 1;\n    let n: u32 = "not a number";\n    println!("{n}");\n}\n',
  });
  await assert.rejects(cargo.build(dir, { env: targetEnv("type-error") }), (e: Error) => {
    assert.ok(!(e instanceof ExecError), "a compile error is our own Error, not a bare ExecError");
    assert.ok(e.message.startsWith(`flamebook: cargo build failed in ${dir}`), e.message);
    assert.match(e.message, /error\[E0308\]: mismatched types/);
    assert.match(e.message, /src\/main\.rs:3:/);
    assert.match(e.message, /"not a number"/, "the source snippet is included");
    return true;
  });
  assert.equal(liveGroups(), 0);
});

test("cargo.build: compiler warnings do not fail the build", async () => {
  const dir = await makeCrate("warns", { "src/main.rs": "fn main() {\n    let unused = 1;\n}\n" });
  const seen: string[] = [];
  const b = await cargo.build(dir, { env: targetEnv("warns"), onProgress: (l) => seen.push(l) });
  assert.ok((await stat(b.exe)).isFile());
  assert.ok(seen.some((l) => /warning: unused variable/.test(l)), seen.join("\n"));
});

test("cargo.build: profile dev (and its alias debug) warns that the numbers lie", async () => {
  const dir = await makeCrate("devbuild");
  const b = await cargo.build(dir, { profile: "dev", env: targetEnv("devbuild") });
  assert.equal(b.profile, "dev");
  assert.ok(!b.command.includes("--config"));
  assert.deepEqual(b.command.slice(b.command.indexOf("--profile"), b.command.indexOf("--profile") + 2), ["--profile", "dev"]);
  assert.equal(b.warnings.length, 1, b.warnings.join("\n"));
  assert.match(b.warnings[0], /^flamebook: .*debug.*the numbers lie/);
  assert.match(await runExe(b), /hello from devbuild/);

  const alias = await cargo.build(dir, { profile: "debug", env: targetEnv("devbuild") });
  assert.equal(alias.profile, "dev");
  assert.equal(alias.exe, b.exe);
  assert.match(alias.warnings.join("\n"), /the numbers lie/);
});

test("cargo.build: a profile without debug info and with stripped symbols gets both warnings", async () => {
  const dir = await makeCrate("stripped", {}, '\n[profile.profiling]\ninherits = "release"\ndebug = false\nstrip = true\n');
  const b = await cargo.build(dir, { env: targetEnv("stripped") });
  assert.ok(!b.command.includes("--config"));
  assert.equal(b.debugInfo, false);
  assert.equal(b.symbols, false);
  assert.equal(b.warnings.length, 2, b.warnings.join("\n"));
  const [debug, strip] = b.warnings;
  assert.ok(debug.includes(b.exe) && debug.includes("debug = true"), debug);
  assert.ok(strip.includes(b.exe) && /hex addresses/.test(strip) && strip.includes("strip = false"), strip);
});

test("cargo.build: the injected profile keeps symbols even when [profile.release] strips them", async () => {
  const dir = await makeCrate("release-strips", {}, "\n[profile.release]\nstrip = true\ndebug = false\n");
  const b = await cargo.build(dir, { env: targetEnv("release-strips") });
  assert.ok(hasInjection(b.command));
  assert.equal(b.symbols, true);
  assert.equal(b.debugInfo, true);
  assert.deepEqual(b.warnings, []);
});

test("cargo.build: several binaries without { bin } is an error listing them; { bin } and { example } pick one", async () => {
  const dir = await makeCrate("multi", {
    "src/bin/alpha.rs": 'fn main() { println!("alpha"); }\n',
    "src/bin/beta.rs": 'fn main() { println!("beta"); }\n',
    "examples/demo.rs": 'fn main() { println!("demo example"); }\n',
  });
  const env = targetEnv("multi");
  await assert.rejects(cargo.build(dir, { env }), (e: Error) => {
    assert.match(e.message, /^flamebook: /);
    assert.match(e.message, /alpha, beta, multi/);
    assert.match(e.message, /\{ bin: "alpha" \}/);
    return true;
  });
  const beta = await cargo.build(dir, { bin: "beta", env });
  assert.deepEqual(beta.target, { kind: "bin", name: "beta" });
  assert.match(await runExe(beta), /^beta$/m);
  const demo = await cargo.build(dir, { example: "demo", env });
  assert.deepEqual(demo.target, { kind: "example", name: "demo" });
  assert.ok(demo.command.includes("--example"));
  assert.match(await runExe(demo), /demo example/);
  await assert.rejects(cargo.build(dir, { bin: "alpha", example: "demo", env }), /either \{ bin \} or \{ example \}/);
});

test("cargo.build: a bin that does not exist fails with cargo's own message", async () => {
  const dir = await makeCrate("nobin");
  await assert.rejects(cargo.build(dir, { bin: "nope", env: targetEnv("nobin") }), (e: Error) => {
    assert.ok(e.message.startsWith(`flamebook: cargo build failed in ${dir}`), e.message);
    assert.match(e.message, /no bin target named `nope`/);
    return true;
  });
});

test("cargo.build: a missing directory or a directory without Cargo.toml is an error naming the path", async () => {
  const missing = join(tmp, "no-such-crate");
  await assert.rejects(cargo.build(missing), (e: Error) => e.message.startsWith("flamebook: ") && e.message.includes(missing) && /does not exist/.test(e.message));
  const empty = join(tmp, "empty-dir");
  await mkdir(empty, { recursive: true });
  await assert.rejects(cargo.build(empty), (e: Error) => e.message.includes(empty) && /no Cargo\.toml/.test(e.message));
});

test("cargo.build: a missing cargo is a not-found error with the install hint", async () => {
  const dir = await makeCrate("nocargo");
  const emptyBin = join(tmp, "empty-bin");
  await mkdir(emptyBin, { recursive: true });
  await assert.rejects(cargo.build(dir, { env: { PATH: emptyBin, RUSTC: undefined } }), (e: Error) => {
    assert.ok(e instanceof ExecError, String(e));
    assert.equal(e.failure, "not-found");
    assert.match(e.message, /'(cargo|rustc)' was not found/);
    assert.ok(e.message.includes("Install Rust (https://rustup.rs) or the Debian package cargo."), e.message);
    return true;
  });
});

test("cargo.build: aborting kills cargo and rejects with failure 'aborted'", async () => {
  const dir = await makeCrate("aborted", {
    // A build script that sleeps keeps cargo busy long enough to abort it.
    "build.rs": "fn main() { std::thread::sleep(std::time::Duration::from_secs(60)); }\n",
  });
  const ac = new AbortController();
  const t0 = performance.now();
  const p = cargo.build(dir, {
    env: targetEnv("aborted"),
    signal: ac.signal,
    onProgress: (l) => {
      if (/Compiling aborted/.test(l)) setTimeout(() => ac.abort(), 300);
    },
  });
  await assert.rejects(p, (e: Error) => e instanceof ExecError && e.failure === "aborted");
  assert.ok(performance.now() - t0 < 20_000, "abort took too long");
  assert.equal(liveGroups(), 0);
});

test("profileTable: finds [profile.X] tables, dotted keys and inline tables, ignoring comments", () => {
  assert.equal(profileTable('[package]\nname = "x"\n# [profile.profiling]\n', "profiling"), null);
  assert.deepEqual(profileTable('[profile.profiling] # ours\ninherits = "release" # comment\ndebug = true\n[other]\nx = 1', "profiling"), {
    inherits: "release",
    debug: true,
  });
  assert.deepEqual(profileTable('[profile]\nprofiling = { inherits = "release", lto = false }', "profiling"), { inherits: "release", lto: false });
  assert.deepEqual(profileTable("profile.profiling.debug = 2\n", "profiling"), { debug: 2 });
  assert.deepEqual(profileTable('[profile."profiling"]\n', "profiling"), {});
  assert.equal(profileTable("[profile.profiling-2]\ndebug = 1\n", "profiling"), null);
  assert.throws(() => profileTable("[profile.profiling\ndebug = 1\n", "profiling", "/c/Cargo.toml"), /^Error: flamebook: \/c\/Cargo\.toml line 1: not valid TOML/);
});

test("profileSetting: follows inherits and the built-in bench -> release", () => {
  const toml = '[profile.release]\nlto = "fat"\n[profile.profiling]\ninherits = "release"\ndebug = true\n';
  assert.equal(profileSetting(toml, "profiling", "lto"), "fat");
  assert.equal(profileSetting(toml, "bench", "lto"), "fat");
  assert.equal(profileSetting(toml, "dev", "lto"), undefined);
  assert.equal(profileSetting('[profile.a]\ninherits = "b"\n[profile.b]\ninherits = "a"\n', "a", "lto"), undefined, "cycles end");
});

test("ltoSetting: reports lto = true/fat/thin from the manifest or CARGO_PROFILE_<NAME>_LTO", () => {
  assert.equal(ltoSetting("[profile.release]\nlto = true\n", "release", {}), "true");
  assert.equal(ltoSetting('[profile.release]\nlto = "off"\n', "release", {}), null);
  assert.equal(ltoSetting("", "release", {}), null);
  assert.equal(ltoSetting("", "my-prof", { CARGO_PROFILE_MY_PROF_LTO: "thin" }), "thin");
});

test("profileArgs: injects --config only for an undefined profiling profile", () => {
  const injected = profileArgs("profiling", '[package]\nname = "x"\n');
  assert.equal(injected.injected, true);
  assert.deepEqual(injected.args.slice(-2), ["--profile", "profiling"]);
  assert.deepEqual(injected.args.filter((a) => a === "--config").length, PROFILING_CONFIG.length);
  assert.deepEqual(profileArgs("profiling", '[profile.profiling]\ninherits = "release"\n'), { args: ["--profile", "profiling"], injected: false });
  assert.deepEqual(profileArgs("release", ""), { args: ["--profile", "release"], injected: false });
});

test("summariseDiagnostics: keeps short output whole, drops warnings first, caps at max lines", () => {
  assert.equal(summariseDiagnostics(["a", "b"], 200), "a\nb");
  const warning = (i: number) => [`warning: unused variable: \`x${i}\``, " --> src/main.rs:1:1", ""];
  const lines = [
    ...Array.from({ length: 100 }, (_, i) => warning(i)).flat(),
    "error[E0308]: mismatched types",
    " --> src/main.rs:9:9",
    "",
    "error: could not compile `x` (bin \"x\") due to 1 previous error",
  ];
  const s = summariseDiagnostics(lines, 200);
  assert.match(s, /error\[E0308\]/);
  assert.match(s, /could not compile/);
  assert.match(s, /100 warning diagnostics omitted/);
  assert.ok(!s.includes("unused variable"));
  const many = Array.from({ length: 1000 }, (_, i) => `error: e${i}`);
  const capped = summariseDiagnostics(many, 200).split("\n");
  assert.ok(capped.length <= 200, String(capped.length));
  assert.equal(capped[0], "error: e0");
  assert.equal(capped.at(-1), "error: e999");
});

test("parseCargoMessage: reads artifacts and build-finished, ignores everything else", () => {
  assert.equal(parseCargoMessage("not json"), null);
  assert.equal(parseCargoMessage('{"reason":"compiler-message"}'), null);
  assert.equal(parseCargoMessage("{broken"), null);
  assert.deepEqual(parseCargoMessage('{"reason":"build-finished","success":false}'), { reason: "build-finished", success: false });
  const m = parseCargoMessage(
    '{"reason":"compiler-artifact","package_id":"p","target":{"kind":["bin"],"name":"w"},"profile":{"opt_level":"3"},"executable":"/t/w","fresh":true}',
  );
  assert.deepEqual(m, {
    reason: "compiler-artifact",
    artifact: { packageId: "p", kinds: ["bin"], name: "w", executable: "/t/w", optLevel: "3", fresh: true },
  });
});
