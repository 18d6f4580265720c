// Format: Cargo.toml (TOML v1.0, https://toml.io), only as far as `[profile.<name>]` tables go
// (https://doc.rust-lang.org/cargo/reference/profiles.html). This is not a TOML parser: it reads
// table headers, `key = value` lines, dotted keys and one-line inline tables, which is how
// profiles are written in practice.

/** The profile each built-in profile inherits from (dev and release are roots). */
const BUILTIN_PARENT: Readonly<Record<string, string | undefined>> = { test: "dev", bench: "release" };

/**
 * The raw `key = value` strings of `[profile.<name>]` in a Cargo.toml text (values unparsed,
 * comments removed), or null when the manifest does not define that profile.
 *
 * @example
 * profileTable('[profile.profiling]\ninherits = "release"\ndebug = true', "profiling");
 * // { inherits: '"release"', debug: "true" }
 */
export function profileTable(toml: string, name: string): Record<string, string> | null {
  let table: string[] = [];
  let defined = false;
  const out: Record<string, string> = {};
  for (const raw of toml.split(/\r?\n/)) {
    const line = stripComment(raw).trim();
    if (line === "") continue;
    if (line.startsWith("[[")) {
      table = ["<array>"]; // arrays of tables ([[bin]]) never hold profiles
      continue;
    }
    if (line.startsWith("[")) {
      const close = line.lastIndexOf("]");
      table = splitDotted(line.slice(1, close === -1 ? undefined : close));
      if (table[0] === "profile" && table[1] === name) defined = true;
      continue;
    }
    const eq = findUnquoted(line, "=");
    if (eq === -1) continue;
    const path = [...table, ...splitDotted(line.slice(0, eq))];
    const value = line.slice(eq + 1).trim();
    if (path[0] !== "profile" || path[1] !== name) continue;
    defined = true;
    if (path.length === 3) out[path[2]] = value;
    else if (path.length === 2 && value.startsWith("{")) Object.assign(out, inlineTable(value));
  }
  return defined ? out : null;
}

/**
 * The raw value of a profile setting after following `inherits` (and the built-in test -> dev,
 * bench -> release), or undefined when neither the profile nor its parents set it in this manifest.
 *
 * @example
 * profileSetting('[profile.release]\nlto = "fat"\n[profile.profiling]\ninherits = "release"', "profiling", "lto"); // '"fat"'
 */
export function profileSetting(toml: string, profile: string, key: string): string | undefined {
  const seen = new Set<string>();
  for (let p: string | undefined = profile; p !== undefined && !seen.has(p); ) {
    seen.add(p);
    const t = profileTable(toml, p);
    if (t && t[key] !== undefined) return t[key];
    const inherits = t?.inherits;
    p = inherits !== undefined ? unquote(inherits) : BUILTIN_PARENT[p];
  }
  return undefined;
}

/** Removes surrounding TOML quotes from a simple string value. @example unquote('"fat"') // "fat" */
export function unquote(value: string): string {
  const v = value.trim();
  return /^(".*"|'.*')$/.test(v) ? v.slice(1, -1) : v;
}

function stripComment(line: string): string {
  const at = findUnquoted(line, "#");
  return at === -1 ? line : line.slice(0, at);
}

/** Index of `ch` outside "…" and '…' strings, or -1. */
function findUnquoted(text: string, ch: string): number {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ch) return i;
  }
  return -1;
}

/** Splits a dotted key (`profile."my-prof".lto`) into unquoted parts. */
function splitDotted(key: string): string[] {
  const parts: string[] = [];
  let rest = key.trim();
  while (rest.length > 0) {
    const dot = findUnquoted(rest, ".");
    const part = dot === -1 ? rest : rest.slice(0, dot);
    parts.push(unquote(part));
    rest = dot === -1 ? "" : rest.slice(dot + 1);
  }
  return parts;
}

/** The flat `k = v` pairs of a one-line inline table `{ a = 1, b = "x" }`. */
function inlineTable(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  let body = value.trim().replace(/^\{/, "").replace(/\}$/, "");
  while (body.trim().length > 0) {
    const comma = findUnquoted(body, ",");
    const pair = comma === -1 ? body : body.slice(0, comma);
    body = comma === -1 ? "" : body.slice(comma + 1);
    const eq = findUnquoted(pair, "=");
    if (eq === -1) continue;
    const k = splitDotted(pair.slice(0, eq));
    if (k.length === 1) out[k[0]] = pair.slice(eq + 1).trim();
  }
  return out;
}
