import { stat } from "node:fs/promises";
import { displayCommand, run } from "../exec/index.js";
import { LineCollector, summariseDiagnostics } from "./diagnostics.js";
import { elfSections } from "./elf.js";
import { snapshotExecutable } from "./snapshot.js";
import { gitState } from "./git.js";
import { parseCargoMessage, pickExecutable, type CargoArtifact } from "./messages.js";
import { crateDirOf, RUST_HINT, rustcVersion, workspaceManifest } from "./preflight.js";
import { buildWarnings, cargoProfileName, DEFAULT_PROFILE, ltoSetting, overrideLto, overrideProfile, profileArgs } from "./profile.js";
import type { BuildOptions, BuildResult, BuildTarget } from "./types.js";

/**
 * Builds a binary (or example) of a Rust crate for profiling and reports how it was built.
 *
 * The default profile is `profiling`: release + `debug = true` + `lto = false`. When the
 * workspace's Cargo.toml defines `[profile.profiling]` it is used as-is; otherwise it is
 * injected with `cargo --config`, and no file is edited. Compiler errors reject with the
 * rendered diagnostics; compiler warnings do not. The result's `warnings` flag builds whose
 * profiles would mislead: dev builds, missing debug info, stripped symbols, LTO. `exe` is a
 * content-addressed copy of cargo's output, so a later build of another variant cannot replace it.
 * `overrides` change single profile settings for one build, e.g. to show what a stripped or LTO
 * build does to a profile: they go into a derived profile (`--config`, inheriting the chosen one,
 * named after a hash of the overrides), so each variant keeps its own `target/<name>` directory and
 * switching between variants does not rebuild.
 *
 * @example
 * const bin = await cargo.build("notebooks/crates/clone-in-loop", { bin: "wordfreq", features: ["reuse-buffer"] });
 * bin.exe;      // "/…/clone-in-loop/target/profiling/flamebook-snapshots/3f2a9c0e1b7d4a55/wordfreq"
 * bin.warnings; // []
 * const stripped = await cargo.build("notebooks/crates/pitfalls", { overrides: { strip: true, debug: false } });
 * stripped.warnings; // ["flamebook: … has no debug info …", "flamebook: … is stripped (no .symtab section) …"]
 */
export async function build(dir: string | URL, opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  if (opts.bin !== undefined && opts.example !== undefined) {
    throw new Error(`flamebook: pass either { bin } or { example } to cargo.build, not both (got bin '${opts.bin}', example '${opts.example}').`);
  }
  const profile = cargoProfileName(opts.profile ?? DEFAULT_PROFILE);
  const features = [...new Set((opts.features ?? []).map((f) => f.trim()).filter((f) => f !== ""))];
  const overrides = overrideProfile(profile, opts.overrides); // bad values fail before anything runs
  const crateDir = await crateDirOf(dir);
  // Plain diagnostics for error messages, unless the caller asks otherwise.
  const env: Record<string, string | undefined> = { CARGO_TERM_COLOR: "never", ...opts.env };
  const common = { signal: opts.signal, env };

  // Fail fast on a missing toolchain or a broken manifest, before the (long) build.
  const [manifest, rustc, git] = await Promise.all([
    workspaceManifest(crateDir, common),
    rustcVersion(crateDir, common),
    gitState(crateDir, common),
  ]);

  const wanted: BuildTarget | undefined =
    opts.bin !== undefined ? { kind: "bin", name: opts.bin } : opts.example !== undefined ? { kind: "example", name: opts.example } : undefined;
  const prof = profileArgs(profile, manifest.text);
  const args = [
    "build",
    ...prof.args.slice(0, -2),
    ...overrides.args,
    "--profile",
    overrides.profile,
    "--message-format=json-render-diagnostics",
    ...(wanted ? [`--${wanted.kind}`, wanted.name] : []),
    ...(features.length > 0 ? ["--features", features.join(",")] : []),
    ...(opts.noDefaultFeatures ? ["--no-default-features"] : []),
  ];

  const artifacts: CargoArtifact[] = [];
  const stderr = new LineCollector();
  const r = await run("cargo", args, {
    cwd: crateDir,
    env,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    check: false,
    notFoundHint: RUST_HINT,
    onStdoutLine: (line) => {
      const m = parseCargoMessage(line);
      if (m?.reason === "compiler-artifact") artifacts.push(m.artifact);
    },
    onStderrLine: (line) => {
      stderr.push(line);
      opts.onProgress?.(line);
    },
  });
  if (r.code !== 0 || r.signal !== null) {
    const how = r.signal !== null ? `killed by ${r.signal}` : `exit code ${r.code}`;
    const diag = summariseDiagnostics(stderr.lines);
    throw new Error(
      `flamebook: cargo build failed in ${crateDir} (${how}).\n` +
        `$ ${displayCommand("cargo", args)}\n` +
        (diag.trim() ? diag : "(cargo printed nothing on stderr)") +
        (r.signal !== null
          ? `\ncargo was killed by ${r.signal} before it finished (not by a compile error): build again.`
          : "\nFix the errors above and build again."),
    );
  }

  const artifact = pickExecutable(artifacts, wanted, crateDir);
  const cargoExe = artifact.executable;
  if (!(await stat(cargoExe).catch(() => null))?.isFile()) {
    throw new Error(`flamebook: cargo reported ${cargoExe} as built, but it does not exist. Run the build again (another build may have removed it).`);
  }
  // The next build of another variant overwrites cargoExe: hand out a content-addressed copy.
  const { path: exe, sha256 } = await snapshotExecutable(cargoExe);

  const warnings: string[] = [];
  if (profile === "dev" || artifact.optLevel === "0") warnings.push(buildWarnings.debugBuild());
  let debugInfo = false;
  let symbols = false;
  try {
    const sections = new Set(await elfSections(exe));
    debugInfo = sections.has(".debug_info") || sections.has(".zdebug_info");
    symbols = sections.has(".symtab");
    if (!debugInfo) warnings.push(buildWarnings.noDebugInfo(exe, profile));
    if (!symbols) warnings.push(buildWarnings.stripped(exe, profile));
  } catch (e) {
    warnings.push(buildWarnings.unreadable(exe, (e as Error).message.replace(/^flamebook: /, "")));
  }
  // --config beats CARGO_PROFILE_* and Cargo.toml: an override decides, then the injection (lto = false).
  const asked = overrideLto(opts.overrides);
  const lto = asked !== undefined ? asked : prof.injected ? null : ltoSetting(manifest.text, profile, { ...process.env, ...env });
  if (lto !== null) warnings.push(buildWarnings.lto(profile, lto));

  return {
    exe,
    cargoExe,
    sha256,
    crateDir,
    target: { kind: artifact.kind, name: artifact.name },
    profile,
    overrides: { ...opts.overrides },
    features,
    rustcVersion: rustc,
    gitSha: git.sha,
    dirty: git.dirty,
    ...(git.changes ? { gitChanges: git.changes } : {}),
    durationS: (performance.now() - started) / 1000,
    debugInfo,
    symbols,
    warnings,
    command: ["cargo", ...args],
  };
}

/**
 * Cargo, for notebooks: `cargo.build(dir, options)`.
 *
 * @example
 * import { cargo } from "flamebook";
 * const bin = await cargo.build("notebooks/crates/clone-in-loop", { bin: "wordfreq" });
 */
export const cargo = { build } as const;
