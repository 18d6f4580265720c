// Format: the version numbers of the Firefox Profiler formats and the layout changes flamebook
// reads, from firefox-devtools/profiler src/profile-logic/processed-profile-versioning.ts and
// gecko-profile-versioning.ts (each upgrader N turns version N − 1 into N), read at the commit
// where PROCESSED_PROFILE_VERSION is 70 and GECKO_PROFILE_VERSION is 36. Helper of ./firefox.ts.

/** Processed format versions (`meta.preprocessedProfileVersion`; absent means 0) where what flamebook reads changed. */
export const PROCESSED = {
  /** The newest version flamebook knows. Newer files are read with this layout and a warning. */
  newest: 70,
  /** v4: funcTable.fileName and lineNumber; before, a JS func's name is "name (url:line)". */
  funcFileName: 4,
  /** v18: fixes JS funcs whose fileName held "url:line" (and lineNumber the column). */
  fileNameFixed: 18,
  /** v29: samples.duration became weight, with weightType. */
  weight: 29,
  /** v40: frameTable.inlineDepth. */
  inlineDepth: 40,
  /** v41: libs moved from each thread to profile.libs. */
  globalLibs: 41,
  /** v56: strings moved from thread.stringArray to profile.shared.stringArray. */
  sharedStrings: 56,
  /** v58: funcTable.fileName became funcTable.source, an index into profile.shared.sources. */
  sources: 58,
  /** v60: stackTable, frameTable, funcTable, resourceTable and nativeSymbols moved into profile.shared. */
  sharedTables: 60,
  /** v66: stackTable.prefix became stackTable.prefixOffset (0 for a root, else row − parent). */
  prefixOffset: 66,
  /** v70: resourceTable.lib moved to frameTable.lib (−1: no lib). */
  frameLib: 70,
} as const;

/** Gecko format versions (`meta.version`) where what flamebook reads changed. */
export const GECKO = {
  /** The oldest version flamebook (and profiler.firefox.com) reads: earlier ones have no upgrader. */
  oldest: 3,
  /** The newest version flamebook knows. Newer files are read with this layout and a warning. */
  newest: 36,
  /** v4: `libs` became an array (in v3 it is a JSON string). */
  libsArray: 4,
  /** v5: subprocess profiles moved from JSON strings in `threads` to the `processes` array. */
  processes: 5,
} as const;

/**
 * What a table is called in errors, with where the given processed version keeps it.
 *
 * @example
 * tableHome("stackTable", 70); // "the stack table (processed profile version 70 keeps it in profile.shared; versions before 60 in each thread)"
 */
export function tableHome(table: string, version: number): string {
  const shared = version >= PROCESSED.sharedTables;
  const where = shared ? "profile.shared" : "each thread";
  const other = shared ? `versions before ${PROCESSED.sharedTables} in each thread` : `version ${PROCESSED.sharedTables} and later in profile.shared`;
  return `the ${table.replace(/Table$/, " table").replace(/^nativeSymbols$/, "native symbol table")} (processed profile version ${version} keeps it in ${where}; ${other})`;
}
