/** A frame-name pattern: a RegExp, or a string read as a regular expression. */
export type Pattern = string | RegExp;

/**
 * Turns a pattern into a RegExp, with a clear error for an invalid one.
 *
 * @example
 * toRegExp("to_string$").test("<u64 as alloc::string::ToString>::to_string"); // true
 * toRegExp("Vec<("); // throws: flamebook: invalid pattern 'Vec<(': … escape special characters or pass a RegExp.
 */
export function toRegExp(pattern: Pattern): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  if (typeof pattern !== "string" || pattern.length === 0) {
    throw new Error(`flamebook: a pattern must be a non-empty string or a RegExp, got ${JSON.stringify(pattern)}.`);
  }
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new Error(
      `flamebook: invalid pattern '${pattern}': ${(e as Error).message.replace(/^Invalid regular expression: /, "")}. ` +
        "Strings are regular expressions: escape special characters (\\( \\[ \\.) or pass a RegExp.",
    );
  }
}

/**
 * For each frame of a profile, whether its name matches. Cheap: one test per distinct frame.
 *
 * @example
 * const hits = matchFrames(profile.frames.name, /malloc/); hits[frameId] // true or false
 */
export function matchFrames(names: readonly string[], pattern: Pattern): Uint8Array {
  const re = toRegExp(pattern);
  const out = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) out[i] = re.test(names[i]!) ? 1 : 0;
  return out;
}
