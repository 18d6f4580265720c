// Format: Firefox Profiler profiles (https://profiler.firefox.com/docs/), the JSON that samply,
// Firefox and profiler.firefox.com save: the "processed" format, versions 0–70
// (`meta.preprocessedProfileVersion`; see ./processed.ts), the raw "gecko" format, versions 3–36
// (`meta.version`; see ./gecko.ts), and the recordings of Firefox 59–61's devtools performance
// panel, {label, duration, markers, frames, memory, ticks, allocations, profile: <gecko profile>,
// configuration, systemHost, systemClient, fileType?, version?}, read through their `profile`.
// Spec: firefox-devtools/profiler src/types/profile.ts, src/types/gecko-profile.ts,
// src/profile-logic/processed-profile-versioning.ts, gecko-profile-versioning.ts and
// process-profile.ts (processGeckoOrDevToolsProfile unwraps the devtools recording).
import type { Profile } from "../../model/profile.js";
import { FirefoxOutput } from "./output.js";
import { readGecko } from "./gecko.js";
import { readProcessed } from "./processed.js";
import { GECKO } from "./versions.js";
import type { ImportOptions, Importer } from "../importer.js";
import { asJsonObject, get, readJson, type JsonDoc, type JsonObject } from "../json-input.js";

const FIX = "Save the profile again: `samply record --save-only -o profile.json <program>`, or download it from profiler.firefox.com (Upload → Download).";

/** The first keys of a devtools recording, in the order Firefox's devtools wrote them. */
const DEVTOOLS_HEAD = /^\s*\{\s*"label"\s*:[\s\S]*"duration"\s*:[\s\S]*"(?:markers|frames|memory|ticks|allocations|profile)"\s*:/;

/**
 * Reads a Firefox Profiler profile (samply's `profile.json`, gzipped or not), a gecko profile, or
 * a Firefox devtools recording: frames are function names, with the library path as module, the
 * source file and line, and `inlined` for frames with `inlineDepth > 0`. One flamebook thread per
 * profile thread (comm = thread name, else process name; pid/tid when numeric). Times become
 * seconds; weights are `samples.weight` or 1, in the unit of `weightType` ("samples";
 * "tracing-ms" becomes nanoseconds; "bytes"). Samples with a null stack are skipped and counted
 * in a warning. Errors name the JSON path, and their fix line the format and version read.
 *
 * @example
 * const profile = firefox.decode(readFileSync("profile.json.gz"), { source: "profile.json.gz" });
 * toFolded(profile, { tid: true }); // ["wordfreq-4242/4242;main;wordfreq::process::process 12", …]
 */
export const firefox: Importer & { decode(bytes: Uint8Array, opts?: ImportOptions): Profile } = {
  name: "firefox",
  extensions: [".json", ".json.gz"],
  sniff: (head) =>
    /^\s*\{/.test(head) &&
    ((/"meta"\s*:\s*\{/.test(head) && /"(?:preprocessedProfileVersion|stackwalk|interval|startTime|processType)"\s*:/.test(head)) ||
      (/"threads"\s*:\s*\[/.test(head) && /"(?:stackTable|frameTable|funcTable)"\s*:/.test(head)) ||
      DEVTOOLS_HEAD.test(head)),
  decode(bytes, opts = {}) {
    const doc = readJson(bytes, "firefox", { source: opts.source, fix: FIX });
    const root = doc.object(doc.value, [], "a Firefox Profiler profile (an object with meta and threads)");
    const out = new FirefoxOutput(opts);
    const wrapped = get(root, "meta") === undefined ? asJsonObject(get(root, "profile")) : undefined;
    if (wrapped !== undefined) readDevtools(doc, wrapped, out);
    else {
      const meta = doc.object(get(root, "meta"), ["meta"], "an object (every Firefox Profiler profile has meta; a devtools recording has its profile under `profile`)");
      const version = processedVersion(doc, root, meta);
      if (version !== null) readProcessed(doc.withFix(`Read as a Firefox Profiler processed profile, version ${version}. ${FIX}`), root, out, version);
      else readGecko(doc.withFix(`Read as a Firefox gecko profile, version ${geckoLabel(meta)}. ${FIX}`), root, out);
    }
    return out.finish();
  },
};

/**
 * The processed format version, or null for a gecko profile. A profile without
 * `meta.preprocessedProfileVersion` is processed version 0 when its first thread has a
 * `stringArray` (the test profiler.firefox.com uses), else gecko.
 */
function processedVersion(doc: JsonDoc, root: JsonObject, meta: JsonObject): number | null {
  const v = get(meta, "preprocessedProfileVersion");
  if (v !== undefined) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) return doc.fail(["meta", "preprocessedProfileVersion"], "a processed format version (a non-negative integer)", v);
    return v;
  }
  const threads = get(root, "threads");
  const first = Array.isArray(threads) ? asJsonObject(threads[0]) : undefined;
  return first !== undefined && get(first, "stringArray") !== undefined ? 0 : null;
}

function geckoLabel(meta: JsonObject): string {
  const v = get(meta, "version");
  return typeof v === "number" ? String(v) : `unknown (no meta.version; read as version ${GECKO.newest})`;
}

/** A devtools recording: its `profile` is a gecko profile; the rest (markers, ticks, …) is not sampled data. */
function readDevtools(doc: JsonDoc, profile: JsonObject, out: FirefoxOutput): void {
  const meta = asJsonObject(get(profile, "meta"));
  if (meta !== undefined && get(meta, "preprocessedProfileVersion") !== undefined) {
    doc.fail(["profile", "meta"], "a gecko profile's meta (a devtools recording holds a gecko profile, not a processed one)", meta);
  }
  const label = meta === undefined ? "unknown" : geckoLabel(meta);
  readGecko(doc.withFix(`Read as a Firefox devtools recording holding a gecko profile, version ${label}. Open it in profiler.firefox.com and download it again (Upload → Download).`), profile, out, ["profile"]);
}
