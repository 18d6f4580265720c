import { profileSetting, profileTable } from "./manifest.js";

/** The profile flamebook builds with unless told otherwise. */
export const DEFAULT_PROFILE = "profiling";

/**
 * What `profiling` means when the workspace does not define it: release plus full debug info,
 * without cross-crate LTO (which merges frames) and without stripping (which loses names).
 * Each entry is one `--config` value (one argv element each; no shell is involved).
 */
export const PROFILING_CONFIG: readonly string[] = [
  'profile.profiling.inherits="release"',
  "profile.profiling.debug=true",
  "profile.profiling.lto=false",
  "profile.profiling.strip=false",
];

/**
 * Cargo's name for a profile: "debug" is an alias of "dev" (cargo reserves the name "debug").
 *
 * @example
 * cargoProfileName("debug"); // "dev"
 */
export function cargoProfileName(profile: string): string {
  const p = profile.trim();
  if (p === "") throw new Error('flamebook: profile must not be empty. Use "profiling" (the default), "release" or "dev".');
  if (!/^[A-Za-z0-9_-]+$/.test(p)) {
    throw new Error(`flamebook: '${profile}' is not a valid cargo profile name (letters, digits, '-' and '_' only).`);
  }
  return p === "debug" ? "dev" : p;
}

/**
 * The cargo arguments that select `profile`: `--profile P`, preceded by the `--config`
 * injection of {@link PROFILING_CONFIG} when P is "profiling" and the workspace manifest does
 * not define `[profile.profiling]` itself.
 *
 * @example
 * profileArgs("profiling", "[package]\nname = 'x'");
 * // ["--config", 'profile.profiling.inherits="release"', …, "--profile", "profiling"]
 */
export function profileArgs(profile: string, workspaceToml: string): { args: string[]; injected: boolean } {
  const injected = profile === DEFAULT_PROFILE && profileTable(workspaceToml, DEFAULT_PROFILE) === null;
  const config = injected ? PROFILING_CONFIG.flatMap((c) => ["--config", c]) : [];
  return { args: [...config, "--profile", profile], injected };
}

/**
 * The effective `lto` setting of a profile when it enables cross-crate LTO (true, "fat", "thin"),
 * from `CARGO_PROFILE_<NAME>_LTO` or the manifest (following `inherits`); otherwise null.
 *
 * @example
 * ltoSetting('[profile.release]\nlto = true', "release", {}); // "true"
 */
export function ltoSetting(toml: string, profile: string, env: Record<string, string | undefined>): string | null {
  const key = `CARGO_PROFILE_${profile.toUpperCase().replace(/-/g, "_")}_LTO`;
  const raw = env[key] ?? profileSetting(toml, profile, "lto");
  if (raw === undefined) return null;
  const v = String(raw).toLowerCase();
  return v === "true" || v === "fat" || v === "thin" ? v : null;
}

/** Warning texts, kept together so notebooks and tests see the same sentences. */
export const buildWarnings = {
  /** @example buildWarnings.debugBuild() */
  debugBuild: (): string =>
    "flamebook: this is a debug (dev) build: unoptimised code, the numbers lie. " +
    "Profile with the default `profiling` profile (release + debug info).",
  /** @example buildWarnings.noDebugInfo("/t/profiling/x", "profiling") */
  noDebugInfo: (exe: string, profile: string): string =>
    `flamebook: ${exe} has no debug info (no .debug_info section), so profiles will lack source lines and inlined frames. ` +
    `Set \`debug = true\` in [profile.${profile}] (the default \`profiling\` profile does).`,
  /** @example buildWarnings.stripped("/t/profiling/x", "profiling") */
  stripped: (exe: string, profile: string): string =>
    `flamebook: ${exe} is stripped (no .symtab section): function names will show as hex addresses. ` +
    `Set \`strip = false\` in [profile.${profile}].`,
  /** @example buildWarnings.lto("release", "fat") */
  lto: (profile: string, value: string): string =>
    `flamebook: profile \`${profile}\` has lto = ${value}: code from different crates is inlined together, so frames merge ` +
    `and the flamegraph is harder to read. Set \`lto = false\` for profiling (the default \`profiling\` profile does).`,
  /** @example buildWarnings.unreadable("/t/x", "not an ELF file") */
  unreadable: (exe: string, why: string): string =>
    `flamebook: could not check ${exe} for debug info and symbols (${why}); profiles may lack names or source lines.`,
};
