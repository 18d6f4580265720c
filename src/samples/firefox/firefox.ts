// Format: Firefox Profiler profiles (https://profiler.firefox.com/docs/), the JSON that samply
// and Firefox save: the "processed" format (`meta.preprocessedProfileVersion`; see
// ./processed.ts) and the raw "gecko" format (see ./gecko.ts). Spec:
// firefox-devtools/profiler src/types/profile.ts, src/types/gecko-profile.ts, docs-developer/.
import type { Profile } from "../../model/profile.js";
import { FirefoxOutput } from "./output.js";
import { readGecko } from "./gecko.js";
import { readProcessed } from "./processed.js";
import type { ImportOptions, Importer } from "../importer.js";
import { get, readJson } from "../json-input.js";

const FIX = "Save the profile again: `samply record --save-only -o profile.json <program>`, or download it from profiler.firefox.com (Upload → Download).";

/**
 * Reads a Firefox Profiler profile (samply's `profile.json`, gzipped or not): frames are function
 * names, with the library path as module (via the func's resource), the source file and line,
 * and `inlined` for frames with `inlineDepth > 0`. One flamebook thread per profile thread
 * (comm = thread name, else process name; pid/tid when numeric). Times become seconds; weights
 * are `samples.weight` or 1, in the unit of `weightType` ("samples"; "tracing-ms" becomes
 * nanoseconds; "bytes"). Samples with a null stack are skipped and counted in a warning.
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
      (/"threads"\s*:\s*\[/.test(head) && /"(?:stackTable|frameTable|funcTable)"\s*:/.test(head))),
  decode(bytes, opts = {}) {
    const doc = readJson(bytes, "firefox", { source: opts.source, fix: FIX });
    const root = doc.object(doc.value, [], "a Firefox Profiler profile (an object with meta and threads)");
    const meta = doc.object(get(root, "meta"), ["meta"], "an object (every Firefox Profiler profile has meta)");
    const out = new FirefoxOutput(opts);
    const version = get(meta, "preprocessedProfileVersion");
    if (version !== undefined) {
      doc.number(version, ["meta", "preprocessedProfileVersion"]);
      readProcessed(doc, root, out);
    } else readGecko(doc, root, out);
    return out.finish();
  },
};
