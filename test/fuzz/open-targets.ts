// Fuzz target: openProfile on bytes of every format, mutated: the sniffers see 64 KB heads of
// anything (cut, re-encoded, gzipped, garbage), then the chosen importer parses. The result is a
// valid profile, a FormatError naming its position, or the documented "unknown profile format"
// error that lists the supported formats.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import { importers, openProfile } from "../../src/samples/registry.js";
import { fixture } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";
import { assertPositionedError, byteInputs, encodedInputs, jsonMutations, textInputs, type FuzzTarget, type Outcome } from "./harness.js";

const head = (dir: string, name: string, n: number): string => readFileSync(fixture(dir, name), "utf8").split("\n").slice(0, n).join("\n");
const UNKNOWN = new RegExp(`^flamebook: this input: unknown profile format \\(it starts with .*\\)\\. Supported: ${importers.map((i) => i.name).join(", ")}\\. Pass \\{ format \\} to choose one\\.(\\nIt looks like UTF-16 text without a byte-order mark; convert it: \`iconv -f UTF-16[LB]E -t UTF-8\`\\.)?$`, "s");

async function checkOpen(bytes: Uint8Array): Promise<Outcome> {
  try {
    assertValid(await openProfile(bytes), { emptyStacks: true });
    return "valid";
  } catch (e) {
    if (e instanceof FormatError) assertPositionedError(e, /^[a-z-]+$/);
    else if (!(e instanceof Error && e.constructor === Error && UNKNOWN.test(e.message))) throw e;
    return "error";
  }
}

/** openProfile's target: text formats (heads of each), JSON documents and pprof bytes, mutated. */
export const openTargets: Record<string, () => FuzzTarget<Uint8Array>> = {
  "open-profile": () => {
    const texts = [
      head("perf-script", "fields-pid-tid-cpu.perf.txt", 30),
      head("folded", "cargo-flamegraph.folded", 8),
      head("valgrind", "clone-in-loop.before.callgrind", 30),
      head("valgrind", "clone-in-loop.before.cachegrind", 25),
    ];
    const docs = ["firefox-gecko.json", "speedscope-evented.json", "firefox-processed-v45.json"].map((n) => JSON.parse(readFileSync(fixture("json", n), "utf8")) as unknown);
    const pb = [gunzipSync(readFileSync(fixture("pprof", "threads.pb.gz")))];
    const inputs = fc.oneof(
      { weight: 4, arbitrary: encodedInputs(textInputs([...texts, ...docs.map((d) => JSON.stringify(d, null, 1))], { window: 30 })) },
      { weight: 2, arbitrary: jsonMutations(docs) },
      { weight: 2, arbitrary: byteInputs(pb) },
    );
    return { inputs, check: checkOpen, seed: 401, minShare: 0.02 };
  },
};
