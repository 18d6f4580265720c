// Format: Cargo.toml (TOML v1.0, parsed with smol-toml); only `[profile.<name>]` tables are read
// (https://doc.rust-lang.org/cargo/reference/profiles.html).
import { parse, TomlError, type TomlPrimitive } from "smol-toml";

/** A TOML value. */
export type TomlValue = TomlPrimitive | TomlValue[] | { [key: string]: TomlValue };

/** The profile each built-in profile inherits from (dev and release are roots). */
const BUILTIN_PARENT: Readonly<Record<string, string | undefined>> = { test: "dev", bench: "release" };

/**
 * The `[profile.<name>]` table of a Cargo.toml text, or null when the manifest does not define
 * that profile. A manifest that is not valid TOML gives an error naming the file and line.
 *
 * @example
 * profileTable('[profile.profiling]\ninherits = "release"\ndebug = true', "profiling");
 * // { inherits: "release", debug: true }
 */
export function profileTable(toml: string, name: string, file = "Cargo.toml"): Record<string, TomlValue> | null {
  let doc: Record<string, TomlValue>;
  try {
    doc = parse(toml) as Record<string, TomlValue>;
  } catch (e) {
    const where = e instanceof TomlError ? ` line ${e.line}` : "";
    const why = (e as Error).message.split("\n")[0];
    throw new Error(`flamebook: ${file}${where}: not valid TOML (${why}). Fix the manifest; cargo would reject it too.`);
  }
  const profiles = doc.profile;
  if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles) || profiles instanceof Date) return null;
  const table = (profiles as Record<string, TomlValue>)[name];
  return typeof table === "object" && table !== null && !Array.isArray(table) && !(table instanceof Date)
    ? { ...(table as Record<string, TomlValue>) }
    : null;
}

/**
 * A profile setting after following `inherits` (and the built-in test -> dev, bench -> release),
 * or undefined when neither the profile nor its parents set it in this manifest.
 *
 * @example
 * profileSetting('[profile.release]\nlto = "fat"\n[profile.profiling]\ninherits = "release"', "profiling", "lto"); // "fat"
 */
export function profileSetting(toml: string, profile: string, key: string): TomlValue | undefined {
  const seen = new Set<string>();
  for (let p: string | undefined = profile; p !== undefined && !seen.has(p); ) {
    seen.add(p);
    const t = profileTable(toml, p);
    if (t && t[key] !== undefined) return t[key];
    p = typeof t?.inherits === "string" ? t.inherits : BUILTIN_PARENT[p];
  }
  return undefined;
}
