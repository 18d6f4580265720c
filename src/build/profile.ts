import { createHash } from "node:crypto";
import { profileSetting, profileTable } from "./manifest.js";
import type { ProfileOverrides } from "./types.js";

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

/** Each override: its cargo key and the values it accepts (checked before cargo runs). */
const OVERRIDE_KEYS: Readonly<Record<keyof ProfileOverrides, { key: string; ok: (v: unknown) => boolean; allowed: string }>> = {
  optLevel: { key: "opt-level", ok: (v) => [0, 1, 2, 3, "s", "z"].includes(v as never), allowed: '0, 1, 2, 3, "s" or "z"' },
  debug: {
    key: "debug",
    ok: (v) => typeof v === "boolean" || [0, 1, 2, "none", "line-tables-only", "limited", "full"].includes(v as never),
    allowed: 'true, false, 0, 1, 2, "none", "line-tables-only", "limited" or "full"',
  },
  strip: { key: "strip", ok: (v) => typeof v === "boolean" || ["none", "debuginfo", "symbols"].includes(v as never), allowed: 'true, false, "none", "debuginfo" or "symbols"' },
  lto: { key: "lto", ok: (v) => typeof v === "boolean" || ["fat", "thin", "off"].includes(v as never), allowed: 'true, false, "fat", "thin" or "off"' },
  codegenUnits: { key: "codegen-units", ok: (v) => Number.isInteger(v) && (v as number) >= 1, allowed: "a whole number ≥ 1" },
  debugAssertions: { key: "debug-assertions", ok: (v) => typeof v === "boolean", allowed: "true or false" },
  overflowChecks: { key: "overflow-checks", ok: (v) => typeof v === "boolean", allowed: "true or false" },
};

/**
 * The `--config` arguments that apply `overrides` to `profile` (one argv element per value; no
 * shell). Unknown keys and bad values are errors that name the key and what it accepts.
 *
 * @example
 * overrideArgs("profiling", { strip: true, debug: false });
 * // ["--config", "profile.profiling.strip=true", "--config", "profile.profiling.debug=false"]
 */
export function overrideArgs(profile: string, overrides: ProfileOverrides | undefined): string[] {
  if (overrides === undefined) return [];
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw new Error(`flamebook: overrides must be an object like { strip: true, lto: "fat" }, got ${JSON.stringify(overrides)}.`);
  }
  const out: string[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const spec = OVERRIDE_KEYS[name as keyof ProfileOverrides] as (typeof OVERRIDE_KEYS)[keyof ProfileOverrides] | undefined;
    if (spec === undefined) {
      throw new Error(`flamebook: unknown profile override '${name}'. Use one of ${Object.keys(OVERRIDE_KEYS).join(", ")} (camelCase), or pass other settings as CARGO_PROFILE_* in { env }.`);
    }
    if (!spec.ok(value)) {
      throw new Error(`flamebook: override ${name} = ${JSON.stringify(value)} is not a valid \`${spec.key}\` setting; use ${spec.allowed}.`);
    }
    out.push("--config", `profile.${profile}.${spec.key}=${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
  }
  return out;
}

/**
 * Where a build with `overrides` goes: without overrides, `profile` itself; with them, a derived
 * profile `<profile>-fb<hash>` that inherits `profile` and carries the overrides (all `--config`
 * arguments), so every variant has its own `target/<name>` directory and stays built.
 *
 * @example
 * overrideProfile("profiling", { strip: true });
 * // { profile: "profiling-fb1c0e5a7d", args: ["--config", 'profile.profiling-fb1c0e5a7d.inherits="profiling"', "--config", "profile.profiling-fb1c0e5a7d.strip=true"] }
 */
export function overrideProfile(profile: string, overrides: ProfileOverrides | undefined): { profile: string; args: string[] } {
  const probe = overrideArgs("x", overrides); // validates
  if (probe.length === 0) return { profile, args: [] };
  const hash = createHash("sha256").update(probe.filter((a) => a !== "--config").sort().join("\n")).digest("hex").slice(0, 8);
  const derived = `${profile}-fb${hash}`;
  return { profile: derived, args: ["--config", `profile.${derived}.inherits="${profile}"`, ...overrideArgs(derived, overrides)] };
}

/**
 * The `lto` an override asks for when it enables cross-crate LTO ("true", "fat", "thin"); null when
 * it turns LTO off; undefined when it does not say.
 *
 * @example
 * overrideLto({ lto: "fat" }); // "fat"
 */
export function overrideLto(overrides: ProfileOverrides | undefined): string | null | undefined {
  const v = overrides?.lto;
  if (v === undefined) return undefined;
  return v === true || v === "fat" || v === "thin" ? String(v) : null;
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
    `flamebook: ${exe} is stripped (no .symtab section): function names will show as hex addresses or as the binary's name (\`[app]\`, \`[unknown]\`). ` +
    `Set \`strip = false\` in [profile.${profile}].`,
  /** @example buildWarnings.lto("release", "fat") */
  lto: (profile: string, value: string): string =>
    `flamebook: profile \`${profile}\` has lto = ${value}: code from different crates is inlined together, so frames merge ` +
    `and the flamegraph is harder to read. Set \`lto = false\` for profiling (the default \`profiling\` profile does).`,
  /** @example buildWarnings.unreadable("/t/x", "not an ELF file") */
  unreadable: (exe: string, why: string): string =>
    `flamebook: could not check ${exe} for debug info and symbols (${why}); profiles may lack names or source lines.`,
};
